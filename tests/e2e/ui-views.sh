#!/bin/sh
# ui-views.sh: the preview pane's map faces in a real terminal (tmux, so
# chafa symbols): T shows the tropical map of a pixel's logit over the 2-D
# latent (the pixel chosen by :tropmap X Y, whose PNG linscope run makes
# the same way), M the region map of the plane of two directions, with
# the count of `linscope run`'s regionmap for the same state, i the
# histogram; each key again brings the image back. The pixel-level checks
# of the maps are in test-tropical (a hand net whose lines are known).
. "$srcdir/tests/lib/lib.sh"
. "$srcdir/tests/lib/ui-lib.sh"

run_says() { printf '%b' "$1" | (cd "$T" && "$LS" run -m digits2d -) | grep -E "$2" | tail -n 1; }

ui_start 120 40 -- -m digits2d
ui_wait "the explorer starts on digits2d" 'directions 0'
ui_keys T
ui_wait "T: the tropical map of the centre pixel" 'tropical: pixel 14,14  F orange, G cyan; [0-9]+\+[0-9]+ monomials'
ui_type ':tropmap 10 12'
ui_keys Enter
ui_wait ":tropmap 10 12 writes the PNG" 'wrote linscope-tropmap-0001\.png: [0-9]+ monomials of F'
ui_wait "and the view follows the pixel" 'tropical: pixel 10,12 '
t_is "the PNG is there" "$(head -c 4 "$T/work/linscope-tropmap-0001.png" | tail -c 3)" PNG
ui_keys Escape   # the two lines of output show in a popup
ui_keys T
ui_wait "T again: the image" 'z  \(28x28'
ui_type ':dir axis 0 a'
ui_keys Enter
ui_type ':dir axis 1 b'
ui_keys Enter
ui_keys M
n=$(run_says 'dir axis 0 a\ndir axis 1 b\nregionmap' 'wrote' | sed 's/.*: \([0-9]*\) regions.*/\1/')
ui_wait "M: the region map of b (selected) by a, $n regions as linscope run's regionmap" "regions: b by a \\(up\\), $n regions"
ui_keys i
ui_wait "i: the histogram" 'histogram b'
ui_keys i
ui_wait "i again: the image" 'z  \(28x28'
ui_keys q
ui_keys y   # the directions are unsaved
ui_exit "q quits" 0
t_done
