package org.lumina.mgpt.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The CLI's JSON: one-line results on stdout and indented files. */
final class JsonOutput {

	private static final ObjectMapper JSON = new ObjectMapper();

	private JsonOutput() {}

	/** @return {@code value} (maps, lists, arrays, numbers, strings) as one line of JSON */
	static String line(final Object value) {
		try {
			return JSON.writeValueAsString(value);
		}
		catch (final JsonProcessingException e) {
			throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
		}
	}

	/** Writes {@code value} as indented JSON to {@code file}. */
	static void write(final Object value, final Path file) {
		try {
			Files.writeString(file, JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value) + "\n");
		}
		catch (final IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
