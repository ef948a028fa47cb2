#!/bin/sh
# ui-resize.sh: the layout follows the terminal: 80x24, 120x40 (wider
# panes: the directions' sources, z0 beside z), a terminal too small
# (a notice, no panes), back to 80x24 (panes again, state kept), and a
# resize while the command line is open.
. "$srcdir/tests/lib/lib.sh"
. "$srcdir/tests/lib/ui-lib.sh"

ui_start 80 24
ui_wait "80x24: the panes" 'bank 10000 .*directions 0'
ui_type ':dir rows 0 5'
ui_keys Enter l l
ui_wait "a direction at +0.20" 'rows_0_5 +\+0\.20|\+0\.20'
tm resize-window -x 120 -y 40
ui_wait "120x40: the directions pane shows where a direction came from" 'rows:0-5'
ui_wait "120x40: the status line is whole" 'png: linscope-preview\.png'
t_is "120x40: the screen has 40 rows" "$(wc -l <"$T/screen")" 40
tm resize-window -x 30 -y 8
ui_wait "30x8: too small, and it says so" 'terminal too small: 30x8'
t_ok "30x8: no pane is drawn" sh -c "! grep -q 'directions' '$T/screen'"
tm resize-window -x 80 -y 24
ui_wait "back to 80x24: the panes again" 'bank 10000 .*directions 1'
ui_wait "the state survived" '\+0\.20'
ui_type ':alpha 2'
tm resize-window -x 100 -y 30
ui_wait "a resize keeps the command line being typed" '^:alpha 2 *$'
ui_keys Enter
ui_wait "and it still runs" '\+2\.00'
ui_keys q y
ui_exit "quit: exit status 0" 0
ui_stty_same "the terminal settings are restored"

t_done
