/**
 * The headless command line, {@code ./lumina}: {@link org.lumina.mgpt.cli.LuminaCli} and one thin
 * picocli class per subcommand ({@code DemoCommand}, {@code TokensCommand},
 * {@code GenerateCommand}, {@code RunCommand}, {@code BenchCommand}, {@code ScoreCommand}) over
 * plain-Java pieces: {@code SamplingOptions} (defaults from the manifest), {@code GenerationJob}
 * (prompt to files), {@code OutputFolder} (atomic outputs), {@code Provenance}
 * ({@code generation.json}), {@code DecodeBenchmark}, {@code SoakRun}, {@code TorchBaseline},
 * {@code org.lumina.mgpt.cli.score} for {@code score}, and {@code org.lumina.mgpt.plugin.batch}
 * for {@code run}. Every subcommand leases its model from the invocation's
 * {@link org.lumina.mgpt.runtime.LoadedModels} ({@code CommonOptions.openModel}), the registry
 * the Fiji plugin's service uses too. Errors become one line and an exit code in
 * {@code ErrorReporter}.
 * <p>
 * Left out on purpose: multi-turn chat (one user turn per call), listing the candidate sizes
 * (error messages name the closest ones), streaming text to stdout, and cancelling the torch
 * baseline or the benchmark model's export (they run to their time limit).
 */
package org.lumina.mgpt.cli;
