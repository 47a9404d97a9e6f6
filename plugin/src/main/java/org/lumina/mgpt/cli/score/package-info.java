/**
 * Scoring a model bundle on the held-out synthetic scenes ({@code lumina score}), in plain Java
 * over the engine: {@link org.lumina.mgpt.cli.score.HeldoutSet} reads the scenes,
 * {@link org.lumina.mgpt.cli.score.ScoredBundles} decides which bundle scores which task,
 * {@link org.lumina.mgpt.cli.score.BundleScorer} runs the tasks through the engine's task layer
 * and readers and compares the answers with the truth ({@link org.lumina.mgpt.cli.score.MeanIou},
 * {@link org.lumina.mgpt.cli.score.RankCorrelation}, {@link org.lumina.mgpt.cli.score.NormalAngles},
 * {@link org.lumina.mgpt.cli.score.PixelBox}, {@link org.lumina.mgpt.cli.score.ObjectClassifier},
 * {@link org.lumina.mgpt.cli.score.CaptionCheck}, the keypoint PCK of
 * {@link org.lumina.mgpt.cli.score.HeldoutScene.Figure#pck}), and
 * {@link org.lumina.mgpt.cli.score.ScoreReport} holds the results ({@link org.lumina.mgpt.cli.score.Metric}).
 * Pose keypoints are read only from a bundle whose manifest declares the keypoint convention
 * ({@code outputs.pose} with {@code "encoding": "keypoints"}); for one that keeps
 * {@code "pose": "unknown"} there is no reader and the pose figures are null, as for a task no
 * bundle covers.
 * <p>
 * Left out on purpose: scoring through the Fiji commands (the tests compare the two instead),
 * and a learned classifier (the hand-made one is checked on the truth pictures instead, and its
 * round-trip accuracy is reported beside the scores).
 */
package org.lumina.mgpt.cli.score;
