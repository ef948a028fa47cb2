#!/bin/sh
# rel-signals.sh: SIGINT, SIGTERM, SIGHUP, SIGSEGV and SIGABRT sent to a
# running `linscope tui` all give the terminal back: the pane leaves the
# alternate screen, the cursor is visible again and `stty -g` is what it
# was before the TUI started. The crash signals (SEGV, ABRT) are re-raised
# with their default action after the restore (exit status 128 + N).
# (tests/ui-signals.sh, the UI's own test, covers TERM, HUP, INT, SEGV
# through ui-lib.sh; this one adds ABRT and the screen/cursor state.)
# A private tmux server (tmux -L) runs the TUI in an 80x24 pane (TERM=screen).
. "$srcdir/tests/lib/lib.sh"
TM=${TMUX_BIN:-tmux}
command -v "$TM" >/dev/null 2>&1 || { echo "1..0 # SKIP no tmux"; exit 0; }
SOCK=lsig$$
tm() { "$TM" -L "$SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$T"' EXIT

# Polls a shell condition for up to 60 s (generous: the machine may be loaded).
poll() { i=0; while [ $i -lt 600 ]; do eval "$1" && return 0; sleep 0.1; i=$((i + 1)); done; return 1; }
flag() { tm display -p "#{$1}" 2>/dev/null; }

mkdir -p "$T/state"
tm -f /dev/null new-session -d -x 80 -y 24 \
	"env -i PATH=\"$PATH\" HOME=\"$T\" XDG_STATE_HOME=\"$T/state\" TERM=screen LC_ALL=C.UTF-8 \
	 LINSCOPE_DATADIR=\"$LINSCOPE_DATADIR\" OPENBLAS_NUM_THREADS=1 PS1='$ ' sh" ||
	{ echo "1..0 # SKIP cannot start tmux"; exit 0; }
tm send-keys "ulimit -c 0; cd '$T'" Enter

for sig in INT TERM HUP SEGV ABRT QUIT; do
	rm -f "$T/before" "$T/after" "$T/pid" "$T/rc"
	tm send-keys "stty -g > before; sh -c 'echo \$\$ > pid; exec \"$LS\" tui'; echo \$? > rc" Enter
	poll '[ -s "$T/pid" ] && [ "$(flag alternate_on)" = 1 ] && tm capture-pane -p | grep -q "? help"'
	t_is "$sig: the TUI is up (alternate screen)" "$(flag alternate_on)" 1
	kill -s "$sig" "$(cat "$T/pid")"
	poll '[ -s "$T/rc" ]'
	t_is "$sig: the TUI exited" "$([ -s "$T/rc" ] && echo yes)" yes
	tm send-keys "stty -g > after" Enter
	poll '[ -s "$T/after" ]'
	t_is "$sig: the pane left the alternate screen" "$(flag alternate_on)" 0
	t_is "$sig: the cursor is visible" "$(flag cursor_flag)" 1
	t_is "$sig: stty -g is as before" "$(cat "$T/after" 2>/dev/null)" "$(cat "$T/before")"
	case $sig in
	SEGV) t_is "$sig: re-raised (exit 139)" "$(cat "$T/rc")" 139 ;;
	ABRT) t_is "$sig: re-raised (exit 134)" "$(cat "$T/rc")" 134 ;;
	esac
done
t_done
