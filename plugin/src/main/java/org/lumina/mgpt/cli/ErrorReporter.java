package org.lumina.mgpt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CancellationException;

import org.lumina.mgpt.runtime.ModelException;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line {@code lumina: <problem>; <fix>} on stderr and an exit code;
 * the stack trace follows only with {@code --debug}.
 * <ul>
 * <li>{@value #BAD_INPUT}: bad options, inputs or model bundle ({@link IllegalArgumentException},
 * {@link ModelException}, {@link IOException}, picocli's parse errors)</li>
 * <li>{@value #INCOMPLETE}: the answer was cut inside an image ({@link IncompleteAnswerException})</li>
 * <li>{@value #CANCELLED}: cancelled (Ctrl-C)</li>
 * <li>{@value #UNEXPECTED}: anything else, a bug</li>
 * </ul>
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {

	static final int UNEXPECTED = 1;
	static final int BAD_INPUT = 2;
	static final int INCOMPLETE = 3;
	static final int CANCELLED = 130;

	private final boolean debug;

	/** @param debug whether to print stack traces after the error line */
	ErrorReporter(final boolean debug) {
		this.debug = debug;
	}

	// -- IParameterExceptionHandler methods --

	@Override
	public int handleParseException(final ParameterException ex, final String[] args) {
		final CommandLine command = ex.getCommandLine();
		final String help = "./" + command.getCommandSpec().qualifiedName() + " --help";
		report(command.getErr(), oneLine(ex.getMessage()) + "; see " + help, ex);
		return BAD_INPUT;
	}

	// -- IExecutionExceptionHandler methods --

	@Override
	public int handleExecutionException(final Exception ex, final CommandLine command, final ParseResult parsed) {
		final Throwable e = ex instanceof UncheckedIOException u ? u.getCause() : ex;
		final PrintWriter err = command.getErr();
		if (e instanceof CancellationException) {
			report(err, "cancelled; nothing was written for the unfinished run", e);
			return CANCELLED;
		}
		if (e instanceof IncompleteAnswerException) {
			report(err, oneLine(e.getMessage()), e);
			return INCOMPLETE;
		}
		if (e instanceof IllegalArgumentException || e instanceof ModelException) {
			report(err, oneLine(e.getMessage()), e);
			return BAD_INPUT;
		}
		if (e instanceof IOException io) {
			report(err, describe(io), e);
			return BAD_INPUT;
		}
		report(err, "unexpected error: " + e.getClass().getSimpleName() + ": " + oneLine(String.valueOf(e.getMessage())) +
			" (run with --debug for the stack trace)", e);
		return UNEXPECTED;
	}

	// -- Helper methods --

	private void report(final PrintWriter err, final String line, final Throwable e) {
		err.println("lumina: " + line);
		if (debug) e.printStackTrace(err);
		err.flush();
	}

	/** @return an I/O failure as problem; fix */
	static String describe(final IOException e) {
		if (e instanceof NoSuchFileException f) return f.getFile() + " does not exist; check the path";
		if (e instanceof AccessDeniedException f) return "permission denied for " + f.getFile() + "; check the file permissions";
		if (e instanceof FileSystemException f) {
			return "cannot access " + f.getFile() + (f.getReason() == null ? "" : " (" + f.getReason() + ")") +
				"; check the path, the permissions and the free disk space";
		}
		return "I/O error: " + oneLine(String.valueOf(e.getMessage())) + "; check the paths, the permissions and the free disk space";
	}

	/** @return {@code text} with its line breaks folded into spaces */
	static String oneLine(final String text) {
		return text.strip().replaceAll("\\s*\\R\\s*", " ");
	}
}
