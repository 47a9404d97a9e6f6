package org.lumina.mgpt.cli.score;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.lumina.mgpt.runtime.ImageSize;

/**
 * Whether a caption answer is right. The held-out captions name every object as
 * {@code a <size> <colour> <shape> <position>} ({@code a large red ring at the top left, a small
 * blue disc in the center and ...}), the position being the third of the picture, across and down,
 * that holds the object's centre. An answer is CORRECT when its {@code <colour> <shape> <position>}
 * mentions name every object of the scene once, with its colour, shape and position, and nothing
 * else, in any order and wording around them. The size words ({@code large}/{@code small}) are not
 * checked. Immutable and thread-safe.
 * <p>
 * A centre that lies within the check's tolerance of a line between thirds may be named by the
 * position on either side of it: no picture tells the two apart there, so a strict check would score
 * chance rather than the model. With tolerance 0 the words are those of the truth caption alone.
 */
public final class CaptionCheck {

	/**
	 * The default tolerance in pixels: a quarter of a 16-pixel VQ token. Held-out centres lie as close
	 * as half a pixel to a line between thirds.
	 */
	public static final double POSITION_TOLERANCE = 4;

	private static final String POSITION = "in the center|at the (?:top|bottom)(?: left| right)?|at the (?:left|right)";
	private static final String[] ROWS = { "top", "", "bottom" };
	private static final String[] COLUMNS = { "left", "", "right" };

	private final Pattern mention;
	private final double tolerance;

	/**
	 * @param scenes the colour and shape words
	 * @param tolerance how near (pixels) to a line between thirds a centre may lie for the position
	 *          across the line to count as well; 0 for the truth caption's positions alone
	 */
	public CaptionCheck(final SyntheticScenes scenes, final double tolerance) {
		if (!(tolerance >= 0)) throw new IllegalArgumentException("the position tolerance must be >= 0, not " + tolerance);
		mention = Pattern.compile("\\b(" + String.join("|", scenes.colourNames()) + ")\\s+(" + String.join("|", scenes
			.shapes()) + ")\\s+(" + POSITION + ")\\b");
		this.tolerance = tolerance;
	}

	/** @return whether {@code answer} names exactly the objects of {@code scene}, with colour, shape and position */
	public boolean correct(final String answer, final HeldoutScene scene) {
		final Set<String> said = mentions(answer);
		return !scene.objects().isEmpty() && said.size() == scene.objects().size() && matched(said, scene) == said.size();
	}

	/**
	 * @return the F1 of the {@code colour shape position} mentions of {@code answer} against the objects
	 *         of {@code scene} (2 matched / (mentions + objects)): 1 when {@link #correct}, 0 when none
	 *         matches
	 */
	public double mentionF1(final String answer, final HeldoutScene scene) {
		final Set<String> said = mentions(answer);
		final int total = said.size() + scene.objects().size();
		return total == 0 ? 0 : 2.0 * matched(said, scene) / total;
	}

	/** @return the {@code colour shape position} mentions of {@code text}, lower case, single spaces */
	Set<String> mentions(final String text) {
		final Set<String> found = new LinkedHashSet<>();
		final Matcher m = mention.matcher(text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " "));
		while (m.find()) found.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
		return found;
	}

	/** @return the mentions that name {@code object} rightly, e.g. {@code red ring at the top left} */
	private Set<String> rightMentions(final HeldoutScene.SceneObject object, final ImageSize size) {
		final Set<String> right = new LinkedHashSet<>();
		for (final double dy : new double[] { -tolerance, tolerance })
			for (final double dx : new double[] { -tolerance, tolerance })
				right.add(object.colour() + " " + object.shape() + " " + position(object.centreX() + dx, object.centreY() +
					dy, size));
		return right;
	}

	/**
	 * @return how many of {@code said} name distinct objects of {@code scene} rightly (the scenes give
	 *         each object its own colour, so a mention can name one object only)
	 */
	private int matched(final Set<String> said, final HeldoutScene scene) {
		final List<Set<String>> unmatched = new ArrayList<>();
		for (final HeldoutScene.SceneObject o : scene.objects()) unmatched.add(rightMentions(o, scene.size()));
		int matched = 0;
		for (final String m : said) {
			for (final Iterator<Set<String>> it = unmatched.iterator(); it.hasNext();) {
				if (it.next().contains(m)) {
					it.remove();
					matched++;
					break;
				}
			}
		}
		return matched;
	}

	/** The caption's position words of a point: its third across and down, as the scene generator names them. */
	private static String position(final double x, final double y, final ImageSize size) {
		final String row = ROWS[third(y, size.height())];
		final String column = COLUMNS[third(x, size.width())];
		if (row.isEmpty() && column.isEmpty()) return "in the center";
		if (row.isEmpty() || column.isEmpty()) return "at the " + row + column;
		return "at the " + row + " " + column;
	}

	private static int third(final double at, final int length) {
		return Math.max(0, Math.min(2, (int) Math.floor(3 * at / length)));
	}
}
