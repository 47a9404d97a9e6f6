/**
 * Scoring a model bundle on the held-out synthetic scenes ({@code lumina score}), in plain Java
 * over the engine: {@link org.lumina.mgpt.cli.score.HeldoutSet} reads the scenes,
 * {@link org.lumina.mgpt.cli.score.ScoredBundles} decides which bundle scores which task,
 * {@link org.lumina.mgpt.cli.score.BundleScorer} runs the tasks through the engine's task layer
 * and readers and compares the answers with the truth ({@link org.lumina.mgpt.cli.score.MeanIou},
 * {@link org.lumina.mgpt.cli.score.RankCorrelation}, {@link org.lumina.mgpt.cli.score.NormalAngles},
 * {@link org.lumina.mgpt.cli.score.PixelBox}, {@link org.lumina.mgpt.cli.score.ObjectClassifier},
 * {@link org.lumina.mgpt.cli.score.CaptionCheck}), and
 * {@link org.lumina.mgpt.cli.score.ScoreReport} holds the results ({@link org.lumina.mgpt.cli.score.Metric}).
 * <p>
 * Left out on purpose: pose, condition and edit (the held-out scenes have no truth for them yet),
 * scoring through the Fiji commands, and a learned classifier (the hand-made one is checked on
 * the truth pictures instead, and its round-trip accuracy is reported beside the scores).
 */
package org.lumina.mgpt.cli.score;
