package org.lumina.mgpt.plugin.core;

import org.lumina.mgpt.plugin.convert.ConvertedPlane;
import org.lumina.mgpt.runtime.image.ResizeMapping;
import org.lumina.mgpt.runtime.task.Answer;

/**
 * The model's answer for one input plane.
 *
 * @param plane the converted input plane
 * @param mapping how the plane was resized for the model, and the way back
 * @param answer the decoded answer
 */
record PlaneAnswer(ConvertedPlane plane, ResizeMapping mapping, Answer answer) {}
