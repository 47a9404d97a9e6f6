/**
 * The ImageJ 1 side: {@code plugins.config} entries call {@link CommandBridge} with a command id,
 * which shows a {@code GenericDialog} made from the command's parameters (labels start with the
 * field names, so macro keys and recorder keys are the field names) and runs the command in a
 * SciJava context (Fiji's, or one of its own in plain ImageJ 1).
 */
package org.lumina.mgpt.plugin.ij1;
