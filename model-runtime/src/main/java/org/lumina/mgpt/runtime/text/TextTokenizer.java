package org.lumina.mgpt.runtime.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import org.lumina.mgpt.runtime.ModelException;
import org.lumina.mgpt.runtime.bundle.ModelManifest;
import org.lumina.mgpt.runtime.bundle.TokenIds;

/**
 * The text tokenizer of a model bundle: a Hugging Face {@code tokenizer.json} run by DJL's
 * native tokenizers, offline, with no special tokens added, no truncation and no padding. Opening
 * it checks that the tokenizer's ids of the reference's special tokens agree with the manifest
 * and builds the {@link ImageTokenMap}.
 * <p>
 * Thread-safe until closed; {@link #close()} frees the native tokenizer, after which every
 * method throws {@link IllegalStateException}.
 */
public final class TextTokenizer implements AutoCloseable {

	static {
		// NB: DJL reaches a telemetry address at start-up unless told to stay offline
		if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
		if (System.getProperty("OPT_OUT_TRACKING") == null) System.setProperty("OPT_OUT_TRACKING", "true");
	}

	private final HuggingFaceTokenizer tokenizer;
	private final TokenizerVocabulary vocabulary;
	private final TokenIds ids;
	private final ImageTokenMap imageTokenMap;
	private volatile boolean closed;

	private TextTokenizer(final HuggingFaceTokenizer tokenizer, final TokenizerVocabulary vocabulary,
		final TokenIds ids, final ImageTokenMap imageTokenMap)
	{
		this.tokenizer = tokenizer;
		this.vocabulary = vocabulary;
		this.ids = ids;
		this.imageTokenMap = imageTokenMap;
	}

	/** Opens the tokenizer of a bundle whose manifest was read with {@code ManifestReader}. */
	public static TextTokenizer open(final ModelManifest manifest) {
		return open(manifest.resolve(manifest.files().tokenizer()), manifest.tokens());
	}

	/**
	 * Opens {@code tokenizerJson} and checks it against the manifest's token ids.
	 *
	 * @throws ModelException when the file cannot be loaded, or its ids disagree with {@code ids}
	 */
	public static TextTokenizer open(final Path tokenizerJson, final TokenIds ids) {
		final Path bundle = tokenizerJson.toAbsolutePath().getParent();
		if (!Files.isRegularFile(tokenizerJson)) {
			throw new ModelException(bundle, tokenizerJson.getFileName() + " is missing");
		}
		final TokenizerVocabulary vocabulary = TokenizerVocabulary.read(tokenizerJson);
		final ImageTokenMap map = ImageTokenMap.fromVocabulary(vocabulary.ids(), ids.imageTokens(), ids.codebookSize(),
			bundle);
		final HuggingFaceTokenizer hf;
		try {
			hf = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson).optAddSpecialTokens(false)
				.optTruncation(false).optPadding(false).build();
		}
		catch (final IOException | RuntimeException e) {
			throw new ModelException(bundle, "cannot load " + tokenizerJson.getFileName() + ": " + e.getMessage(), e);
		}
		final TextTokenizer tokenizer = new TextTokenizer(hf, vocabulary, ids, map);
		try {
			ReferenceTokens.check(vocabulary, tokenizer, ids, bundle);
		}
		catch (final RuntimeException e) {
			tokenizer.close();
			throw e;
		}
		return tokenizer;
	}

	/**
	 * Encodes {@code text} in one pass; added tokens such as {@code <reserved08706>} and
	 * {@code <|image|>} become single ids. No BOS is added.
	 */
	public int[] encode(final String text) {
		checkOpen();
		return Arrays.stream(tokenizer.encode(text, false, false).getIds()).mapToInt(Math::toIntExact).toArray();
	}

	/** Decodes {@code ids} to text, special tokens included (as the reference's {@code decode}). */
	public String decode(final int[] tokenIds) {
		checkOpen();
		return tokenizer.decode(Arrays.stream(tokenIds).asLongStream().toArray(), false);
	}

	/**
	 * @return the id of a whole token string, e.g. {@code <racm3:break>}
	 * @throws IllegalArgumentException when the vocabulary has no such token
	 */
	public int id(final String token) {
		final Integer id = vocabulary.id(token);
		if (id == null) throw new IllegalArgumentException("the tokenizer has no token '" + token + "'");
		return id;
	}

	/**
	 * @return the token string of {@code id}, e.g. {@code <reserved08706>} for the separator
	 * @throws IllegalArgumentException when no token has that id
	 */
	public String token(final int id) {
		final String token = vocabulary.token(id);
		if (token == null) throw new IllegalArgumentException("the tokenizer has no token with id " + id);
		return token;
	}

	/** @return the manifest's token ids this tokenizer was checked against */
	public TokenIds tokenIds() {
		return ids;
	}

	/** @return the code ↔ id map of the image tokens */
	public ImageTokenMap imageTokenMap() {
		return imageTokenMap;
	}

	/** Frees the native tokenizer; idempotent. */
	@Override
	public void close() {
		if (!closed) {
			closed = true;
			tokenizer.close();
		}
	}

	private void checkOpen() {
		if (closed) throw new IllegalStateException("the tokenizer is closed; open a new one with TextTokenizer.open");
	}
}
