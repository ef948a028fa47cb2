#!/bin/sh
# ui-recovery.sh: session recovery. The TUI keeps its session in
# $XDG_STATE_HOME/linscope/session; after it is killed with SIGKILL (no
# chance to clean up) the next start offers to restore it, and accepting
# brings back the directions (and alphas) made before the crash; declining
# keeps the file as session.old; a clean quit removes it; a corrupt file is
# moved to session.bad; --no-restore skips the question.
#
# Skips (TAP "1..0 # SKIP") without tmux, and while the TUI does not keep a session file
# at all (the feature is then missing: see the reliability report).
. "$srcdir/tests/lib/lib.sh"
TM=${TMUX_BIN:-tmux}
command -v "$TM" >/dev/null 2>&1 || { echo "1..0 # SKIP no tmux"; exit 0; }
SOCK=lrec$$
tm() { "$TM" -L "$SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$T"' EXIT
poll() { i=0; while [ $i -lt 600 ]; do eval "$1" && return 0; sleep 0.1; i=$((i + 1)); done; return 1; }
screen() { tm capture-pane -p; }
SESSION=$T/state/linscope/session

mkdir -p "$T/state"
tm -f /dev/null new-session -d -x 100 -y 30 \
	"env -i PATH=\"$PATH\" HOME=\"$T\" XDG_STATE_HOME=\"$T/state\" TERM=screen LC_ALL=C.UTF-8 \
	 LINSCOPE_DATADIR=\"$LINSCOPE_DATADIR\" OPENBLAS_NUM_THREADS=1 PS1='$ ' sh" ||
	{ echo "1..0 # SKIP cannot start tmux"; exit 0; }
tm send-keys "cd '$T'; sh -c 'echo \$\$ > pid; exec \"$LS\" tui'" Enter
poll 'screen | grep -q "? help"' || { echo "not ok 1 - the TUI starts"; echo "1..1"; exit 1; }
# (no TAP line before the skip decision below)

# Two directions, one with a non-zero alpha: unsaved work.
tm send-keys ":dir axis 3" Enter
poll 'screen | grep -q "directions 1"'
tm send-keys ":dir axis 5" Enter
poll 'screen | grep -q "directions 2"'
tm send-keys l l l
poll 'screen | grep -q "axis_5 α=+0.30"'
made=$(screen | grep -c 'directions 2')
if ! poll '[ -s "$SESSION" ]'; then
	echo "# the TUI keeps no session file in \$XDG_STATE_HOME/linscope/session"
	echo "1..0 # SKIP session recovery is not implemented in the TUI"
	exit 0   # TAP skip: the tap driver counts any other exit status as an error
fi
t_is "two directions made" "$made" 1
poll 'grep -q "^alpha 1 0.3" "$SESSION"'   # the write is debounced
kill_tui() {
	kill -KILL "$(cat "$T/pid")"
	poll '! kill -0 "$(cat "$T/pid")" 2>/dev/null'
	# curses left the tty without ICRNL: C-j is the newline the shell sees
	tm send-keys "stty sane; clear" C-j
	rm -f "$T/pid"
}
start_tui() {
	tm send-keys "sh -c 'echo \$\$ > pid; exec \"$LS\" tui $*'" C-j
	poll '[ -s "$T/pid" ]'
}
kill_tui
t_ok "the session file survives SIGKILL" test -s "$SESSION"

# Restart: it offers to restore; accept (y).
start_tui
poll 'screen | grep -qi "restore"'
t_is "the next start offers to restore" "$(screen | grep -ci 'restore' | sed 's/[1-9][0-9]*/yes/')" yes
t_is "the offer names the model and the directions" \
	"$(screen | grep -c 'model digits, 2 directions')" 1
tm send-keys y
poll 'screen | grep -q "directions 2"'
t_is "restored: both directions are back" "$(screen | grep -c 'directions 2')" 1
t_is "restored: the selected direction and its alpha" "$(screen | grep -c 'axis_5 α=+0.30')" 1
t_is "restored: the first direction's alpha is 0" "$(screen | grep -c 'axis_3 *+0.00')" 1

# Killed again after more sliding; this time decline (n): the file is kept
# aside as session.old and the explorer starts fresh.
tm send-keys h
poll 'grep -q "^alpha 1 0.2" "$SESSION"'
kill_tui
start_tui
poll 'screen | grep -qi "restore"'
tm send-keys n
poll 'screen | grep -q "session.old"'
t_is "declined: a fresh session" "$(screen | grep -c 'directions 0')" 1
t_ok "declined: the old state is kept as session.old" grep -q "^alpha 1 0.2" "$SESSION.old"
t_ok "declined: no session file until something changes" test ! -e "$SESSION"

# A clean quit removes the session file.
tm send-keys ":dir axis 1" Enter
poll '[ -s "$SESSION" ]'
t_ok "a change writes the session file" test -s "$SESSION"
tm send-keys q
poll 'screen | grep -q "Quit anyway"'
tm send-keys y
poll '! kill -0 "$(cat "$T/pid" 2>/dev/null)" 2>/dev/null'
t_ok "a clean quit removes the session file" test ! -e "$SESSION"

# A file that is not a session: said on the screen, moved to session.bad.
echo "garbage" >"$SESSION"
start_tui
poll 'screen | grep -q "not a session file"'
t_is "a corrupt file is reported" "$(screen | grep -c 'not a session file')" 1
t_ok "a corrupt file is moved to session.bad" test -s "$SESSION.bad" -a ! -e "$SESSION"
tm send-keys q
poll '! kill -0 "$(cat "$T/pid" 2>/dev/null)" 2>/dev/null'

# --no-restore: no question; the file is kept aside.
cp "$SESSION.old" "$SESSION"
start_tui --no-restore
poll 'screen | grep -q "session.old"'
t_is "--no-restore: no question" "$(screen | grep -ci 'restore it\|(y/n)')" 0
t_ok "--no-restore: the file is kept aside" test ! -e "$SESSION" -a -s "$SESSION.old"
tm send-keys q
poll '! kill -0 "$(cat "$T/pid" 2>/dev/null)" 2>/dev/null'
t_done
