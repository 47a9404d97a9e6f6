#!/usr/bin/env bash
# The README's screenshots, taken from real ImageJ 1 under Xvfb with the release zip installed:
#   menu.png         Plugins > Lumina-mGPT, opened with the mouse (xdotool)
#   live-preview.png the answer image filling in row by row while Depth Estimation runs
#   depth-layer.png  a sample image with the "depth" overlay layer, and the 32-bit depth map
# Needs: Xvfb, xdotool, ImageMagick (Debian: xvfb xdotool imagemagick), a built release zip
# (mvn package -DskipTests) and ImageJ in the local Maven repository (any build of this project).
# Usage: docs/screenshots/make-screenshots.sh [MODEL_DIR]   (default: the zip's demo model)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/docs/screenshots"
model=${1:-}
zip=$(ls "$root"/plugin/target/Lumina_mGPT-*-fiji.zip 2>/dev/null | head -1)
[ -n "$zip" ] || { echo "no release zip: run 'mvn package -DskipTests' first" >&2; exit 2; }
ij=$(ls "$HOME"/.m2/repository/net/imagej/ij/*/ij-*.jar 2>/dev/null | grep -v sources | sort -V | tail -1)
[ -n "$ij" ] || { echo "no ImageJ jar in ~/.m2: build the project once" >&2; exit 2; }

work=$(mktemp -d)
display=:$((90 + RANDOM % 9))
cleanup() { kill "${imagej_pid:-}" "${xvfb_pid:-}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/app" && unzip -q "$zip" -d "$work/app"
Xvfb "$display" -screen 0 1280x800x24 >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY=$display
sleep 2

# NB: the macro waits 15 s so that the menu can be photographed before it opens the image
java -Dplugins.dir="$work/app" -cp "$ij:$work/app/plugins/*:$work/app/jars/*" ij.ImageJ \
	-macro "$here/depth-layer.ijm" \
	"image=$root/sample-images/shapes-512x384.png model_dir=$model done=$work/done wait=15000" \
	>"$work/imagej.log" 2>&1 &
imagej_pid=$!

window=""
for _ in $(seq 1 30); do
	window=$(xdotool search --name '^ImageJ$' 2>/dev/null | head -1) && [ -n "$window" ] && break
	sleep 1
done
[ -n "$window" ] || { cat "$work/imagej.log" >&2; echo "ImageJ's window did not appear" >&2; exit 1; }
sleep 2
eval "$(xdotool getwindowgeometry --shell "$window")" # X, Y of ImageJ's main window
# NB: offsets of "Plugins" in the menu bar and "Lumina-mGPT" in its menu, with Debian's default fonts
xdotool mousemove $((X + 320)) $((Y + 12)) click 1
sleep 1
xdotool mousemove $((X + 340)) $((Y + 156)) click 1
sleep 2
import -window root -crop 700x440+$((X))+$((Y)) +repage "$here/menu.png"
xdotool key Escape key Escape
sleep 1
xdotool mousemove 5 790 click 1

previewed=""
for _ in $(seq 1 600); do
	[ -f "$work/done" ] && break
	preview=$(xdotool search --name 'preview, row' 2>/dev/null | head -1 || true)
	if [ -z "$previewed" ] && [ -n "$preview" ]; then
		sleep 3 # NB: a few refreshes in, so that part of the image is there
		eval "$(xdotool getwindowgeometry --shell "$preview")"
		import -window root -crop "${WIDTH}x${HEIGHT}+${X}+${Y}" +repage "$here/live-preview.png" && previewed=yes
	fi
	sleep 1
done
[ -f "$work/done" ] || { cat "$work/imagej.log" >&2; echo "the depth macro did not finish" >&2; exit 1; }
sleep 2
import -window root -crop 1080x415+0+95 +repage "$here/depth-layer.png"
[ -n "$previewed" ] || echo "no preview window was seen (the generation was too quick?)" >&2
echo "wrote the screenshots in $here"
