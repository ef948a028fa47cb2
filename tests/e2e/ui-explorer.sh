#!/bin/sh
# ui-explorer.sh: habits the explorer follows (issue 15): Ctrl-C cancels
# the prompt and asks before quitting with unsaved directions (a second
# Ctrl-C quits); Esc closes the prompt at once when $ESCDELAY is unset.
. "$srcdir/tests/lib/lib.sh"
. "$srcdir/tests/lib/ui-lib.sh"

# now in milliseconds
ms() { echo $(($(date +%s%N) / 1000000)); }
# Polls until PATTERN is no longer on the screen (status 1 on timeout).
ui_gone() {
	local end=$(($(date +%s) + UI_TIMEOUT))
	while ui_screen >"$T/screen" && grep -Eq -- "$1" "$T/screen"; do
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.02
	done
}

# ui_start exports ESCDELAY=25; the second word takes it away again
ui_start 80 24 'ESCDELAY=1; unset ESCDELAY' --
ui_wait "the explorer starts" 'directions 0'
# Opens the prompt and times Esc closing it, 3 times; prints the fastest (ms).
esc_ms() {
	local i t0 t best=100000
	for i in 1 2 3; do
		ui_type ':alpha 1'
		ui_poll '^:alpha 1$' || return 1
		t0=$(ms)
		ui_keys Escape
		ui_gone '^:alpha 1$' || return 1
		t=$(($(ms) - t0))
		[ "$t" -lt "$best" ] && best=$t
	done
	echo "$best"
}
esc_unset=$(esc_ms)
t_ok "Esc closes the prompt" test -n "$esc_unset"
ui_type ':alpha 1'
ui_wait "the prompt is open again" '^:alpha 1$'
ui_keys C-c
ui_gone '^:alpha 1$'; t_result $? "Ctrl-C on the prompt cancels the line"
ui_type ':echo still here'
ui_keys Enter
ui_wait "the explorer stays" '^still here' 
ui_type ':s'
ui_keys Tab
ui_wait "one Tab with several matches lists them" 'save savestate score sefa select snapshot step strip'
ui_keys C-u
ui_type 'pac'
ui_keys Enter
ui_wait "a typo gets a guess" 'pac: unknown command; did you mean pca\?'
ui_type '/1,7'
ui_keys Enter
ui_wait "/ takes a set of labels" 'label 1,7: [0-9]+ of 10000 rows'
ui_type '/'
ui_wait "/ opens empty the next time" '^/$'
ui_keys Escape
ui_type ':pca 2'
ui_keys Enter
ui_wait "two unsaved directions" 'directions 2'
ui_keys C-c
ui_wait "Ctrl-C asks before quitting with unsaved directions" 'Quit anyway'
ui_keys n
ui_wait "n stays" 'not quitting'
ui_keys C-c
ui_wait "Ctrl-C asks again" 'Quit anyway'
ui_keys C-c
ui_exit "a second Ctrl-C quits: exit status 0" 0
ui_stty_same "the terminal settings are restored"

# at 160 columns the info line is whole; raw slider ends are not cut
ui_start 160 48 --
ui_wait "160x48: up" 'directions 0'
ui_wait "a peek at the bank cursor's row under the list" '^ row 0: 0 '
ui_keys G
ui_wait "it follows the cursor" '^ row 9999: [0-9] '
ui_keys g
esc_25=$(esc_ms)
# ncurses waits 1000 ms by default; compared with ESCDELAY=25 under the same load
t_is "without \$ESCDELAY Esc is as fast as with ESCDELAY=25 ($esc_unset ms, $esc_25 ms)" \
	"$([ "${esc_unset:-100000}" -lt $((${esc_25:-0} + 400)) ] && echo yes)" yes
ui_type ':pca 2'
ui_keys Enter U
ui_wait "the info line ends with the drift, whole" 'drift [0-9]+\.[0-9]{3} *$'
ui_wait "the left end of the bar in raw units, 4 digits" '^ *-[0-9]\.[0-9]{3} [^0-9]'

# the mouse (X10 reports: button, column, row from 0): wheel and strip
mouse() { ui_type "$(printf '\033[M%b%b%b' "\\$(printf %03o $((32 + $1)))" "\\$(printf %03o $((33 + $2)))" "\\$(printf %03o $((33 + $3)))")"; }
mouse 64 100 5
ui_wait "the wheel up over the image slides a fine step" 'pca2 on  alpha \+0\.10'
mouse 65 100 5
ui_wait "and down" 'pca2 on  alpha \+0\.00'
mouse 64 40 3
ui_wait "the wheel over the directions selects another" '^ pca1 on  alpha'
mouse 65 40 3
ui_wait "and back" '^ pca2 on  alpha'
# at 160x48 the strip's 11 thumbnails are 13 cells apart from column 15;
# the last (alpha +3) spans columns 145..156 below row 39
mouse 0 150 42
mouse 3 150 42
ui_wait "a click on the last thumbnail: alpha +3" 'pca2 on  alpha \+3\.00'
ui_keys '^'
ui_wait "^: the low end" 'pca2 on  alpha -3\.00'
ui_keys F1
ui_wait "F1: help" 'linscope help'
ui_keys q 0

# short results in a popup over the screen; bookmarks say where they are
ui_keys l l b c
ui_wait "c: the cosines in a small box" '│ *cos of 2 active directions'
ui_wait "the screen stays behind it" '^ bank 10000'
ui_keys x
ui_type ':bookmarks'
ui_keys Enter
ui_wait "bookmarks: name, row, label and alphas" 'b1 +row 0 \(0\), pca2 \+0\.2'
ui_keys Escape

# the projector views: presentation (no bank, no directions), zoom
ui_keys z
ui_wait "z: presentation, z at twice its size" 'view: presentation, image of z x2'
t_is "the bank and directions panes are hidden" "$(grep -c -e '^ bank ' -e 'directions 2' "$T/screen")" 0
ui_wait "the strip is still there" '^ z0 '
ui_keys z
ui_wait "z again: the preview alone, three times its size" 'view: zoom, image of z x3'
t_is "no strip" "$(grep -c '^ z0 ' "$T/screen")" 0
ui_keys l
ui_wait "the slider works in the zoom" 'pca2 on  alpha \+0\.30'
ui_keys Z Z
ui_wait "Z Z: all panes again" 'view: all panes'
ui_wait "the bank is back" '^ bank 10000'
ui_keys C-c C-c
ui_exit "quit" 0
t_done
