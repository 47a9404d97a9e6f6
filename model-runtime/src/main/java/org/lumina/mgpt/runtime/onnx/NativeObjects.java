package org.lumina.mgpt.runtime.onnx;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the native ONNX Runtime objects (tensors, results, sessions) the engine has created and
 * not yet closed, so that soak tests and benchmarks can show that nothing leaks across runs.
 */
public final class NativeObjects {

	private static final AtomicLong LIVE = new AtomicLong();

	private NativeObjects() {}

	/** @return the number of engine-created native objects still open */
	public static long live() {
		return LIVE.get();
	}

	static void opened() {
		LIVE.incrementAndGet();
	}

	static void closed() {
		LIVE.decrementAndGet();
	}
}
