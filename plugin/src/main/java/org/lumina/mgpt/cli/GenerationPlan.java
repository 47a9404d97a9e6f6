package org.lumina.mgpt.cli;

import org.lumina.mgpt.runtime.GenerationParams;
import org.lumina.mgpt.runtime.bundle.TaskFamily;

/**
 * What one generation will do: the task family whose manifest defaults were used and the final,
 * validated sampling settings.
 *
 * @param family {@code TEXT_TO_IMAGE}, {@code IMAGE_TO_IMAGE} or {@code TEXT}
 * @param params every setting, defaults filled in; the seed is always explicit
 */
record GenerationPlan(TaskFamily family, GenerationParams params) {}
