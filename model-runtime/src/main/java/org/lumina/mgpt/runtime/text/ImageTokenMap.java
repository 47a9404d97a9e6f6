package org.lumina.mgpt.runtime.text;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.lumina.mgpt.runtime.ModelException;
import org.lumina.mgpt.runtime.TokenRange;

/**
 * The bijection between VQ codebook indices {@code 0..codebookSize-1} and the vocabulary ids of
 * the image tokens (spec §1.2). The real Chameleon table is built from the tokenizer's
 * {@code IMGIMG} token names rather than assumed to be an offset.
 * <p>
 * Immutable and thread-safe.
 */
public final class ImageTokenMap {

	static final String PREFIX = "IMGIMG";

	private final TokenRange range;
	private final int[] codeToId;
	private final int[] idToCode; // indexed by id - range.first()

	private ImageTokenMap(final TokenRange range, final int[] codeToId) {
		this.range = range;
		this.codeToId = codeToId;
		this.idToCode = new int[range.size()];
		for (int code = 0; code < codeToId.length; code++) {
			idToCode[codeToId[code] - range.first()] = code;
		}
	}

	/** @return the map where code {@code c} is id {@code range.first() + c} (tests, tiny models) */
	public static ImageTokenMap contiguous(final TokenRange range) {
		final int[] codeToId = new int[range.size()];
		Arrays.setAll(codeToId, code -> range.first() + code);
		return new ImageTokenMap(range, codeToId);
	}

	/**
	 * Builds the map from the {@code IMGIMG} entries of a vocabulary: strip the prefix and the
	 * last character, read letters {@code A..J} as digits {@code 0..9}.
	 *
	 * @param vocabulary token string to id
	 * @param range the manifest's image token range
	 * @param codebookSize the manifest's codebook size
	 * @param bundle the bundle, for messages
	 * @throws ModelException naming the first entry that breaks the bijection: a malformed name,
	 *           a code outside the codebook, an id outside the range, a duplicate, a missing code
	 */
	public static ImageTokenMap fromVocabulary(final Map<String, Integer> vocabulary, final TokenRange range,
		final int codebookSize, final Path bundle)
	{
		if (range.size() != codebookSize) {
			throw new ModelException(bundle, "the image token range " + range.first() + ".." + range.last() + " holds " +
				range.size() + " ids but the codebook has " + codebookSize + " codes");
		}
		final int[] codeToId = new int[codebookSize];
		Arrays.fill(codeToId, -1);
		// NB: sorted by id, so that "the first bad entry" is the same on every run
		final List<Map.Entry<String, Integer>> entries = vocabulary.entrySet().stream()
			.filter(e -> e.getKey().startsWith(PREFIX)).sorted(Map.Entry.comparingByValue()).collect(Collectors.toList());
		for (final Map.Entry<String, Integer> e : entries) {
			final String entry = "'" + e.getKey() + "' (id " + e.getValue() + ")";
			final int code = parseCode(e.getKey());
			if (code < 0) throw bad(bundle, entry + " is not IMGIMG + letters A..J + one final character");
			if (code >= codebookSize) throw bad(bundle, entry + " is code " + code + ", outside 0.." + (codebookSize - 1));
			if (!range.contains(e.getValue())) {
				throw bad(bundle, entry + " lies outside the image token range " + range.first() + ".." + range.last());
			}
			if (codeToId[code] >= 0) {
				throw bad(bundle, entry + " repeats code " + code + ", already given to id " + codeToId[code]);
			}
			codeToId[code] = e.getValue();
		}
		for (int code = 0; code < codebookSize; code++) {
			if (codeToId[code] < 0) throw bad(bundle, "no IMGIMG token has code " + code);
		}
		// codes are distinct and ids lie in a range of codebookSize ids: the map is a bijection
		return new ImageTokenMap(range, codeToId);
	}

	/** @return the codebook index encoded in an {@code IMGIMG} name, or -1 when malformed */
	static int parseCode(final String name) {
		if (!name.startsWith(PREFIX) || name.length() < PREFIX.length() + 2 || name.length() > PREFIX.length() + 10) {
			return -1;
		}
		final String letters = name.substring(PREFIX.length(), name.length() - 1);
		int code = 0;
		for (int i = 0; i < letters.length(); i++) {
			final char c = letters.charAt(i);
			if (c < 'A' || c > 'J') return -1;
			code = code * 10 + (c - 'A');
		}
		return code;
	}

	/** @return the vocabulary id of {@code code}; throws {@link IllegalArgumentException} outside the codebook */
	public int tokenId(final int code) {
		if (code < 0 || code >= codeToId.length) {
			throw new IllegalArgumentException("code must be in 0.." + (codeToId.length - 1) + ", got " + code);
		}
		return codeToId[code];
	}

	/** @return the code of image token {@code id}; throws {@link IllegalArgumentException} for other ids */
	public int code(final int id) {
		if (!range.contains(id)) {
			throw new IllegalArgumentException("token " + id + " is not an image token (" + range.first() + ".." +
				range.last() + ")");
		}
		return idToCode[id - range.first()];
	}

	/** @return whether {@code id} is an image (VQ) token */
	public boolean isImageToken(final int id) {
		return range.contains(id);
	}

	/** @return the vocabulary ids of the image tokens */
	public TokenRange range() {
		return range;
	}

	/** @return the number of codes */
	public int codebookSize() {
		return codeToId.length;
	}

	private static ModelException bad(final Path bundle, final String problem) {
		return new ModelException(bundle, "the tokenizer's image tokens do not map one-to-one onto the codebook: " +
			problem);
	}
}
