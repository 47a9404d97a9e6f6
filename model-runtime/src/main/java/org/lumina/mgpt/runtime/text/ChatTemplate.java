package org.lumina.mgpt.runtime.text;

import java.util.ArrayList;
import java.util.List;

import org.lumina.mgpt.runtime.bundle.TokenIds;

/**
 * Lumina-mGPT's conversation template (spec §4.1): {@code [BOS] + encode(turn1 + SEP + turn2 +
 * SEP + ...)} where SEP is the separator token's text ({@code <reserved08706>}); no role names,
 * no system prompt. The whole conversation is tokenized in one pass, and each
 * {@code <|image|>} placeholder id is then replaced by that image's Uni-Rep tokens, in order.
 * When images are given but no turn holds a placeholder, {@code "<|image|> "} is put in front of
 * the first turn once per image, as the reference does.
 * <p>
 * Thread-safe as long as the tokenizer is open.
 */
public final class ChatTemplate {

	private final TextTokenizer tokenizer;
	private final TokenIds ids;
	private final String separator;
	private final String placeholder;
	private final int placeholderId;

	public ChatTemplate(final TextTokenizer tokenizer) {
		this.tokenizer = tokenizer;
		this.ids = tokenizer.tokenIds();
		this.separator = tokenizer.token(ids.separator());
		this.placeholder = ids.imagePlaceholder();
		this.placeholderId = tokenizer.id(placeholder);
	}

	/** Encodes a single user turn; see {@link #encode(List, List)}. */
	public int[] encode(final String prompt, final List<int[]> images) {
		return encode(List.of(prompt), images);
	}

	/**
	 * Encodes a conversation that ends with the user's turn, ready for the model to answer.
	 *
	 * @param turns user, assistant, user, ... texts; an odd number, so the last one is the user's
	 * @param images the Uni-Rep token lists of the images, in the order of their placeholders
	 * @return the prompt ids: BOS, then every turn followed by the separator, images spliced in
	 * @throws IllegalArgumentException when the turns are not user/assistant pairs plus a final
	 *           user turn, when the number of {@code <|image|>} placeholders differs from the
	 *           number of images, or an image list is not a Uni-Rep token list
	 */
	public int[] encode(final List<String> turns, final List<int[]> images) {
		if (turns.isEmpty() || turns.size() % 2 == 0) {
			throw new IllegalArgumentException("turns must alternate user, assistant, ..., and end with a user turn " +
				"(an odd number), got " + turns.size() + " turns");
		}
		for (int i = 0; i < images.size(); i++) {
			checkImage(i, images.get(i));
		}
		final List<String> texts = withImplicitPlaceholders(turns, images.size());
		final StringBuilder conversation = new StringBuilder();
		for (final String turn : texts) {
			conversation.append(turn).append(separator);
		}
		final int[] encoded = tokenizer.encode(conversation.toString());
		return splice(encoded, images);
	}

	private List<String> withImplicitPlaceholders(final List<String> turns, final int numImages) {
		final int count = turns.stream().mapToInt(this::countPlaceholders).sum();
		if (count == 0 && numImages > 0) {
			final List<String> copy = new ArrayList<>(turns);
			copy.set(0, (placeholder + " ").repeat(numImages) + turns.get(0));
			return copy;
		}
		if (count != numImages) {
			throw new IllegalArgumentException("the text holds " + count + " " + placeholder + " placeholder(s) but " +
				numImages + " image(s) were given; put one " + placeholder + " where each image goes, or none to " +
				"place all images at the start of the first turn");
		}
		return turns;
	}

	private int[] splice(final int[] encoded, final List<int[]> images) {
		int length = 1 + encoded.length;
		for (final int[] image : images) {
			length += image.length - 1;
		}
		final int[] out = new int[length];
		out[0] = ids.bos();
		int pos = 1;
		int next = 0;
		for (final int id : encoded) {
			if (id == placeholderId) {
				if (next == images.size()) throw tokenizerMismatch(images.size());
				final int[] image = images.get(next++);
				System.arraycopy(image, 0, out, pos, image.length);
				pos += image.length;
			}
			else {
				out[pos++] = id;
			}
		}
		if (next != images.size()) throw tokenizerMismatch(images.size());
		return out;
	}

	private int countPlaceholders(final String text) {
		int count = 0;
		for (int i = text.indexOf(placeholder); i >= 0; i = text.indexOf(placeholder, i + placeholder.length())) {
			count++;
		}
		return count;
	}

	private void checkImage(final int index, final int[] tokens) {
		if (tokens.length < 4 || tokens[0] != ids.imageStart() || tokens[tokens.length - 1] != ids.imageEnd()) {
			throw new IllegalArgumentException("image " + index + " is not a Uni-Rep token list: it must start with " +
				"the image start id " + ids.imageStart() + " and end with the image end id " + ids.imageEnd() +
				" (encode it with UniRep.encode)");
		}
	}

	private IllegalStateException tokenizerMismatch(final int numImages) {
		return new IllegalStateException("the tokenizer did not turn each of the " + numImages + " " + placeholder +
			" placeholders into its single id " + placeholderId);
	}
}
