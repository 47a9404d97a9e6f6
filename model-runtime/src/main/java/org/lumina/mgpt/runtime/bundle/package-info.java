/**
 * Model bundles: reading and validating {@code lumina-model.json} ({@link
 * org.lumina.mgpt.runtime.bundle.ManifestReader}) into a {@link
 * org.lumina.mgpt.runtime.bundle.ModelManifest}, and verifying the files' SHA-256 with a cache
 * ({@link org.lumina.mgpt.runtime.bundle.BundleVerifier}). See docs/bundle-format.md.
 * <p>
 * Deliberately left out: reading ONNX graphs (the {@code onnx} package cross-checks the
 * manifest against the sessions); keys the runtime does not use ({@code source},
 * {@code license}, decoder architecture details) are read by nobody and ignored; downloading
 * bundles.
 */
package org.lumina.mgpt.runtime.bundle;
