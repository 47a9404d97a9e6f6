// Batch Process Folder: runs one task (here depth) on every image of a folder and writes one
// result per image (<name>-<task>.tif, provenance in its Info) to another folder; images already
// done are skipped unless overwrite is on. The summary goes to the Log.
//
// Headless: ImageJ -batch batch-folder.ijm "input=/path/images output=/path/out model_dir=/path/bundle"

input = option("input", "");
output = option("output", getDirectory("temp"));
if (input == "") exit("Give the folder of images: input=/path/images");
run("Batch Process Folder", "input_dir=[" + input + "] output_dir=[" + output + "] task=depth all_planes" + model());

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
