package org.lumina.mgpt.runtime.task.read;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.integer.UnsignedByteType;

/**
 * Reads a task's decoded answer image into numbers, following one verified convention of the
 * manifest's {@code outputs}. Implementations are immutable and thread-safe; get one from
 * {@link OutputReaders#forTask}.
 */
@FunctionalInterface
public interface OutputReader {

	/**
	 * @param rgb the decoded answer image, 8-bit, dims X, Y, C (C = 3); not modified
	 * @return new rasters (or boxes) in the answer image's pixel grid
	 * @throws IllegalArgumentException when {@code rgb} is not X, Y, C with C = 3
	 */
	TaskOutput read(RandomAccessibleInterval<UnsignedByteType> rgb);
}
