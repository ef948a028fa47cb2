#!/bin/sh
# ui-xterm.sh: real pixels in a real terminal. The explorer runs in xterm
# with sixel graphics (-ti vt340) on a private X server (Xvfb); keys go in
# with xdotool, screenshots come out with ImageMagick's import, and
# pane_match.py checks that the preview pane shows the image the explorer
# wrote as linscope-preview.png (normalised correlation > 0.95) with no
# ghost of an older image: at start (--pixels auto finds sixel through
# DA1), after sliding, while the help screen is open (no image at all)
# and after it closed, after the terminal was made smaller, and with the
# ':' prompt open, and after the histogram (i) and the region map (M) were
# shown as sixel pixels (colours fill the pane) and closed, and the
# tropical map (T) of digits2d the same way. Every step polls the screen until it matches or
# UI_TIMEOUT seconds pass. Skips where X, xterm, xdotool, ImageMagick or
# numpy are missing. LINSCOPE_SHOT=FILE keeps a screenshot (the README's);
# LINSCOPE_SHOT_HIST, LINSCOPE_SHOT_MAP, LINSCOPE_SHOT_TROP those of the
# histogram, the region map and the tropical map.
. "$srcdir/tests/lib/lib.sh"
: "${UI_TIMEOUT:=60}"   # generous: the machine may be loaded
skip() { echo "1..0 # SKIP $1"; exit 0; }
for p in Xvfb xterm xdotool import convert; do
	command -v "$p" >/dev/null 2>&1 || skip "$p not found (Debian: xvfb xterm xdotool imagemagick)"
done
PY=${PYTHON3:-python3}
"$PY" -c 'import numpy' 2>/dev/null || skip "python3 with numpy not found"
MATCH=$srcdir/tests/e2e/pane_match.py
W=$T/work
mkdir -p "$T/home" "$T/state" "$W"

# A private X server on a free display (it writes the number when ready).
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$T/display" 2>"$T/xvfb.log" &
XPID=$!
XTPID=
trap 'kill $XTPID $XPID 2>/dev/null; rm -rf "$T"' EXIT
end=$(($(date +%s) + 10 * UI_TIMEOUT))
while [ ! -s "$T/display" ]; do
	kill -0 "$XPID" 2>/dev/null || skip "Xvfb did not start: $(head -c 200 "$T/xvfb.log")"
	[ "$(date +%s)" -ge "$end" ] && skip "Xvfb gave no display in $((10 * UI_TIMEOUT)) s"
	sleep 0.05
done
export DISPLAY=":$(cat "$T/display")"

cat >"$T/pane.sh" <<EOF
cd "$W" || exit 99
export HOME="$T/home" XDG_STATE_HOME="$T/state" LC_ALL=C.UTF-8 ESCDELAY=25
unset COLORTERM NO_COLOR TMUX LINSCOPE_PIXELS
"$LS" tui --pixels auto 2>"$T/stderr"
echo \$? >"$T/status.tmp"
mv "$T/status.tmp" "$T/status"
EOF
xterm -ti vt340 -xrm 'XTerm*decTerminalID: vt340' -xrm 'XTerm*numColorRegisters: 256' \
	-geometry 120x40+0+0 -e sh "$T/pane.sh" 2>"$T/xterm.log" &
XTPID=$!
# xterm may take long to map its window on a loaded machine: wait while it
# runs (up to 10 * UI_TIMEOUT); skip only when it ended without a window.
WIN=
end=$(($(date +%s) + 10 * UI_TIMEOUT))
while [ -z "$WIN" ]; do
	WIN=$(xdotool search --class xterm 2>/dev/null | head -1)
	[ -n "$WIN" ] && break
	kill -0 "$XTPID" 2>/dev/null || skip "xterm did not start: $(head -c 200 "$T/xterm.log")"
	[ "$(date +%s)" -ge "$end" ] && skip "xterm showed no window in $((10 * UI_TIMEOUT)) s"
	sleep 0.05
done
xdotool windowfocus --sync "$WIN" 2>/dev/null

# pane_wait "desc" match|blank COLS ROWS [OLD.pgm]: polls screenshots until
# pane_match.py agrees.
pane_wait() {
	local end=$(($(date +%s) + UI_TIMEOUT))
	while kill -0 "$XTPID" 2>/dev/null; do
		timeout 10 import -window "$WIN" ppm:"$T/shot.ppm" 2>/dev/null &&
			convert "$W/linscope-preview.png" pgm:"$T/prev.pgm" 2>/dev/null &&
			"$PY" "$MATCH" "$T/shot.ppm" "$T/prev.pgm" "$3" "$4" "$2" ${5:-} >"$T/match" 2>&1 &&
			{ t_result 0 "$1"; sed 's/^/# /' "$T/match"; return 0; }
		[ "$(date +%s)" -ge "$end" ] && break
		sleep 0.1
	done
	t_result 1 "$1"
	sed 's/^/# /' "$T/match" "$T/stderr" 2>/dev/null
	cp "$T/shot.ppm" "${TMPDIR:-/tmp}/ui-xterm-failed.ppm" 2>/dev/null
}
keys() { xdotool type --delay 20 -- "$1"; }

pane_wait "--pixels auto in xterm -ti vt340: sixel, the pane shows z" match 120 40
cp "$T/prev.pgm" "$T/start.pgm"
keys ':dir rows 3 7'
xdotool key Return
keys 'LLLLLL'
pane_wait "after sliding, the pane shows the new z (not the old one)" match 120 40 "$T/start.pgm"
[ -n "${LINSCOPE_SHOT:-}" ] && convert "$T/shot.ppm" "$LINSCOPE_SHOT"
cp "$T/prev.pgm" "$T/slid.pgm"
# The screenshot above may have caught the slide half way (alpha at any of
# +0.5 ... +3 sigma): going back past 0 reaches an alpha the slide never
# showed, so the "not the old image" check cannot be fooled by the rest
# of the L keys arriving late.
keys 'HHHHHHH'
pane_wait "sliding back: the pane follows" match 120 40 "$T/slid.pgm"
keys '?'
pane_wait "the help screen leaves no image behind" blank 120 40
keys 'q'
pane_wait "closing the help shows the image again" match 120 40
cw=$(( ($(identify -format %w "$T/shot.ppm") - 4) / 120 ))
ch=$(( ($(identify -format %h "$T/shot.ppm") - 4) / 40 ))
xdotool windowsize "$WIN" $((90 * cw + 4)) $((30 * ch + 4))
pane_wait "after a resize to 90x30: the image fits the smaller pane, no ghost" match 90 30
keys ':'
pane_wait "the ':' prompt leaves the image alone" match 90 30
xdotool key Escape
xdotool windowsize "$WIN" $((120 * cw + 4)) $((40 * ch + 4))
pane_wait "back to 120x40" match 120 40
keys 'i'
pane_wait "i: the histogram drawn as sixel pixels" colour 120 40
[ -n "${LINSCOPE_SHOT_HIST:-}" ] && convert "$T/shot.ppm" "$LINSCOPE_SHOT_HIST"
keys 'i'
pane_wait "i again: the image, no ghost of the histogram" match 120 40
keys ':dir rows 1 2'
xdotool key Return
pane_wait "a second direction: its image" match 120 40
keys 'M'
pane_wait "M: the region map drawn as sixel pixels" colour 120 40
[ -n "${LINSCOPE_SHOT_MAP:-}" ] && convert "$T/shot.ppm" "$LINSCOPE_SHOT_MAP"
keys 'M'
pane_wait "M again: the image, no ghost of the map" match 120 40
keys ':model digits2d'
xdotool key Return
pane_wait "digits2d: its image" match 120 40
keys 'T'
pane_wait "T: the tropical map of the centre pixel drawn as sixel pixels" colour 120 40
[ -n "${LINSCOPE_SHOT_TROP:-}" ] && convert "$T/shot.ppm" "$LINSCOPE_SHOT_TROP"
keys 'T'
pane_wait "T again: the image, no ghost of the map" match 120 40
keys 'q'
keys 'y'
end=$(($(date +%s) + UI_TIMEOUT))
while [ ! -s "$T/status" ] && [ "$(date +%s)" -lt "$end" ]; do sleep 0.05; done
t_is "q y: exit status 0" "$(cat "$T/status" 2>/dev/null)" 0
t_is "nothing on stderr" "$(cat "$T/stderr" 2>/dev/null)" ""
t_done
