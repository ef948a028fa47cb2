#!/bin/sh
# ui-prompt.sh: the ':' command line: errors shown without ending the
# session, a good command, Tab completion, history kept across sessions
# in $XDG_STATE_HOME/linscope/history, Escape, and --record replayed by
# `linscope run`.
. "$srcdir/tests/lib/lib.sh"
. "$srcdir/tests/lib/ui-lib.sh"

ui_start 80 24 -- --record "$T/rec.txt"
ui_wait "the explorer starts" 'directions 0'
ui_type ':frobnicate 12'
ui_keys Enter
ui_wait "a bad command shows an error in the message line" 'frobnicate'
ui_type ':alpha 1.5'
ui_keys Enter
ui_wait "alpha without a direction is an error too" '^.*(direction|select).*$'
ui_type ':dir axis 0'
ui_keys Enter
ui_wait "the session goes on: a good command works" 'axis_0 +\+0\.00'
ui_type ':alpha 1.5'
ui_keys Enter
ui_wait ":alpha 1.5 sets alpha" 'axis_0 +\+1\.50'
ui_type ':alp'
ui_keys Tab
ui_wait "Tab completes a command name" '^:alpha *$'
ui_keys C-u
ui_type 'sel'
ui_keys Tab
ui_type 'ax'
ui_keys Tab
ui_wait "Tab completes a direction name" '^:select axis_0 *$'
ui_keys Escape
ui_wait "Escape closes the prompt" '^ *$'
ui_type ':'
ui_keys Up
ui_wait "Up recalls the last command" '^:alpha 1\.5$'
ui_keys Escape
ui_keys l l
ui_wait "keys go on working after the prompt" 'axis_0 +\+1\.70'
ui_keys q y
ui_exit "quit: exit status 0" 0
ui_stty_same "the terminal settings are restored"

h="$T/state/linscope/history"
t_ok "the history file is written" test -s "$h"
t_is "the history keeps the commands typed, in order" "$(grep -c . "$h")" 4
t_ok "the history holds the last command" grep -qx 'alpha 1.5' "$h"

t_ok "--record wrote the session as a script" test -s "$T/rec.txt"
t_ok "the script has the slider keys as commands" grep -q 'step' "$T/rec.txt"
t_ok "the script has no failing command" sh -c "! grep -q frobnicate '$T/rec.txt'"
printf 'print alpha\n' >>"$T/rec.txt"
t_ok "linscope run replays the recorded session" sh -c "cd '$T/work' && '$LS' run '$T/rec.txt' >'$T/run.out'"
t_ok "and reaches the same alpha (1.7)" grep -q '1\.7' "$T/run.out"

ui_start 80 24
ui_wait "a second session starts" 'directions 0'
ui_type ':'
ui_keys Up
ui_wait "the history is loaded from the last session" '^:alpha 1\.5$'
ui_keys Escape q
ui_exit "quit: exit status 0" 0

t_done
