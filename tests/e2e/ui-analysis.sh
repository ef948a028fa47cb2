#!/bin/sh
# ui-analysis.sh: the explorer's analysis displays seen in a real terminal:
# the info line (region id and ReLU flips, linearity meter, off-data
# gauges), the slider's on-data range, the histogram pane (i), the
# nearly-parallel warning and o, slider units (U), paint by keyboard (P)
# and by a mouse drag on the image, and :regionmap. Numbers on the screen
# are checked against `linscope run` for the same state.
. "$srcdir/tests/lib/lib.sh"
. "$srcdir/tests/lib/ui-lib.sh"

# What `linscope run` says for a script, last matching line.
run_says() { printf '%b' "$1" | (cd "$T" && "$LS" run -) | grep -E "$2" | tail -n 1; }

ui_start 80 24
ui_wait "the explorer starts" 'directions 0'
ui_type ':dir rows 3 7 r'
ui_keys Enter
ui_keys L L L L
ui_wait "alpha 2.0 along r" 'r +\+2\.00'
set -- $(run_says 'dir rows 3 7 r\nalpha r 2\nregion\n' '^region')
want="reg $(echo "$2" | cut -c1-8) flip $4 "
ui_wait "the info line shows the region id and the flips of linscope run ($want)" "$want"
ui_wait "the linearity meter along r (homogeneity, first-order share)" 'h[0-9]\.[0-9]{3} f[0-9]\.[0-9]{2}'
ui_wait "the off-data gauges: Mahalanobis, percentiles, drift" 'm[0-9.]+ p[0-9]+ \|z\|p[0-9]+ d[0-9.]+'
set -- $(run_says 'dir rows 3 7 r\nalpha r 2\nwhere\n' '^r: on the data')
lo=$(echo "$8" | tr -d '[,' | awk '{ printf "%+.2f", $1 }')
hi=$(echo "$9" | tr -d ']' | awk '{ printf "%+.2f", $1 }')
ui_wait "the slider says which alphas are on the data ($lo..$hi, as where)" "data \\$lo\\.\\.\\$hi"

ui_type ':dir axis 3 a'
ui_keys Enter
ui_wait "with two active directions the meter adds additivity" 'h[0-9]\.[0-9]{3} a[0-9]\.[0-9]{3} f'
ui_type ':alpha r 30'
ui_keys Enter
ui_wait "30 sigma out: OFF DATA" 'OFF DATA'
ui_type ':alpha r 0'
ui_keys Enter
ui_wait "back at z0: flips 0" 'flip 0 '

ui_keys i
ui_wait "i: the histogram of the selected direction" 'histogram a +\(i: image\)'
ui_wait "one row of bars per label" '│ 9    '
ui_wait "z's projection is marked" ' z -?[0-9.]+\^|\^ z -?[0-9.]+'
ui_keys i
ui_wait "i again: the image" 'z  \(28x28'

ui_type ':dir vec w 0,0,0,0,0,0,0,0,0,0,0,0,1,0.25,0,0'
ui_keys Enter
ui_type ':dir axis 12 x12'
ui_keys Enter
ui_wait "the status line warns about two nearly parallel directions" '! w ∥ x12 cos \+0\.97'
ui_keys c
ui_wait "c: the cosine matrix" 'cos of 4 active directions'
ui_keys q
ui_keys o
ui_wait "o orthogonalises the selected one: the warning goes" 'x12 orthogonalised'
# the screen after the wait above: a negative check must not wait the timeout
ui_screen | grep -q '∥' && t_result 1 "no warning left" || t_result 0 "no warning left"

ui_keys U
ui_wait "U: raw units in the status line" 'α=\+0 raw'
ui_keys U
ui_wait "U: bank percentiles" 'α=p[0-9.]+ '
ui_keys U
ui_wait "U: back to sigma" 'units sigma'

ui_keys P
ui_type '5 6 14 16'
ui_keys Enter
ui_wait "P: paint by pixel rectangle" 'added paint \(paint:5,6,14,16\)'
ui_wait "the painted direction is listed and selected" '\*\+paint +\+0\.00'

# A drag on the image from its top-left cell to beyond its bottom-right
# corner paints the whole image: pixels 0,0 to 28,28 (X10 mouse reports).
ui_screen >"$T/screen"
x0=$(sed 's/│/|/g' "$T/screen" | awk '{ i = index($0, "z  (28x28"); if (i) { print i - 1; exit } }')
mouse() { ui_type "$(printf '\033[M%b%b%b' "\\$(printf %03o $((32 + $1)))" "\\$(printf %03o $((33 + $2)))" "\\$(printf %03o $((33 + $3)))")"; }
mouse 0 "$x0" 1
mouse 32 78 20
mouse 3 78 20
ui_wait "a mouse drag on the image paints it (clamped to the image)" 'added paint_2 \(paint:0,0,28,28\)'

ui_type ':regionmap map.png'
ui_keys Enter
ui_wait ":regionmap writes the map and says how many regions" 'wrote map\.png: [0-9]+ regions'
t_ok "the region map is a PNG" sh -c "od -An -c -N4 '$T/work/map.png' | grep -q 'P   N   G'"
ui_keys q
ui_keys q y
ui_exit "quit: exit status 0" 0
ui_stty_same "the terminal settings are restored"
t_done
