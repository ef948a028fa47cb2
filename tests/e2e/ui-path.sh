#!/bin/sh
# ui-path.sh: the exact path of the selected direction in a real terminal:
# the status line says "building path" or "exact path" once the worker
# has built it, the slider shows the path's piece counts, a slider step
# keeps the path, and a direction switched off decodes directly and says
# why.
. "$srcdir/tests/lib/lib.sh"
. "$srcdir/tests/lib/ui-lib.sh"

ui_start 200 30
ui_wait "the explorer starts" 'directions 0'
ui_type ':dir rows 3 7 r'
ui_keys Enter
ui_wait "the path of r is built in the background: 'exact path'" '\| exact path'
ui_wait "the slider shows its pieces" 'pieces [0-9]+/[0-9]+ lin'
ui_keys L L
ui_wait "sliding keeps the path" 'r α=\+1\.00 .*\| exact path'
ui_type ':toggle r'
ui_keys Enter
ui_wait "r off: direct decodes, and why" '\| direct decode \(direction off\)'
ui_type ':toggle r'
ui_keys Enter
ui_wait "r on again: the exact path" '\| exact path'
ui_keys q y
ui_exit "quit: exit status 0" 0
t_done
