package org.lumina.mgpt.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where tests find the model bundles the project ships or CI exports. */
public final class TestBundles {

	private TestBundles() {}

	/** @return the committed tiny random-weight bundle ({@code model-runtime/models/tiny-random}) */
	public static Path tiny() {
		final Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
		final Path bundle = module.resolve("models/tiny-random");
		if (!Files.isRegularFile(bundle.resolve("lumina-model.json"))) {
			throw new IllegalStateException("the tiny test bundle is missing at " + bundle.toAbsolutePath() +
				"; regenerate it as model-runtime/models/tiny-random/REGENERATE.md says");
		}
		return bundle;
	}

	/**
	 * @return the tiny bundle plus every bundle named in the system property
	 *         {@code lumina.parity.extraBundles} (comma-separated folders; CI passes the bundle the
	 *         exporter's tests convert from a Hugging Face-layout checkpoint)
	 */
	public static List<Path> withReferences() {
		final List<Path> bundles = new ArrayList<>(List.of(tiny()));
		final String extra = System.getProperty("lumina.parity.extraBundles", "").trim();
		for (final String dir : extra.isEmpty() ? new String[0] : extra.split(",")) {
			final Path bundle = Path.of(dir.trim());
			if (!Files.isRegularFile(bundle.resolve("references/references.json"))) {
				throw new IllegalStateException("lumina.parity.extraBundles names " + bundle +
					" but it holds no references/references.json");
			}
			bundles.add(bundle);
		}
		return bundles;
	}

	/** @return BOS and a text-to-image request, tokenized by {@code model}: a prompt for generation tests */
	public static int[] textPrompt(final Model model) {
		final int[] text = model.tokenizer().encode("Generate an image according to the following prompt:\nA ring");
		final int[] prompt = new int[text.length + 1];
		prompt[0] = model.manifest().tokens().bos();
		System.arraycopy(text, 0, prompt, 1, text.length);
		return prompt;
	}
}
