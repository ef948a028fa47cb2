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

# Polls (up to 20 s) for a save's temporary file ".NAME.XXXXXX" in DIR.
wait_tmp() { # DIR NAME
	i=0
	while [ $i -lt 200 ]; do
		for f in "$1"/."$2".*; do [ -e "$f" ] && return 0; done
		sleep 0.1; i=$((i + 1))
	done
	return 1
}
n_tmp() { ls -A "$1" | grep -c "^\.$2\." ; }

# 1. SIGKILL during the save: the old file stays, byte for byte.
mkdir "$T/kill"
cp "$OLD" "$T/kill/out.npy"
LINSCOPE_FAULT_SLEEP=30 "$LS" decode -m digits -b "$BANK" --rows 0:100 --npy "$T/kill/out.npy" \
	>/dev/null 2>&1 &
pid=$!
wait_tmp "$T/kill" out.npy; t_is "the save's temporary file appears" $? 0
sleep 0.5
kill -KILL $pid 2>/dev/null; wait $pid 2>/dev/null
t_ok "after SIGKILL mid-save the old file is intact" cmp "$OLD" "$T/kill/out.npy"
t_is "the killed save left its temporary only" "$(n_tmp "$T/kill" out.npy)" 1

# 2. The same save, not killed, replaces the file (the hook only delays it).
LINSCOPE_FAULT_SLEEP=1 "$LS" decode -m digits -b "$BANK" --rows 0:100 --npy "$T/kill/out.npy" \
	>/dev/null 2>"$T/err"
t_is "a delayed save succeeds" $? 0
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
