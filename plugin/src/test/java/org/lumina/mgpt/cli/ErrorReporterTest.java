package org.lumina.mgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CancellationException;

import org.junit.jupiter.api.Test;
import org.lumina.mgpt.runtime.ModelException;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Tests {@link ErrorReporter#handleExecutionException}: exit codes and messages per exception kind. */
class ErrorReporterTest {

	@Command(name = "probe")
	static final class Probe implements Runnable {

		@Override
		public void run() {}
	}

	private final StringWriter err = new StringWriter();
	private final CommandLine command = new CommandLine(new Probe()).setErr(new PrintWriter(err));

	private int handle(final Exception e, final boolean debug) {
		return new ErrorReporter(debug).handleExecutionException(e, command, null);
	}

	@Test
	void badInputIsTwo() {
		assertEquals(2, handle(new IllegalArgumentException("size is wrong;\nfix it"), false));
		assertEquals("lumina: size is wrong; fix it", err.toString().strip());
	}

	@Test
	void modelProblemsAreTwo() {
		assertEquals(2, handle(new ModelException(null, "checksum mismatch; re-export"), false));
		assertTrue(err.toString().startsWith("lumina: checksum mismatch; re-export"));
	}

	@Test
	void ioProblemsNameTheFileAndAFix() {
		assertEquals(2, handle(new UncheckedIOException(new NoSuchFileException("/x/y.png")), false));
		assertEquals("lumina: /x/y.png does not exist; check the path", err.toString().strip());
		assertTrue(ErrorReporter.describe(new IOException("disk full")).contains("; check"));
	}

	@Test
	void cancellationIs130() {
		assertEquals(130, handle(new CancellationException("generation cancelled"), false));
		assertTrue(err.toString().startsWith("lumina: cancelled"));
	}

	@Test
	void incompleteAnswerIsThree() {
		assertEquals(3, handle(new IncompleteAnswerException("stopped inside an image"), false));
	}

	@Test
	void anythingElseIsOneAndAsksForDebug() {
		assertEquals(1, handle(new IllegalStateException("boom"), false));
		final String text = err.toString();
		assertTrue(text.startsWith("lumina: unexpected error: IllegalStateException: boom"), text);
		assertTrue(text.strip().endsWith("(run with --debug for the stack trace)"), text);
		assertFalse(text.contains("\tat "), text);
	}

	@Test
	void debugPrintsTheStackTrace() {
		handle(new IllegalStateException("boom"), true);
		assertTrue(err.toString().contains("\tat "));
	}
}
