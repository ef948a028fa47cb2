#!/bin/sh
# ui-recovery.sh: session recovery. The TUI keeps its session in
# $XDG_STATE_HOME/linscope/session; after it is killed with SIGKILL (no
# chance to clean up) the next start offers to restore it, and accepting
# brings back the directions made before the crash.
#
# Skips (TAP "1..0 # SKIP") without tmux, and while the TUI does not keep a session file
# at all (the feature is then missing: see the reliability report).
. "$srcdir/tests/lib.sh"
TM=${TMUX_BIN:-tmux}
command -v "$TM" >/dev/null 2>&1 || { echo "1..0 # SKIP no tmux"; exit 0; }
SOCK=lrec$$
tm() { "$TM" -L "$SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$T"' EXIT
poll() { i=0; while [ $i -lt 150 ]; do eval "$1" && return 0; sleep 0.1; i=$((i + 1)); done; return 1; }
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
made=$(screen | grep -c 'directions 2')
if ! poll '[ -s "$SESSION" ]'; then
	echo "# the TUI keeps no session file in \$XDG_STATE_HOME/linscope/session"
	echo "1..0 # SKIP session recovery is not implemented in the TUI"
	exit 0   # TAP skip: the tap driver counts any other exit status as an error
fi
t_is "two directions made" "$made" 1
kill -KILL "$(cat "$T/pid")"
poll '! kill -0 "$(cat "$T/pid")" 2>/dev/null'
tm send-keys "stty sane; clear" Enter
t_ok "the session file survives SIGKILL" test -s "$SESSION"

# Restart: it offers to restore; accept (y).
rm -f "$T/pid"
tm send-keys "sh -c 'echo \$\$ > pid; exec \"$LS\" tui'" Enter
poll 'screen | grep -qi "restore"'
t_is "the next start offers to restore" "$(screen | grep -ci 'restore' | sed 's/[1-9][0-9]*/yes/')" yes
tm send-keys y
poll 'screen | grep -q "directions 2"'
t_is "restored: both directions are back" "$(screen | grep -c 'directions 2')" 1
tm send-keys q
poll '! kill -0 "$(cat "$T/pid" 2>/dev/null)" 2>/dev/null'
t_done
