#!/usr/bin/env bash
# Renders the app icon set from icons/appstrate.svg (the one source drawing). Repeatable: run it after
# editing the SVG and commit the results, so builds never need these tools.
#   png/appstrate-<N>.png    N = 16 24 32 48 64 128 256 512 1024, rounded (Linux, macOS, the app window)
#   linux/appstrate-desktop.png   512 px, the .deb desktop entry and launcher icon
#   windows/appstrate.ico    square corners, 16-256 px
#   macos/appstrate.icns     16-1024 px
#   ../desktop-app/src/main/resources/dev/appstrate/desktop/icons/appstrate-<N>.png   window/taskbar icons
# Tools (Debian packages, installed when missing and running as root): librsvg2-bin, imagemagick, icnsutils.
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v rsvg-convert >/dev/null || need+=(librsvg2-bin)
{ command -v magick >/dev/null || convert -list format 2>/dev/null | grep -q ' ICO '; } || need+=(imagemagick)
command -v png2icns >/dev/null || need+=(icnsutils)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "missing tools: apt-get install ${need[*]}" >&2; exit 1; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
im() { if command -v magick >/dev/null; then magick "$@"; else convert "$@"; fi; }

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# Windows wants square tiles: the same drawing with the corner radius set to 0
sed 's/rx="224" ry="224"/rx="0" ry="0"/' appstrate.svg > "$tmp/square.svg"
grep -q 'rx="0" ry="0"' "$tmp/square.svg" || { echo "square variant not produced: the tile's rx/ry changed" >&2; exit 1; }

mkdir -p png linux windows macos
for n in 16 24 32 48 64 128 256 512 1024; do
  rsvg-convert -w "$n" -h "$n" appstrate.svg -o "png/appstrate-$n.png"
done
for n in 16 24 32 48 64 128 256; do
  rsvg-convert -w "$n" -h "$n" "$tmp/square.svg" -o "$tmp/square-$n.png"
done
cp png/appstrate-512.png linux/appstrate-desktop.png
im "$tmp"/square-{16,24,32,48,64,128,256}.png windows/appstrate.ico
png2icns macos/appstrate.icns png/appstrate-{16,32,48,128,256,512,1024}.png >/dev/null

res=../desktop-app/src/main/resources/dev/appstrate/desktop/icons
mkdir -p "$res"
for n in 16 24 32 48 64 128 256 512; do cp "png/appstrate-$n.png" "$res/"; done

echo "icons written: $(ls png | wc -l) PNGs, windows/appstrate.ico, macos/appstrate.icns, linux/appstrate-desktop.png"
