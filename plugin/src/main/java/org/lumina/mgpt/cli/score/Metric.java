package org.lumina.mgpt.cli.score;

import java.util.OptionalDouble;

/**
 * The scores of {@code lumina score}, each with the task that yields it and the bar the issue sets
 * (where it sets one). Every value is a fraction in [0, 1] except the angle.
 */
public enum Metric {

	/** Mean IoU of the answer's labels (by palette class name) against the truth map, per scene. */
	SEGMENTATION_MIOU("segmentation_miou", "segmentation", 0.75, false),
	/** The same for the VQ's own encode then decode of the truth map: what the tokens can carry. */
	SEGMENTATION_MIOU_VQ_CEILING("segmentation_miou_vq_ceiling", "segmentation", Double.NaN, false),
	/** Spearman's rank correlation of answer and truth nearness over all pixels; the mean is clamped at 0. */
	DEPTH_SPEARMAN("depth_spearman", "depth", 0.85, false),
	/** The same for the VQ's own encode then decode of the truth map. */
	DEPTH_SPEARMAN_VQ_CEILING("depth_spearman_vq_ceiling", "depth", Double.NaN, false),
	/** Mean angle between answer and truth normals over the objects' pixels (the background is flat). */
	NORMALS_MEAN_ANGLE_DEG("normals_mean_angle_deg", "normals", 25, true),
	/**
	 * Share of the stick figure's keypoints read from the answer within 0.1 x the figure's height of
	 * the truth (PCK), per scene; the issue sets no goal.
	 */
	POSE_KEYPOINT_PCK("pose_keypoint_pck", "pose", Double.NaN, false),
	/** The same for the VQ's own encode then decode of the truth keypoint map. */
	POSE_KEYPOINT_PCK_VQ_CEILING("pose_keypoint_pck_vq_ceiling", "pose", Double.NaN, false),
	/** IoU of the largest drawn box with the named object's box; 0 when none is drawn. */
	GROUNDING_BOX_IOU("grounding_box_iou", "detect", 0.6, false),
	/** Generated picture holds an object of the colour of the caption's first (nearest) object, default CFG. */
	T2I_COLOUR_MATCH("t2i_colour_match", "t2i", 0.95, false),
	/** ... of that colour and shape, default CFG. */
	T2I_ATTRIBUTE_MATCH("t2i_attribute_match", "t2i", 0.8, false),
	/** Colour match at CFG 1 (no guidance). */
	T2I_COLOUR_MATCH_CFG1("t2i_colour_match_cfg1", "t2i", Double.NaN, false),
	/** Colour and shape match at CFG 1. */
	T2I_ATTRIBUTE_MATCH_CFG1("t2i_attribute_match_cfg1", "t2i", Double.NaN, false),
	/** The classifier's accuracy on the nearest object of VQ round trips of the truth pictures. */
	T2I_CLASSIFIER_ROUNDTRIP("t2i_classifier_roundtrip", "t2i", 0.95, false),
	/** Share of generated pictures (both CFGs) of exactly the size the prompt asks for. */
	T2I_SIZES_OK("t2i_sizes_ok", "t2i", 1.0, false),
	/**
	 * Condition to image: the picture drawn from the scene's segmentation or depth map and its caption
	 * holds, where the map puts the nearest object, an object of its colour.
	 */
	CONDITION_COLOUR_MATCH("condition_colour_match", "condition", Double.NaN, false),
	/** ... of its colour and shape. */
	CONDITION_ATTRIBUTE_MATCH("condition_attribute_match", "condition", Double.NaN, false),
	/**
	 * Editing: the picture the instruction to recolour the nearest object gives holds, where that
	 * object is, an object of the new colour.
	 */
	EDIT_COLOUR_MATCH("edit_colour_match", "edit", Double.NaN, false),
	/** ... of the new colour and the object's shape: the edit kept what it was not asked to change. */
	EDIT_ATTRIBUTE_MATCH("edit_attribute_match", "edit", Double.NaN, false),
	/**
	 * Share of caption answers that name every object's colour, shape and position, and nothing else;
	 * within a quarter token of a line between thirds, either position counts ({@link CaptionCheck}).
	 */
	CAPTION_ACCURACY("caption_accuracy", "describe", 0.9, false),
	/** The same with the truth caption's positions alone, however near a centre lies to a line. */
	CAPTION_ACCURACY_STRICT("caption_accuracy_strict", "describe", Double.NaN, false),
	/**
	 * Partial credit for captions: the F1 of the answer's {@code colour shape position} mentions against
	 * the scene's objects (2 |matched| / (|mentions| + |objects|), positions as for
	 * {@link #CAPTION_ACCURACY}), so progress shows before whole answers are right.
	 */
	CAPTION_MENTION_F1("caption_mention_f1", "describe", Double.NaN, false);

	private final String key;
	private final String task;
	private final double goal;
	private final boolean lowerIsBetter;

	Metric(final String key, final String task, final double goal, final boolean lowerIsBetter) {
		this.key = key;
		this.task = task;
		this.goal = goal;
		this.lowerIsBetter = lowerIsBetter;
	}

	/** @return the JSON key, e.g. {@code segmentation_miou} */
	public String key() {
		return key;
	}

	/** @return the id of the task (in the task catalog) whose answers give this score */
	public String task() {
		return task;
	}

	/** @return the bar the score must reach, if one is set */
	public OptionalDouble goal() {
		return Double.isNaN(goal) ? OptionalDouble.empty() : OptionalDouble.of(goal);
	}

	/** @return whether the score must stay at or below its goal (an error) rather than reach it */
	public boolean lowerIsBetter() {
		return lowerIsBetter;
	}

	/** @return whether {@code value} meets the goal (true when there is none) */
	public boolean meets(final double value) {
		if (Double.isNaN(goal)) return true;
		return lowerIsBetter ? value <= goal : value >= goal;
	}
}
