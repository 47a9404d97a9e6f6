/**
 * Images at the model boundary: the candidate sizes of a checkpoint ({@link
 * org.lumina.mgpt.runtime.image.CandidateSizes}), resizing a whole image to one of them with
 * Pillow-exact BOX and BICUBIC resampling and mapping results back ({@link
 * org.lumina.mgpt.runtime.image.ImageResizer}, {@link
 * org.lumina.mgpt.runtime.image.ResizeMapping}), the VQGAN's pixel normalisation ({@link
 * org.lumina.mgpt.runtime.image.PixelNormalizer}) and image files ({@link
 * org.lumina.mgpt.runtime.image.RgbImages}). Rasters are ImgLib2 images with dims X, Y, C.
 * <p>
 * Deliberately left out: the reference's random crop (the whole image is resized instead, so
 * nothing is cut away: DESIGN.md §2), 16/32-bit normalisation (the plugin's conversion does
 * it), alpha-aware resampling (transparency is blended over white when a file is read).
 */
package org.lumina.mgpt.runtime.image;
