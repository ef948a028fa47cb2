# ui-lib.sh: driving the real explorer in a private tmux server, as tmux's
# own regress/ tests do. Source after lib.sh.
#   ui_start COLS ROWS [ENV=V...] -- [linscope tui args]
#                          starts it in $T/work (previews land there), with
#                          HOME and XDG_STATE_HOME in $T; the pane writes
#                          `stty -a` before and after, and the exit status,
#                          to $T/stty.before, $T/stty.after, $T/status
#   ui_wait "desc" PATTERN  polls the screen until grep -E PATTERN matches
#                          (ok) or it stays unchanged for UI_TIMEOUT seconds
#                          (not ok)
#   ui_keys KEY...         tmux key names (Enter, Escape, Tab, C-r...)
#   ui_type TEXT           literal text
#   ui_screen              prints the screen
#   ui_exit "desc" CODE    waits for the program to end with CODE
# Skips (a "1..0 # SKIP" plan, exit 0: the TAP driver counts any other exit
# status as an error) when tmux is not there.
: "${TMUX_BIN:=tmux}"
if [ "$TMUX_BIN" = no ] || ! command -v "$TMUX_BIN" >/dev/null 2>&1; then
	if [ "$_n" -gt 0 ]; then
		echo "# tmux not found: the terminal tests are skipped"
		t_done
	fi
	echo "1..0 # SKIP tmux not found"
	exit 0
fi
: "${UI_TIMEOUT:=60}"   # generous: the machine may be loaded
UI_SOCK=t$$
trap '"$TMUX_BIN" -L "$UI_SOCK" kill-server >/dev/null 2>&1; rm -rf "$T"' EXIT
mkdir -p "$T/home" "$T/state" "$T/work"

tm() { "$TMUX_BIN" -L "$UI_SOCK" "$@"; }

ui_start() {
	local x=$1 y=$2 envs=""
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs="$envs export $1;"; shift; done
	[ $# -gt 0 ] && shift
	rm -f "$T/status" "$T/stty.before" "$T/stty.after"
	cat >"$T/pane.sh" <<EOF
cd "$T/work" || exit 99
export TERM=screen LC_ALL=C.UTF-8 ESCDELAY=25 HOME="$T/home" XDG_STATE_HOME="$T/state"
unset COLORTERM NO_COLOR
$envs
stty -a >"$T/stty.before"
"$LS" tui $*
echo \$? >"$T/status.tmp"
stty -a >"$T/stty.after"
mv "$T/status.tmp" "$T/status"
EOF
	tm -f /dev/null new-session -d -x "$x" -y "$y" "sh '$T/pane.sh'"
}

ui_screen() { tm capture-pane -p 2>/dev/null; }

# Polls the screen for an extended regular expression. Gives up when the
# screen has not changed for UI_TIMEOUT seconds (the program is stuck, not
# slow: a loaded machine or a sanitizer build only makes it slower), or
# after 10 * UI_TIMEOUT in all.
ui_poll() {
	local now end last=$(($(date +%s) + 10 * UI_TIMEOUT)) prev=
	end=$(($(date +%s) + UI_TIMEOUT))
	while :; do
		ui_screen >"$T/screen" 2>/dev/null
		grep -Eq -- "$1" "$T/screen" && return 0
		tm has-session 2>/dev/null || return 1   # the pane (and the program) ended
		now=$(date +%s)
		if ! cmp -s "$T/screen" "$T/screen.prev"; then
			cp "$T/screen" "$T/screen.prev"
			[ -n "$prev" ] && end=$((now + UI_TIMEOUT))
			prev=1
		fi
		[ "$now" -ge "$end" ] || [ "$now" -ge "$last" ] && return 1
		sleep 0.05
	done
}

ui_wait() {
	if ui_poll "$2"; then t_result 0 "$1"
	else
		t_result 1 "$1"
		echo "# wanted /$2/ on the screen:"
		sed 's/^/#  |/' "$T/screen"
	fi
}

ui_keys() { tm send-keys "$@"; }
ui_type() { tm send-keys -l -- "$1"; }

# Waits for a file to appear (the pane writes it last).
ui_file() {
	local end=$(($(date +%s) + UI_TIMEOUT))
	while [ ! -s "$1" ]; do
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.05
	done
}

ui_exit() {
	if ui_file "$T/status"; then t_is "$1" "$(cat "$T/status")" "$2"
	else t_result 1 "$1"; echo "# the program did not end"; ui_screen | sed 's/^/#  |/'; fi
}

# The terminal settings after the explorer equal those before it.
# Compares the settings, not the window size (a test may have resized it).
ui_stty_same() {
	local strip='s/rows [0-9]*; columns [0-9]*;//'
	if ui_file "$T/stty.after" &&
	   [ "$(sed "$strip" "$T/stty.before")" = "$(sed "$strip" "$T/stty.after")" ]; then t_result 0 "$1"
	else t_result 1 "$1"; diff "$T/stty.before" "$T/stty.after" | sed 's/^/# /'; fi
}
