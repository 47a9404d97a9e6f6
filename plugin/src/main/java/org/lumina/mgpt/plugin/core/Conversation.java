package org.lumina.mgpt.plugin.core;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import ij.ImagePlus;

/**
 * The {@code ask} conversation kept on an image, as the property {@value #PROPERTY}: a JSON list
 * of strings, user, assistant, user, assistant, …
 */
final class Conversation {

	/** The image property holding the conversation. */
	static final String PROPERTY = "lumina.conversation";

	private static final ObjectMapper JSON = new ObjectMapper();

	private Conversation() {}

	/**
	 * @return the prior turns stored on {@code image}; empty when there are none
	 * @throws IllegalArgumentException when the property is not a JSON list of an even number of strings
	 */
	static List<String> read(final ImagePlus image) {
		final String stored = image.getProp(PROPERTY);
		if (stored == null || stored.isBlank()) return List.of();
		final List<String> turns;
		try {
			turns = JSON.readValue(stored, new TypeReference<List<String>>() {});
		}
		catch (final JsonProcessingException e) {
			throw new IllegalArgumentException("the image property " + PROPERTY + " of '" + image.getTitle() +
				"' must be a JSON list of strings (user, assistant, ...): " + e.getOriginalMessage());
		}
		if (turns.size() % 2 != 0 || turns.contains(null)) {
			throw new IllegalArgumentException("the image property " + PROPERTY + " of '" + image.getTitle() +
				"' must hold user/assistant pairs of strings, got " + turns.size() + " entries; start a new conversation");
		}
		return List.copyOf(turns);
	}

	/** Stores {@code prior} + {@code question} + {@code answer} on {@code image}. */
	static void write(final ImagePlus image, final List<String> prior, final String question, final String answer) {
		final List<String> turns = new ArrayList<>(prior);
		turns.add(question);
		turns.add(answer);
		try {
			image.setProp(PROPERTY, JSON.writeValueAsString(turns));
		}
		catch (final JsonProcessingException e) {
			throw new IllegalStateException("cannot write the conversation as JSON", e);
		}
	}
}
