#!/bin/sh
# cli-saves.sh: a real linscope process killed in the middle of a save, and
# a save into a full file system, leave the old file intact.
#
# LINSCOPE_FAULT_SLEEP=N (a test hook in src/afile.c) makes every save wait
# N seconds after its data is written and synced, right before the rename:
# the test kills the process (SIGKILL) during that wait. The full disk is a
# 64 KB tmpfs, mounted only when this user may (root); otherwise skipped.
. "$srcdir/tests/lib/lib.sh"
BANK=$abs_top_srcdir/assets/digits.npy
OLD=$FIX/fwd-relu-y.npy

# Polls (up to 60 s) for FILE: LINSCOPE_FAULT_MARK=FILE makes the save
# create it when its data is written, right before the wait.
wait_file() { # FILE
	i=0
	while [ $i -lt 600 ]; do
		[ -e "$1" ] && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}
n_tmp() { ls -A "$1" | grep -c "^\.$2\." ; }

# 1. SIGKILL during the save: the old file stays, byte for byte.
mkdir "$T/kill"
cp "$OLD" "$T/kill/out.npy"
LINSCOPE_FAULT_MARK=$T/mark LINSCOPE_FAULT_SLEEP=60 "$LS" decode -m digits -b "$BANK" --rows 0:100 \
	--npy "$T/kill/out.npy" >/dev/null 2>&1 &
pid=$!
wait_file "$T/mark"; t_is "the save reaches the point before its rename" $? 0
kill -KILL $pid 2>/dev/null; wait $pid 2>/dev/null
t_ok "after SIGKILL mid-save the old file is intact" cmp "$OLD" "$T/kill/out.npy"
# O_TMPFILE leaves nothing; a named temporary (no O_TMPFILE here) is
# removed by the next save of the file (its owner is dead).
t_ok "the killed save left at most its own temporary" [ "$(n_tmp "$T/kill" out.npy)" -le 1 ]

# 2. The same save, not killed, replaces the file (the hook only delays it).
LINSCOPE_FAULT_SLEEP=1 "$LS" decode -m digits -b "$BANK" --rows 0:100 --npy "$T/kill/out.npy" \
	>/dev/null 2>"$T/err"
t_is "a delayed save succeeds" $? 0
t_is "... and no temporary is left, not even the killed one's" "$(n_tmp "$T/kill" out.npy)" 0
t_is "the new file has 100 rows of 784 floats (+ header)" "$(wc -c <"$T/kill/out.npy" | tr -d ' ')" \
	$((128 + 100 * 784 * 4))

# 3. Disk full: a 64 KB tmpfs.
mkdir "$T/full"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=64k tmpfs "$T/full" 2>/dev/null; then
	trap 'umount "$T/full" 2>/dev/null; rm -rf "$T"' EXIT
	cp "$OLD" "$T/full/out.npy"
	t_fails "a .npy save on a full disk fails clearly" 2 "^linscope: .*out.npy.*No space left on device" \
		"$LS" decode -m digits -b "$BANK" --rows 0:100 --npy "$T/full/out.npy"
	t_ok "... the old .npy is intact" cmp "$OLD" "$T/full/out.npy"
	t_is "... no temporary file is left" "$(n_tmp "$T/full" out.npy)" 0
	cp "$OLD" "$T/full/out.png"
	t_fails "a PNG save on a full disk fails clearly" 2 "^linscope: .*out.png.*No space left on device" \
		"$LS" decode -m digits -b "$BANK" --rows 0:400 --scale 4 -o "$T/full/out.png"
	t_ok "... the old file is intact" cmp "$OLD" "$T/full/out.png"
	t_is "... no temporary file is left" "$(n_tmp "$T/full" out.png)" 0
	umount "$T/full"
else
	_n=$((_n + 1)); echo "ok $_n # SKIP cannot mount a 64 KB tmpfs here (needs root)"
fi
t_done
