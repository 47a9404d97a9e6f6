package org.lumina.mgpt.cli.score;

import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The scores of one or more bundles: per {@link Metric}, the mean over the held-out scenes that
 * gave it and their number. Not thread-safe.
 */
public final class ScoreReport {

	private final Map<Metric, double[]> sums = new EnumMap<>(Metric.class); // {sum, scenes}
	private final Map<Metric, String> bundles = new EnumMap<>(Metric.class);

	/** Adds one scene's value of {@code metric}, scored with the bundle in the folder {@code bundle}. */
	public void add(final Metric metric, final double value, final String bundle) {
		final double[] s = sums.computeIfAbsent(metric, m -> new double[2]);
		s[0] += value;
		s[1]++;
		bundles.put(metric, bundle);
	}

	/**
	 * Adds one scene answered in several sampling passes, {@code passes} holding one report a pass
	 * of that scene alone: each metric's mean over the passes that gave it counts as one scene.
	 */
	public void addMeanOf(final List<ScoreReport> passes) {
		final Map<Metric, double[]> scene = new EnumMap<>(Metric.class); // {sum, answers}
		final Map<Metric, String> sceneBundles = new EnumMap<>(Metric.class);
		for (final ScoreReport pass : passes) {
			pass.sums.forEach((metric, s) -> {
				final double[] t = scene.computeIfAbsent(metric, m -> new double[2]);
				t[0] += s[0];
				t[1] += s[1];
			});
			sceneBundles.putAll(pass.bundles);
		}
		scene.forEach((metric, t) -> add(metric, t[0] / t[1], sceneBundles.get(metric)));
	}

	/** Takes every metric of {@code other} that this report lacks. */
	public void merge(final ScoreReport other) {
		other.sums.forEach((metric, s) -> {
			if (!sums.containsKey(metric)) {
				sums.put(metric, s.clone());
				bundles.put(metric, other.bundles.get(metric));
			}
		});
	}

	/**
	 * @return the mean of {@code metric} over its scenes, clamped to [0, 1] for fractions (a
	 *         negative mean rank correlation is reported as 0); empty when no scene gave it
	 */
	public OptionalDouble value(final Metric metric) {
		final double[] s = sums.get(metric);
		if (s == null || s[1] == 0) return OptionalDouble.empty();
		final double mean = s[0] / s[1];
		return OptionalDouble.of(metric == Metric.NORMALS_MEAN_ANGLE_DEG ? mean : Math.max(0, Math.min(1, mean)));
	}

	/** @return how many scenes gave {@code metric} */
	public int scenes(final Metric metric) {
		final double[] s = sums.get(metric);
		return s == null ? 0 : (int) s[1];
	}

	/**
	 * @return every metric's key with its value, then {@code <key>_n} with its scene count, both
	 *         {@code null} for a metric no scored bundle gave; then {@code bundles}, the folder of
	 *         the bundle that gave each metric
	 */
	public Map<String, Object> json() {
		final Map<String, Object> json = new LinkedHashMap<>();
		for (final Metric metric : Metric.values()) {
			final OptionalDouble v = value(metric);
			json.put(metric.key(), v.isPresent() ? v.getAsDouble() : null);
			json.put(metric.key() + "_n", v.isPresent() ? scenes(metric) : null);
		}
		final Map<String, String> byMetric = new LinkedHashMap<>();
		for (final Metric metric : Metric.values()) {
			if (bundles.containsKey(metric)) byMetric.put(metric.key(), bundles.get(metric));
		}
		json.put("bundles", byMetric);
		return json;
	}

	/** Prints a table: metric, value, scenes, goal and whether it is met. */
	public void printTable(final PrintWriter out) {
		out.println(String.format(Locale.ROOT, "%-30s %8s %6s  %s", "metric", "value", "scenes", "goal"));
		for (final Metric metric : Metric.values()) {
			final OptionalDouble v = value(metric);
			final String goal = metric.goal().isPresent() ? (metric.lowerIsBetter() ? "<= " : ">= ") + format(metric.goal()
				.getAsDouble()) : "";
			final String verdict = v.isEmpty() || goal.isEmpty() ? "" : metric.meets(v.getAsDouble()) ? "  met" : "  NOT met";
			out.println(String.format(Locale.ROOT, "%-30s %8s %6s  %s%s", metric.key(), v.isPresent() ? format(v
				.getAsDouble()) : "-", v.isPresent() ? Integer.toString(scenes(metric)) : "-", goal, verdict));
		}
	}

	private static String format(final double v) {
		return String.format(Locale.ROOT, "%.3f", v);
	}
}
