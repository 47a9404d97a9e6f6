/**
 * The headless command line, {@code ./lumina}: {@link org.lumina.mgpt.cli.LuminaCli} and one thin
 * picocli class per subcommand ({@code DemoCommand}, {@code TokensCommand},
 * {@code GenerateCommand}, {@code RunCommand}, {@code BenchCommand}) over plain-Java pieces: {@code SamplingOptions}
 * (defaults from the manifest), {@code GenerationJob} (prompt to files), {@code OutputFolder}
 * (atomic outputs), {@code Provenance} ({@code generation.json}), {@code DecodeBenchmark},
 * {@code SoakRun}, {@code TorchBaseline}, and {@code org.lumina.mgpt.plugin.batch} for {@code run}. Errors become one line and an exit code in
 * {@code ErrorReporter}.
 * <p>
 * Left out on purpose: multi-turn chat (one user turn per call), listing the candidate sizes
 * (error messages name the closest ones), streaming text to stdout, and cancelling the torch
 * baseline or the benchmark model's export (they run to their time limit).
 */
package org.lumina.mgpt.cli;
