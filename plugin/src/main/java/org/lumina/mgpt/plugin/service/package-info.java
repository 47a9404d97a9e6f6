/**
 * The SciJava service that opens model bundles once per bundle, device and thread count, closes
 * them when the context is disposed, and stores the user's settings in the {@code PrefService};
 * and the lookup of the bundled demo model.
 */
package org.lumina.mgpt.plugin.service;
