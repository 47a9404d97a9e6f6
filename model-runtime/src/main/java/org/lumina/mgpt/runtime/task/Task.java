package org.lumina.mgpt.runtime.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.lumina.mgpt.runtime.bundle.TaskFamily;

/**
 * One task of the product (depth, segmentation, text to image, …) as {@code tasks.json}
 * declares it: its prompt template and how its answer is read.
 *
 * @param id short name used by the CLI, macros and provenance ({@code depth}, {@code t2i}, …)
 * @param label the menu label
 * @param family which sampling defaults of the bundle manifest apply
 * @param inputs how many input images the prompt takes
 * @param imageAnswer whether the answer is an image (else text)
 * @param output the key of the manifest's {@code outputs} section that says how to read the
 *            answer image ({@code depth}, {@code normals}, …), {@code image} for a picture, or
 *            {@code text}
 * @param template the prompt with {@code {field}} placeholders and {@code <|image|>} markers
 */
public record Task(String id, String label, TaskFamily family, int inputs, boolean imageAnswer, String output,
	String template)
{

	private static final Pattern FIELD = Pattern.compile("\\{([a-z_]+)}");

	/** @return the names of the template's {@code {field}}s, in order of appearance */
	public List<String> fields() {
		final List<String> names = new ArrayList<>();
		final Matcher m = FIELD.matcher(template);
		while (m.find()) {
			if (!names.contains(m.group(1))) names.add(m.group(1));
		}
		return names;
	}

	/**
	 * Fills the template.
	 *
	 * @param values a value for every {@link #fields() field}
	 * @throws IllegalArgumentException naming a missing or blank field and the task
	 */
	public String prompt(final Map<String, String> values) {
		final StringBuilder prompt = new StringBuilder();
		final Matcher m = FIELD.matcher(template);
		while (m.find()) {
			final String value = values.get(m.group(1));
			if (value == null || value.isBlank()) {
				throw new IllegalArgumentException("task " + id + " needs a value for '" + m.group(1) + "' (its prompt is '" +
					template.replace("\n", "\\n") + "')");
			}
			m.appendReplacement(prompt, Matcher.quoteReplacement(value));
		}
		m.appendTail(prompt);
		return prompt.toString();
	}
}
