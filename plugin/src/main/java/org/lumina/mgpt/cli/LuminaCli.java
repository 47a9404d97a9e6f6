package org.lumina.mgpt.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;

import org.lumina.mgpt.runtime.LoadedModels;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The headless command line ({@code ./lumina}): {@code demo}, {@code tokens}, {@code generate},
 * {@code run}, {@code bench} and {@code score}. Each subcommand is a thin picocli class over a plain-Java core in this
 * package; errors become one line {@code lumina: <problem>; <fix>} and an exit code (see
 * {@link ErrorReporter}).
 */
@Command(name = "lumina", mixinStandardHelpOptions = true, versionProvider = EngineVersion.class,
	description = "Runs the Lumina-mGPT multimodal model through ONNX Runtime.",
	subcommands = { DemoCommand.class, TokensCommand.class, GenerateCommand.class, RunCommand.class,
		BenchCommand.class, ScoreCommand.class },
	footer = { "", "Run './lumina <command> --help' for the options of a command.",
		"Exit codes: 0 done, 1 unexpected error, 2 bad input or model, 3 incomplete answer, 130 cancelled." })
public final class LuminaCli implements Callable<Integer> {

	@Spec
	private CommandSpec spec;

	private final CancelFlag cancel;
	private final LoadedModels models = new LoadedModels();

	/** @param cancel set when the user interrupts (Ctrl-C); generations poll it every step */
	public LuminaCli(final CancelFlag cancel) {
		this.cancel = cancel;
	}

	/** @return the flag that stops a running generation */
	CancelFlag cancel() {
		return cancel;
	}

	/** @return the models loaded by this invocation (the same registry the Fiji plugin's service uses) */
	LoadedModels models() {
		return models;
	}

	/** Runs the CLI and exits the JVM with its exit code; Ctrl-C cancels a running generation. */
	public static void main(final String[] args) {
		final CancelFlag cancel = new CancelFlag();
		cancel.installShutdownHook();
		final int code;
		try {
			code = run(args, System.out, System.err, cancel);
		}
		finally {
			cancel.finished();
		}
		System.exit(code);
	}

	/**
	 * Runs the CLI in this JVM without exiting it (for tests and embedding).
	 *
	 * @return the exit code: 0 done, 1 unexpected error, 2 bad input or model, 3 incomplete
	 *         answer, 130 cancelled
	 */
	public static int run(final String[] args, final PrintStream out, final PrintStream err, final CancelFlag cancel) {
		final boolean debug = Arrays.asList(args).contains("--debug");
		// NB: DJL's tokenizer logs through SLF4J, which warns on stderr that no logger is bound
		if (System.getProperty("slf4j.internal.verbosity") == null) System.setProperty("slf4j.internal.verbosity", "ERROR");
		final PrintWriter outWriter = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
		final PrintWriter errWriter = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
		final ErrorReporter errors = new ErrorReporter(debug);
		final LuminaCli cli = new LuminaCli(cancel);
		final CommandLine commandLine = new CommandLine(cli).setOut(outWriter).setErr(errWriter)
			.setExecutionExceptionHandler(errors).setParameterExceptionHandler(errors);
		try {
			return commandLine.execute(args);
		}
		finally {
			cli.models.close();
			outWriter.flush();
			errWriter.flush();
		}
	}

	/** {@link #run(String[], PrintStream, PrintStream, CancelFlag)} that cannot be cancelled. */
	public static int run(final String[] args, final PrintStream out, final PrintStream err) {
		return run(args, out, err, new CancelFlag());
	}

	/** Without a command: the usage and one error line on stderr, exit code 2. */
	@Override
	public Integer call() {
		final PrintWriter err = spec.commandLine().getErr();
		spec.commandLine().usage(err);
		err.println("lumina: no command given; name one of demo, tokens, generate, run, bench, score (see --help)");
		return ErrorReporter.BAD_INPUT;
	}
}
