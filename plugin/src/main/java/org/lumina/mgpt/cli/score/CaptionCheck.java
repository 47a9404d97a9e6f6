package org.lumina.mgpt.cli.score;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a caption answer is right. The held-out captions name every object as
 * {@code a <size> <colour> <shape> <position>} ({@code a large red ring at the top left, a small
 * blue disc in the center and ...}). An answer is CORRECT when the set of
 * {@code <colour> <shape> <position>} mentions it contains equals the truth caption's: every object
 * named with its colour, shape and position, nothing else named, in any order and wording around
 * them. The size words ({@code large}/{@code small}) are not checked. Immutable and thread-safe.
 */
public final class CaptionCheck {

	private static final String POSITION = "in the center|at the (?:top|bottom)(?: left| right)?|at the (?:left|right)";

	private final Pattern mention;

	/** @param scenes the colour and shape words */
	public CaptionCheck(final SyntheticScenes scenes) {
		mention = Pattern.compile("\\b(" + String.join("|", scenes.colourNames()) + ")\\s+(" + String.join("|", scenes
			.shapes()) + ")\\s+(" + POSITION + ")\\b");
	}

	/** @return whether {@code answer} names exactly the objects of {@code truthCaption}, with colour, shape and position */
	public boolean correct(final String answer, final String truthCaption) {
		final Set<String> truth = mentions(truthCaption);
		return !truth.isEmpty() && truth.equals(mentions(answer));
	}

	/**
	 * @return the F1 of the {@code colour shape position} mentions of {@code answer} against those of
	 *         {@code truthCaption}: 1 when {@link #correct}, 0 when they share none
	 */
	public double mentionF1(final String answer, final String truthCaption) {
		final Set<String> truth = mentions(truthCaption);
		final Set<String> said = mentions(answer);
		if (truth.isEmpty() && said.isEmpty()) return 0;
		final Set<String> both = new LinkedHashSet<>(said);
		both.retainAll(truth);
		return 2.0 * both.size() / (said.size() + truth.size());
	}

	/** @return the {@code colour shape position} mentions of {@code text}, lower case, single spaces */
	Set<String> mentions(final String text) {
		final Set<String> found = new LinkedHashSet<>();
		final Matcher m = mention.matcher(text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " "));
		while (m.find()) found.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
		return found;
	}
}
