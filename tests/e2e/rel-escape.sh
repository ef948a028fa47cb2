#!/bin/sh
# rel-escape.sh: text from files never drives the terminal. Files with
# terminal escapes (ESC ] 0 ; ... BEL retitles the window, ESC [ 2 J clears
# the screen) and C1 controls (U+009B, CSI as UTF-8; a raw 0x9b byte) in
# direction names, metadata values, labels, tensor and layer names and a
# .npy header go through every command that prints them and through the
# explorer's panes; no control byte other than newline and tab reaches
# standard output or standard error, and the explorer's screen (tmux
# capture-pane -e, which keeps the attributes tmux itself draws) holds no
# OSC, no screen clear and no C1 byte, while the sanitised text ('?' for
# each control) is shown. The inputs come from tests/lib/rel_inputs.py.
. "$srcdir/tests/lib/lib.sh"
PY=${PYTHON3:-no}
[ "$PY" != no ] || { echo "1..0 # SKIP no python3 with numpy"; exit 0; }
"$PY" "$srcdir/tests/lib/rel_inputs.py" "$T" esc || exit 99
M=$(cd "$FIX" && pwd)/fwd-relu.safetensors   # absolute: the explorer runs elsewhere
# clean FILE: no byte < 0x20 but newline and tab, no DEL, no 0x9b, no C2 80..9F
clean() { LC_ALL=C "$PY" -c '
import re, sys
b = open(sys.argv[1], "rb").read()
sys.exit(1 if re.search(rb"[\x00-\x08\x0b-\x1f\x7f\x9b]|\xc2[\x80-\x9f]", b) else 0)' "$1"; }
out() { # DESC COMMAND...: stdout and stderr of the command are clean
	d=$1; shift
	"$@" >"$T/o.txt" 2>&1
	clean "$T/o.txt"; r=$?
	t_result $r "$d"
	[ $r -eq 0 ] || od -c "$T/o.txt" | head -5 | sed 's/^/#   /'
}
out "dir list: names and metadata with escapes" "$LS" dir list "$T/dirs_esc.st"
grep -q '?\]0;owned??\[2J' "$T/o.txt"; t_is "... the name shows sanitised" $? 0
out "dir show: metadata with escapes and C1" "$LS" dir show "$T/dirs_esc.st:plain"
grep -q 'note: note ?\]0;owned??\[2J?2J?31m' "$T/o.txt"; t_is "... the note shows sanitised" $? 0
out "dir project: labels with escapes" "$LS" dir project axis:0 -m "$M" -b "$T/bank8.npy" -l "$T/labels_esc.txt"
out "dir project of a direction of that file" "$LS" dir project "$T/dirs_esc.st:plain" -m "$M" \
	-b "$T/bank8.npy" -l "$T/labels_esc.txt"
out "regions along a direction of that file" "$LS" regions -m "$M" -z 0,0,0,0,0 \
	--dir "$T/dirs_esc.st:plain" --range -1:1
out "info: tensor and layer names with escapes" "$LS" info "$T/model_esc.safetensors"
out "decode: a .npy header with a raw 0x9b (the error message)" "$LS" decode -m "$M" \
	-b "$T/c1_header.npy" --npy "$T/x.npy"
printf 'dirs %s\n' "$T/dirs_esc.st" >"$T/s1.txt"
out "run: a name the language cannot express, refused at load" "$LS" run -m "$M" -b "$T/bank8.npy" "$T/s1.txt"
grep -q 'a direction name has no blanks' "$T/o.txt"; t_is "... with a clear message" $? 0
printf 'dir %s\nprint dirs\nlabels %s\nhist\n' "$T/dirs_esc.st:plain" "$T/labels_esc.txt" >"$T/s2.txt"
out "run: print dirs and hist with labels and metadata from files" "$LS" run -m "$M" -b "$T/bank8.npy" "$T/s2.txt"
printf 'z 0,0,0,0,0\ndir axis 1\nsavestate %s\n' "$T/st.txt" >"$T/s3.txt"
"$LS" run -m "$M" -b "$T/bank8.npy" -l "$T/labels_esc.txt" "$T/s3.txt" >/dev/null 2>&1
t_ok "a saved state with those labels replays" "$LS" run "$T/st.txt"

# The explorer: the bank pane shows the labels, the directions pane the
# direction from the file, the info pane the label histogram.
. "$srcdir/tests/lib/ui-lib.sh"
ui_start 100 30 -- --no-restore -m "$M" -b "$T/bank8.npy" -l "$T/labels_esc.txt"
ui_wait "the explorer is up, the label shown sanitised" '\?\]0;owned-by'
ui_type ":dir $T/dirs_esc.st:plain"
ui_keys Enter
ui_wait "the direction from the file is listed" 'plain'
tm capture-pane -e -p >"$T/screen-e.txt"
"$PY" -c '
import re, sys
b = open(sys.argv[1], "rb").read()
bad = re.search(rb"\x1b\]|\x1b\[2J|\x07|\x9b|\xc2[\x80-\x9f]", b)
sys.exit(1 if bad else 0)' "$T/screen-e.txt"
t_is "the screen (capture-pane -e) holds no OSC, no clear, no BEL, no C1" $? 0
ui_keys q
ui_exit "quit" 0
t_done
