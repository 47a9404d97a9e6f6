package org.lumina.mgpt.runtime.bundle;

import org.lumina.mgpt.runtime.TokenRange;

/**
 * The vocabulary ids the engine needs, read from a bundle manifest's {@code tokens} section
 * (never hard-coded; see docs/bundle-format.md).
 *
 * @param bos beginning of sequence
 * @param pad padding
 * @param separator end of a turn, also the stop token ({@code <reserved08706>})
 * @param imageStart start of an image ({@code <racm3:break>})
 * @param imageEnd end of an image ({@code <eoss>})
 * @param endOfLine end of a row of image tokens ({@code <reserved08799>})
 * @param sizeBase the size token for {@code n} grid units of 32 px is {@code sizeBase + n}
 * @param imagePlaceholder the text placeholder where an image's tokens are spliced ({@code <|image|>})
 * @param imageTokens the vocabulary ids of the VQ codes
 * @param codebookSize the number of VQ codes
 */
public record TokenIds(int bos, int pad, int separator, int imageStart, int imageEnd, int endOfLine, int sizeBase,
	String imagePlaceholder, TokenRange imageTokens, int codebookSize)
{

	/** @return the size token for a side of {@code pixels} pixels (a multiple of 32) */
	public int sizeToken(final int pixels) {
		return sizeBase + pixels / 32;
	}
}
