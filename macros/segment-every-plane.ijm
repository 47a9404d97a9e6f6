// Semantic Segmentation of every plane of a stack: one label image per plane (a stack of the
// same size and calibration) plus a "segmentation" layer per plane on the stack's overlay, and
// the class areas in the Results table. Saves the labels, the stack and the table.
//
// In Fiji: open a stack and run this macro (with no image open it makes a 3-plane test stack).
// Headless: ImageJ -batch segment-every-plane.ijm "output=/path/out model_dir=/path/bundle"

output = option("output", getDirectory("temp"));
if (nImages == 0) {
	newImage("planes", "8-bit ramp", 64, 48, 3);
	for (z = 2; z <= nSlices; z++) {
		setSlice(z);
		run("Add...", "value=" + (z * 40) + " slice");
	}
	setSlice(1);
	run("Properties...", "unit=um pixel_width=0.5 pixel_height=0.5 voxel_depth=2");
}
stack = getImageID();
run("Semantic Segmentation", "seed=0 all_planes selection_only add_overlay overlay_opacity=0.4" + model());
saveAs("Tiff", output + File.separator + "labels.tif");
if (nResults > 0) saveAs("Results", output + File.separator + "areas.csv");
selectImage(stack);
saveLayerNames(output + File.separator + "overlay-layers.txt");
saveAs("Tiff", output + File.separator + "stack-with-overlay.tif");

// -- macro arguments: "key=value key=value" (values without spaces) --
function option(key, fallback) {
	args = " " + getArgument() + " ";
	start = indexOf(args, " " + key + "=");
	if (start < 0) return fallback;
	rest = substring(args, start + lengthOf(key) + 2);
	return substring(rest, 0, indexOf(rest, " "));
}

function model() {
	dir = option("model_dir", "");
	if (dir == "") return "";
	return " model_dir=[" + dir + "]";
}

// Writes the names of the current image's overlay elements, one a line (TIFF files keep the
// layers but not the names of image layers).
function saveLayerNames(path) {
	names = "";
	for (i = 0; i < Overlay.size; i++) {
		Overlay.activateSelection(i);
		names = names + Roi.getName + "\n";
	}
	run("Select None");
	File.saveString(names, path);
}
