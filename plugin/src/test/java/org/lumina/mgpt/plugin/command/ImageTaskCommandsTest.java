package org.lumina.mgpt.plugin.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lumina.mgpt.plugin.service.TestBundles;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandInfo;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;

import ij.ImagePlus;

/**
 * Tests the image task commands not covered by their own test class (surface normals,
 * segmentation, pose, detect, condition, edit, describe) on the tiny bundle, and cancellation.
 */
class ImageTaskCommandsTest {

	static Stream<Arguments> commands() {
		return Stream.of(Arguments.of(SurfaceNormalsCommand.class, "normals", new Object[0]), Arguments.of(
			SemanticSegmentationCommand.class, "segmentation", new Object[0]), Arguments.of(PoseEstimationCommand.class,
				"pose", new Object[0]), Arguments.of(DetectObjectCommand.class, "detect", new Object[] { "object", "cell" }),
			Arguments.of(ImageFromConditionCommand.class, "condition", new Object[] { "caption", "a cell" }), Arguments.of(
				EditImageCommand.class, "edit", new Object[] { "instruction", "Make it blue" }));
	}

	/** Each command answers with an image of the input's size and adds a layer named after its task. */
	@ParameterizedTest
	@MethodSource("commands")
	void answersWithAnImage(final Class<? extends Command> command, final String task, final Object[] fields)
		throws Exception
	{
		try (Context context = TestBundles.context()) {
			final ImagePlus input = TaskCommands.gradient(40, 32, 1);
			final Object[] inputs = new Object[fields.length + 4];
			System.arraycopy(new Object[] { "image", input, "cfg", 1.0 }, 0, inputs, 0, 4);
			System.arraycopy(fields, 0, inputs, 4, fields.length);
			final ImagePlus result = (ImagePlus) TaskCommands.run(context, command, inputs).getOutput("result");
			assertEquals(40, result.getWidth(), task);
			assertEquals(32, result.getHeight(), task);
			assertEquals("cells-" + task, result.getTitle());
			assertTrue(TaskCommands.layerNames(input).startsWith(task), TaskCommands.layerNames(input));
		}
	}

	/** Describe Image answers in a one-row table and adds nothing to the image. */
	@Test
	void describeAnswersInATable() throws Exception {
		try (Context context = TestBundles.context()) {
			final ImagePlus input = TaskCommands.gradient(32, 32, 1);
			final CommandModule module = TaskCommands.run(context, DescribeImageCommand.class, "image", input,
				"max_tokens", 8);
			assertNull(module.getOutput("result"));
			assertNotNull(module.getOutput("table"));
			assertEquals("", TaskCommands.layerNames(input));
		}
	}

	/**
	 * A canceled run stops, returns no result and leaves the input as it was. The cancel comes at the
	 * command's first check for one, inside its run, so the test does not race the (fast) tiny model.
	 */
	@Test
	void cancels() throws Exception {
		try (Context context = TestBundles.context()) {
			final ImagePlus input = TaskCommands.gradient(40, 32, 1);
			final CanceledAtFirstCheck command = new CanceledAtFirstCheck();
			final Module module = new CommandModule(new CommandInfo(DepthEstimationCommand.class), command);
			final Map<String, Object> inputs = new HashMap<>();
			inputs.put("image", input);
			inputs.put("model_dir", TestBundles.tiny().toFile());
			context.service(ModuleService.class).run(module, true, inputs).get(30, TimeUnit.SECONDS);
			assertTrue(command.checks > 0, "the command never checked for a cancel while running");
			assertNull(module.getOutput("result"));
			assertNull(input.getOverlay());
		}
	}

	/** Depth Estimation canceled the first time it asks, from inside its run. */
	private static final class CanceledAtFirstCheck extends DepthEstimationCommand {

		private volatile boolean running;
		volatile int checks;

		@Override
		public void run() {
			running = true;
			super.run();
		}

		@Override
		public boolean isCanceled() {
			if (running && checks++ == 0) cancel("test");
			return super.isCanceled();
		}
	}
}
