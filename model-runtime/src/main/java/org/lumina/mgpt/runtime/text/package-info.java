/**
 * Text: the bundle's Hugging Face tokenizer ({@link org.lumina.mgpt.runtime.text.TextTokenizer},
 * DJL's native tokenizers, offline), the code ↔ id table of the image tokens ({@link
 * org.lumina.mgpt.runtime.text.ImageTokenMap}) and Lumina-mGPT's conversation template ({@link
 * org.lumina.mgpt.runtime.text.ChatTemplate}).
 * <p>
 * Loading the tokenizer sets the system properties {@code ai.djl.offline} and
 * {@code OPT_OUT_TRACKING} to {@code true} unless they are already set, so DJL never reaches
 * the network. Deliberately left out: role names and system prompts (Lumina-mGPT has none),
 * truncation (prompts are never cut), batch encoding.
 */
package org.lumina.mgpt.runtime.text;
