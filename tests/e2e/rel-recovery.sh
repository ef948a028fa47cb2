#!/bin/sh
# rel-recovery.sh: session recovery, crashes and the terminal, against the
# tester's findings, in the real explorer (a private tmux server):
#   S1 a d = 512 session (state lines over 4 KB) is restored after SIGKILL;
#   S2 a session file holding write commands (savestate, preview) does not
#      run them: the restore refuses it and no file is written;
#   S3/S4 a failed restore keeps the -b bank and the -d directions given;
#   S5 a session file that is a link to /dev/zero is set aside at once;
#   S6 a session restored in another folder and killed again restores again
#      (paths are kept absolute);
#   M1 a failed `dirs FILE` adds none of its directions;
#   T1 a paint drag on the image, `i` mid-drag, release: no crash;
#   T3 the key storm that made readline free twice (a cancelled i-search on
#      a recalled history line): the explorer still answers (and under ASan
#      does not abort).
# Every step waits for a condition (screen, file, process), up to 60 s.
. "$srcdir/tests/lib/lib.sh"
TM=${TMUX_BIN:-tmux}
command -v "$TM" >/dev/null 2>&1 || { echo "1..0 # SKIP no tmux"; exit 0; }
PY=${PYTHON3:-no}
[ "$PY" != no ] || { echo "1..0 # SKIP no python3 with numpy"; exit 0; }
SOCK=lrr$$
tm() { "$TM" -L "$SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$T"' EXIT
poll() { i=0; while [ $i -lt 600 ]; do eval "$1" && return 0; sleep 0.1; i=$((i + 1)); done; return 1; }
screen() { tm capture-pane -p; }
"$PY" "$srcdir/tests/lib/rel_inputs.py" "$T" m512 esc || exit 99
FIXA=$(cd "$FIX" && pwd)
SESSION=$T/state/linscope/session
mkdir -p "$T/state/linscope" "$T/A" "$T/B"
tm -f /dev/null new-session -d -x 120 -y 32 \
	"env -i PATH=\"$PATH\" HOME=\"$T\" XDG_STATE_HOME=\"$T/state\" TERM=screen LC_ALL=C.UTF-8 \
	 ESCDELAY=25 LINSCOPE_DATADIR=\"$LINSCOPE_DATADIR\" OPENBLAS_NUM_THREADS=1 \
	 ASAN_OPTIONS=\"${ASAN_OPTIONS:-}\" PS1='$ ' sh" || { echo "1..0 # SKIP cannot start tmux"; exit 0; }
# start DIR ARGS...: the explorer in DIR; its exit status goes to $T/rc
start() {
	d=$1; shift
	rm -f "$T/pid" "$T/rc"
	tm send-keys "cd '$d'; sh -c 'echo \$\$ > $T/pid; exec \"$LS\" tui $*'; echo \$? > $T/rc" C-j
	poll '[ -s "$T/pid" ]' && poll 'screen | grep -q "directions [0-9]"'
}
killed() {
	kill -KILL "$(cat "$T/pid")"
	poll '[ -s "$T/rc" ]'
	tm send-keys "stty sane; clear" C-j
}
quit() { tm send-keys q; poll 'screen | grep -q "Quit anyway" && tm send-keys y; [ -s "$T/rc" ]'; tm send-keys "clear" C-j; }

# S1: d = 512.
start "$T" -m "$T/m512.safetensors" -b "$T/bank512.npy" -l "$T/lab40.txt"
tm send-keys ":pca 3" Enter
poll 'screen | grep -q "directions 3"'
tm send-keys L L
poll 'grep -q "^alpha" "$SESSION" 2>/dev/null'
t_ok "S1: the d = 512 session file has lines over 4 KB" \
	[ "$(awk '{ if (length > m) m = length } END { print m }' "$SESSION")" -gt 4096 ]
killed
start "$T" -m "$T/m512.safetensors" -b "$T/bank512.npy" -l "$T/lab40.txt"
poll 'screen | grep -q "Restore the session"'
tm send-keys y
poll 'screen | grep -q "session restored"'
t_is "S1: ... and is restored after SIGKILL" "$(screen | grep -c 'session restored.*3 directions')" 1
t_is "S1: ... with its three directions" "$(screen | grep -c 'directions 3')" 1
quit

# S2: write commands in a session file are not run.
echo precious >"$T/victim.txt"
printf '# linscope session state\nmodel digits\nrow 3\nsavestate %s\npreview %s\n' \
	"$T/victim.txt" "$T/victim2.png" >"$SESSION"
start "$T"
poll 'screen | grep -q "Restore the session"'
tm send-keys y
poll 'screen | grep -q "cannot restore"'
t_is "S2: the restore refuses a command that is not state" "$(screen | grep -c 'savestate: not a state command')" 1
t_is "S2: ... savestate did not run" "$(cat "$T/victim.txt")" precious
t_ok "S2: ... nor did the preview write" test ! -e "$T/victim2.png"
quit

# S3: a failed restore (after a model change) keeps the -b bank.
printf '# linscope session state\nmodel digits\nbogus\n' >"$SESSION"
start "$T" -m "$FIXA/fwd-relu.safetensors" -b "$T/bank8.npy"
poll 'screen | grep -q "Restore the session"'
tm send-keys y
poll 'screen | grep -q "cannot restore"'
t_is "S3: after a failed restore the -b bank is back" "$(screen | grep -c 'bank 8 ')" 1
quit
# S4: a failed restore (after a change of d) keeps the -d directions.
"$LS" dir axis 0 -o "$T/s4dirs.st" >/dev/null
printf '# linscope session state\nmodel digits2d\ndir axis 1\nbogus\n' >"$SESSION"
start "$T" -d "$T/s4dirs.st"
poll 'screen | grep -q "Restore the session"'
tm send-keys y
poll 'screen | grep -q "cannot restore"'
t_is "S4: after a failed restore the -d directions are back" "$(screen | grep -c 'directions 1')" 1
quit

# S5: a session file that is a link to /dev/zero.
rm -f "$SESSION"
ln -s /dev/zero "$SESSION"
start "$T"
poll 'screen | grep -q "not a session file"'
t_is "S5: a link to /dev/zero is set aside at once" "$(screen | grep -c 'not a session file')" 1
quit
t_is "S5: ... and the explorer quits" "$(cat "$T/rc")" 0

# S6: relative paths, restore in another folder, crash again.
rm -f "$SESSION" "$SESSION".*
cp "$T/bank8.npy" "$T/A/bank.npy"
start "$T/A" -m "$FIXA/fwd-relu.safetensors" -b bank.npy
tm send-keys ":dir axis 2" Enter
poll 'screen | grep -q "directions 1"'
tm send-keys L L
poll 'grep -q "^alpha" "$SESSION" 2>/dev/null'
killed
start "$T/B" -m "$FIXA/fwd-relu.safetensors"
poll 'screen | grep -q "Restore the session"'
tm send-keys y
poll 'screen | grep -q "session restored"'
old=$(cksum <"$SESSION")
tm send-keys l
poll '[ "$(cksum <"$SESSION")" != "$old" ]'   # the change reached the file
killed
start "$T/B" -m "$FIXA/fwd-relu.safetensors"
poll 'screen | grep -q "Restore the session"'
tm send-keys y
poll 'screen | grep -q "session restored\|cannot restore"'
t_is "S6: restored in another folder and killed again, it restores again" \
	"$(screen | grep -c 'session restored')" 1
quit

# M1: a failed `dirs FILE` is all or nothing.
start "$T" --no-restore -m "$FIXA/fwd-relu.safetensors" -b "$T/bank8.npy"
tm send-keys ":dirs $T/zero_second.st" Enter
poll 'screen | grep -q "zero length"'
t_is "M1: dirs with a bad second direction fails" "$(screen | grep -c 'b: the direction has zero length')" 1
t_is "M1: ... and adds none of them" "$(screen | grep -c 'directions 0')" 1
quit

# T1: drag on the image, i, release (xterm mouse: press at column 60, row 5).
start "$T" --no-restore
tm send-keys -l "$(printf '\033[M ]&')"
tm send-keys -l i
tm send-keys -l "$(printf '\033[M#]&')"
tm send-keys -l ":echo alive-after-drag"
tm send-keys Enter
poll 'screen | grep -q "alive-after-drag"'
t_is "T1: drag, i, release: the explorer is still there" "$(screen | grep -c 'alive-after-drag')" 1
quit
t_is "T1: ... and quits normally" "$(cat "$T/rc")" 0

# T3: the key storm (readline double free).
start "$T" --no-restore
tm send-keys -l -- ":echo a"; tm send-keys Enter
tm send-keys -l -- ":echo b"; tm send-keys Enter
tm send-keys -l -- "/"; tm send-keys C-p; tm send-keys -l -- "6"; tm send-keys C-r
tm send-keys -l -- "$(printf '\0339')"
tm send-keys -l -- ":echo c"; tm send-keys Enter
tm send-keys -l -- "0"; tm send-keys -l -- "$(printf '\0333')"
tm send-keys -l -- ":echo after-storm"; tm send-keys Enter
poll 'screen | grep -q "after-storm" || [ -s "$T/rc" ]'
t_is "T3: after the cancelled i-search the explorer still answers" "$(screen | grep -c 'after-storm')" 1
quit
t_is "T3: ... and quits normally" "$(cat "$T/rc")" 0
t_done
