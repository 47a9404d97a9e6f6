// Opens a sample image and runs Depth Estimation with its overlay layer, in the GUI, for the
// README's screenshot (make-screenshots.sh). Argument: "image=<file> model_dir=<bundle> done=<file>
// wait=<ms>" (model_dir may be empty: the bundled demo model).
args = " " + getArgument() + " ";
wait(parseInt(option("wait", "0")));
open(option("image", ""));
setLocation(10, 100);
model = option("model_dir", "");
if (model != "") model = " model_dir=[" + model + "]";
run("Depth Estimation", "seed=0 add_overlay overlay_opacity=0.5" + model);
setLocation(getWidth() + 40, 100);
if (isOpen("Log")) { selectWindow("Log"); run("Close"); }
File.saveString("done", option("done", getDirectory("temp") + "lumina-screenshot-done"));

function option(key, fallback) {
	start = indexOf(args, " " + key + "=");
	if (start < 0) return fallback;
	rest = substring(args, start + lengthOf(key) + 2);
	return substring(rest, 0, indexOf(rest, " "));
}
