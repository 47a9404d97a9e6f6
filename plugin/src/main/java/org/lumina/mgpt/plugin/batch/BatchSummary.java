package org.lumina.mgpt.plugin.batch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a batch did.
 *
 * @param done inputs whose outputs were written
 * @param skipped inputs whose outputs already existed with the same provenance
 * @param failed inputs that could not be processed, with the reason
 */
public record BatchSummary(List<Path> done, List<Path> skipped, List<Failure> failed) {

	/**
	 * @param file the input
	 * @param reason one line: what went wrong
	 */
	public record Failure(Path file, String reason) {}

	public BatchSummary {
		done = List.copyOf(done);
		skipped = List.copyOf(skipped);
		failed = List.copyOf(failed);
	}

	/** @return this summary followed by {@code other}'s */
	public BatchSummary plus(final BatchSummary other) {
		final List<Path> d = new ArrayList<>(done);
		d.addAll(other.done);
		final List<Path> s = new ArrayList<>(skipped);
		s.addAll(other.skipped);
		final List<Failure> f = new ArrayList<>(failed);
		f.addAll(other.failed);
		return new BatchSummary(d, s, f);
	}

	/** @return whether every input was done or skipped */
	public boolean succeeded() {
		return failed.isEmpty();
	}

	/** @return {@code done N, skipped N, failed N} then one {@code failed <file>: <reason>} line per failure */
	public List<String> lines() {
		final List<String> lines = new ArrayList<>();
		lines.add("done " + done.size() + ", skipped " + skipped.size() + ", failed " + failed.size());
		for (final Failure f : failed) lines.add("failed " + f.file() + ": " + f.reason());
		return lines;
	}
}
