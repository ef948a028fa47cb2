#!/bin/sh
# ui-basic.sh: the explorer's panes, slider keys, marks and the direction
# from two rows, undo/redo, help, the label filter, quitting (with the
# unsaved-directions question) and the terminal given back intact.
. "$srcdir/tests/lib/lib.sh"

t_fails "not a terminal: exit 2, pointing to the batch commands" 2 "not a terminal; use 'linscope run SCRIPT'" \
	sh -c "'$LS' tui </dev/null"
t_fails "no arguments and no terminal never opens the explorer" 2 "not a terminal" \
	sh -c "'$LS' </dev/null >'$T/out'"
t_fails "tui rejects an unknown option" 2 "tui" "$LS" tui --bogus

. "$srcdir/tests/lib/ui-lib.sh"

ui_start 80 24
ui_wait "the panes show: bank with 10000 rows" 'bank 10000'
ui_wait "the directions pane is empty" 'directions 0'
ui_wait "the status line names the model and d" 'digits +d=16'
ui_wait "the start latent is row 0" '^>  +0 '

ui_type ':dir axis 3'
ui_keys Enter
ui_wait "a command adds a direction" '\*\+axis_3 +\+0\.00'
ui_keys l l l
ui_wait "l three times: alpha +0.30 in the directions pane" 'axis_3 +\+0\.30'
ui_wait "and in the status line" 'axis_3 α=\+0\.30'
ui_keys H
ui_wait "H is a coarse step back (0.5)" 'axis_3 +-0\.20'
ui_keys Right
ui_wait "Right is a fine step" 'axis_3 +-0\.10'
ui_keys 0
ui_wait "0 resets alpha" 'axis_3 +\+0\.00'
ui_keys Space
ui_wait "space deactivates the direction" 'axis_3 off'
ui_keys Space

ui_keys m j j m d
ui_wait "m, m, d: the direction from row 0 to row 2" 'diff_0_2'
ui_wait "marked rows show their order" ' 2 .* \*2'
ui_keys u
ui_wait "u undoes adding it" 'directions 1'
ui_keys C-r
ui_wait "Ctrl-R redoes it" 'directions 2'
ui_keys Enter
ui_wait "Enter on a bank row makes it z0" 'z0: row 2'

ui_keys '?'
ui_wait "? opens the help with the keys" 'KEYS'
ui_keys G
ui_wait "the help lists the commands" 'quit +leave'
ui_keys q
ui_wait "q closes the help" 'directions 2'

ui_keys /
ui_type 3
ui_keys Enter
ui_wait "/ filters the bank by label" 'label 3: [0-9]+ of 10000 rows'
ui_wait "the bank shows only that label" 'bank /3:'

ui_keys q
ui_wait "q with unsaved directions asks first" 'Quit anyway\? \(y/n\)'
ui_keys n
ui_wait "n keeps the session" 'not quitting'
ui_keys q y
ui_exit "q, y: exit status 0" 0
ui_stty_same "the terminal settings are restored"

# Sliding: every step draws a frame and recomputes neither the strip nor the
# region ticks (only z0 or the direction change them). Key-to-frame times are
# printed for information only; speed is measured by bench/, not asserted.
ui_start 80 24 LINSCOPE_UI_TIMING="$T/timing" -- -d "$T/none.safetensors"
ui_exit "-d with a missing directions file: exit 2" 2
ui_start 80 24 LINSCOPE_UI_TIMING="$T/timing"
ui_wait "the explorer starts" 'directions 0'
ui_type ':dir rows 3 7'
ui_keys Enter
ui_wait "a direction from rows" 'rows_3_7|\+0\.00'
i=0
while [ $i -lt 40 ]; do ui_keys l l l l l h h h h h; i=$((i + 1)); done
ui_keys L
ui_wait "400 steps later alpha is +0.50" 'α=\+0\.50'
ui_keys q y
ui_exit "quit: exit status 0" 0
ui_file "$T/timing"
echo "# $(cat "$T/timing")"
read -r _ frames _ p50 _ p99 _ max _ strips <"$T/timing"
t_ok "every key drew a frame ($frames)" test "$frames" -ge 400
echo "# key-to-frame: p50 $p50 ms, p99 $p99 ms, max $max ms"
t_is "the strip was computed once for the direction" "$strips" 1

t_done
