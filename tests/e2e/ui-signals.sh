#!/bin/sh
# ui-signals.sh: the terminal is given back on SIGTERM, SIGHUP and SIGINT
# (a clean exit with status 128+N) and on a crash signal (SIGSEGV: the
# reset path of the signal handler, then death by the signal).
. "$srcdir/tests/lib/lib.sh"
. "$srcdir/tests/lib/ui-lib.sh"

# The pid of the explorer inside the pane.
ui_pid() {
	local sh
	sh=$(tm display-message -p '#{pane_pid}')
	for st in /proc/[0-9]*/stat; do   # no ps(1) needed
		set -- $(cat "$st" 2>/dev/null)
		[ "${4:-}" = "$sh" ] && { echo "$1"; return; }
	done
}

for sig in TERM:143 HUP:129 INT:130 SEGV:139; do
	name=${sig%:*} code=${sig#*:}
	ui_start 80 24
	ui_wait "SIG$name: the explorer is up" 'directions 0'
	kill -s "$name" "$(ui_pid)"
	ui_exit "SIG$name: exit status $code" "$code"
	ui_stty_same "SIG$name: the terminal settings are restored"
done

t_done
