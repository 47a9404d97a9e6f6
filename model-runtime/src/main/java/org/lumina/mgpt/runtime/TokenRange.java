package org.lumina.mgpt.runtime;

/**
 * An inclusive range of vocabulary ids, such as the image (VQ) tokens {@code 4..8195}.
 *
 * @param first the first id in the range
 * @param last the last id in the range, inclusive
 */
public record TokenRange(int first, int last) {

	public TokenRange {
		if (first < 0 || last < first) {
			throw new IllegalArgumentException("token range must satisfy 0 <= first <= last, got " + first + ".." + last);
		}
	}

	/** @return whether {@code id} lies in this range */
	public boolean contains(final int id) {
		return id >= first && id <= last;
	}

	/** @return the number of ids in the range */
	public int size() {
		return last - first + 1;
	}
}
