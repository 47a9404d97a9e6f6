// Depth Estimation on the open image: a 32-bit depth map (same size and calibration as the
// image) and a semi-transparent "depth" layer on the image's overlay; both are saved as TIFF.
//
// In Fiji: open an image and run this macro. Headless:
//   ImageJ -batch depth-on-open-image.ijm "image=/path/in.tif output=/path/out model_dir=/path/bundle"
// (every argument is optional: no image = the sample cells-256.png of the Lumina-mGPT sources when
// lumina.home is set; no output = the temporary folder; no model_dir = the Settings' model).

output = option("output", getDirectory("temp"));
if (nImages == 0) open(option("image", call("java.lang.System.getProperty", "lumina.home") + "/sample-images/cells-256.png"));
source = getImageID();
run("Depth Estimation", "seed=0 selection_only add_overlay overlay_opacity=0.5" + model());
saveAs("Tiff", output + File.separator + "depth.tif");
selectImage(source);
saveLayerNames(output + File.separator + "overlay-layers.txt");
saveAs("Tiff", output + File.separator + "image-with-overlay.tif");

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
