package org.lumina.mgpt.runtime.bundle;

import java.util.OptionalInt;

/**
 * Default sampling settings of one task family, from the manifest; the validation of values is
 * done by the manifest reader, which knows the key to name.
 *
 * @param cfg classifier-free guidance scale ({@code 1.0} = off)
 * @param imageTopK top-k inside an image
 * @param textTopK top-k outside an image
 * @param temperature sampling temperature ({@code 0} = greedy)
 * @param maxNewTokens the family's token budget, when the manifest gives one (text answers);
 *          image tasks derive it from the image size
 */
public record SamplingDefaults(double cfg, int imageTopK, int textTopK, double temperature, OptionalInt maxNewTokens) {}
