// Text to Image at two aspect ratios (a landscape and a portrait size, both among the model's
// candidate sizes; see Model Manager > image_sizes), same caption and seed, saved as TIFF.
//
// Headless: ImageJ -batch text-to-image-two-aspect-ratios.ijm "output=/path/out model_dir=/path/bundle"

output = option("output", getDirectory("temp"));
caption = "A fluorescence micrograph of round cells";
sizes = newArray("1024x256", "256x1024");
for (i = 0; i < sizes.length; i++) {
	run("Text to Image", "caption=[" + caption + "] size=" + sizes[i] + " seed=0" + model());
	saveAs("Tiff", output + File.separator + "t2i-" + sizes[i] + ".tif");
	close();
}

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
