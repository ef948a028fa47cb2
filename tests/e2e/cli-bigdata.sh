#!/bin/sh
# cli-bigdata.sh: budgets and progress of long commands, and the lazy open
# of `info`: regions --max-pieces stops with exit 2 and one line, on a layer
# program and on a graph; the progress line goes to a terminal only; info
# reads a model's header without scanning its weights, decode still refuses
# a NaN weight.
. "$srcdir/tests/lib/lib.sh"
PY=${PYTHON3:-python3}
command -v "$PY" >/dev/null 2>&1 || { echo "1..0 # SKIP no python3"; exit 0; }

# The triangle wave relu(x+1) - 2 relu(x) + relu(x-1): 4 pieces on [-3, 3].
mk_model "$T/tri.safetensors" "fc1 relu fc2" 1x1x1 fc1.weight=3,1:1,1,1 fc1.bias=3:1,0,-1 fc2.weight=1,3:1,-2,1
# on_tty OUT "COMMAND": COMMAND with stdout and stderr on a terminal (script),
# progress reports due at once, everything it drew into OUT.
on_tty() { LINSCOPE_PROGRESS_AFTER=0 script -qc "$2" /dev/null > "$1" 2>&1 < /dev/null; }
tri() { "$LS" regions -m "$T/tri.safetensors" -z 0 --dir axis:0 --range -3:3 "$@"; }
t_ok "regions with a budget it fits: --max-pieces 4" sh -c "'$LS' regions -m '$T/tri.safetensors' -z 0 --dir axis:0 --range -3:3 --max-pieces 4 > '$T/b4.txt'"
tri > "$T/b0.txt"
t_is "... the same output as without a budget" "$(cmp -s "$T/b0.txt" "$T/b4.txt" && echo same)" "same"
t_fails "--max-pieces 3 on 4 pieces: exit 2, the documented message" 2 \
	"^linscope: more than 3 pieces along the segment (--max-pieces 3)$" tri --max-pieces 3
t_is "... one line on stderr" "$(wc -l < "$T/.err" | tr -d ' ')" "1"
t_is "... nothing on stdout" "$(wc -c < "$T/.out" | tr -d ' ')" "0"
t_fails "--max-pieces 0 is refused" 2 "max-pieces wants a count" tri --max-pieces 0
t_fails "--max-pieces x is refused" 2 "max-pieces wants a count" tri --max-pieces x

# A graph (DCGAN fixture, hundreds of pieces along axis 0 on [-3, 3]): the walk's budget.
DC="$srcdir/tests/fixtures/onnx/dcgan32.onnx"
t_fails "graph: --max-pieces 5 stops the walk" 2 "more than 5 pieces along the segment" \
	"$LS" regions -m "$DC" -z 0,0,0,0,0,0,0,0 --dir axis:0 --range -3:3 --max-pieces 5

# Progress: never into a file, even when reports are due at once.
LINSCOPE_PROGRESS_AFTER=0 "$LS" regions -m "$DC" -z 0,0,0,0,0,0,0,0 --dir axis:0 --range -3:3 \
	> "$T/p.out" 2> "$T/p.err"
t_is "stderr a file: no progress line (empty stderr)" "$(wc -c < "$T/p.err" | tr -d ' ')" "0"
t_ok "... and the answer on stdout" grep -q '^pieces: ' "$T/p.out"
if command -v script >/dev/null 2>&1; then
	on_tty "$T/tty.txt" "'$LS' regions -m '$DC' -z 0,0,0,0,0,0,0,0 --dir axis:0 --range -3:3"
	t_ok "stderr a terminal: 'regions: NN%' drawn in place" grep -q "$(printf '\r')regions: *[0-9]*%" "$T/tty.txt"
	t_ok "... and erased before the answer" grep -q "$(printf '\033')\[K" "$T/tty.txt"
	t_ok "... the answer follows" grep -q "^pieces: [0-9]" "$T/tty.txt"
fi

# regionmap: relu(s) + relu(t) cuts the square [-1, 1]^2 into its 4 quadrants.
mk_model "$T/quad.safetensors" "fc1 relu fc2" 1x1x1 fc1.weight=2,2:1,0,0,1 fc1.bias=2:0,0 fc2.weight=1,2:1,1
quad() { "$LS" regionmap -m "$T/quad.safetensors" -z 0,0 --dir axis:0 --dir axis:1 --range -1:1 --json "$@"; }
t_ok "regionmap with a budget it fits: --max-regions 4" sh -c "'$LS' regionmap -m '$T/quad.safetensors' -z 0,0 --dir axis:0 --dir axis:1 --range -1:1 --json --max-regions 4 > '$T/q4.json'"
t_ok "... the 4 quadrants" grep -q '^{"regions": 4, "linear_regions": 4,' "$T/q4.json"
t_fails "--max-regions 3 on 4 regions: exit 2, the documented message" 2 \
	"^linscope: more than 3 regions in the plane (--max-regions 3)$" quad --max-regions 3
t_is "... one line on stderr" "$(wc -l < "$T/.err" | tr -d ' ')" "1"
t_is "... nothing on stdout" "$(wc -c < "$T/.out" | tr -d ' ')" "0"
t_fails "--max-regions 0 is refused" 2 "max-regions wants a count" quad --max-regions 0
t_fails "graph regionmap: --max-regions 5 stops the walk" 2 "more than 5 regions in the plane" \
	"$LS" regionmap -m "$DC" -z 0,0,0,0,0,0,0,0 --dir axis:0 --dir axis:1 --range -3:3 --json --max-regions 5
LINSCOPE_PROGRESS_AFTER=0 quad > "$T/qp.out" 2> "$T/qp.err"
t_is "regionmap, stderr a file: no progress line" "$(wc -c < "$T/qp.err" | tr -d ' ')" "0"
if command -v script >/dev/null 2>&1; then
	on_tty "$T/qtty.txt" "'$LS' regionmap -m '$T/quad.safetensors' -z 0,0 --dir axis:0 --dir axis:1 --range -1:1 --json"
	t_ok "regionmap, stderr a terminal: 'regionmap: NN%' drawn in place" grep -q "$(printf '\r')regionmap: *[0-9]*%" "$T/qtty.txt"
	t_ok "... erased, then the answer" grep -q "$(printf '\033')\[K{\"regions\": 4" "$T/qtty.txt"
	on_tty "$T/gtty.txt" "'$LS' regionmap -m '$DC' -z 0,0,0,0,0,0,0,0 --dir axis:0 --dir axis:1 --range -0.5:0.5 --json"
	tr '\r' '\n' < "$T/gtty.txt" | sed -n 's/^regionmap: *\([0-9]*\)%.*/\1/p' > "$T/gpct.txt"
	t_ok "graph regionmap on a terminal: the share grows over several lines" \
		awk 'NR > 1 && $1 < p { exit 1 } { p = $1; if (NR > 1 && $1 > f) g = 1; if (NR == 1) f = $1 } END { exit !g }' "$T/gpct.txt"
fi

# encode of many files, 256 at a time: 300 files, row 280 a second image.
E="$FIX/fwd-relu.safetensors"
"$LS" decode -m "$E" -b "$FIX/fwd-relu-z.npy" --rows 0:1 --scale 1 --gutter 0 -o "$T/e1.png"
"$LS" decode -m "$E" -b "$FIX/fwd-relu-z.npy" --rows 1:2 --scale 1 --gutter 0 -o "$T/e2.png"
"$LS" encode -m "$E" -o "$T/s1.npy" "$T/e1.png"
"$LS" encode -m "$E" -o "$T/s2.npy" "$T/e2.png"
set --
i=0
while [ $i -lt 300 ]; do
	if [ $i -eq 280 ]; then set -- "$@" "$T/e2.png"; else set -- "$@" "$T/e1.png"; fi
	i=$((i + 1))
done
t_ok "encode of 300 files (two chunks)" "$LS" encode -m "$E" -o "$T/e300.npy" "$@"
t_ok "... each row the image's own encoding (1e-5), row 280 the second image" "$PY" -c "
import numpy as np
a = np.load('$T/e300.npy'); s1 = np.load('$T/s1.npy')[0]; s2 = np.load('$T/s2.npy')[0]
assert a.shape == (300, 5), a.shape
want = np.repeat(s1[None], 300, 0); want[280] = s2
assert np.abs(s1 - s2).max() > 1e-3
assert np.abs(a - want).max() <= 1e-5, np.abs(a - want).max()"
cp "$FIX/fwd-relu-z.npy" "$T/notpng.png"
t_fails "encode: a bad file in the second chunk is named, exit 2" 2 "notpng.png" \
	"$LS" encode -m "$E" -o "$T/bad300.npy" "$@" "$T/notpng.png"
t_is "... and no bank is written" "$(ls "$T/bad300.npy" 2>/dev/null)" ""
if command -v script >/dev/null 2>&1; then
	on_tty "$T/etty.txt" "'$LS' encode -m '$E' -o '$T/etty.npy' $*"
	t_ok "encode on a terminal: 'encode: NN%' drawn in place" grep -q "$(printf '\r')encode: *[0-9]*%" "$T/etty.txt"
	t_ok "... and erased" grep -q "$(printf '\033')\[K" "$T/etty.txt"
fi

# dir pca / probe: the progress line on a terminal only; the same answer.
DB="$srcdir/assets/digits.npy"
DL="$FIX/dir-logreg-y.txt"
t_ok "dir pca off a terminal" sh -c "'$LS' dir pca -b '$DB' -k 2 -o '$T/pc.safetensors' > '$T/pc.txt' 2> '$T/pc.err'"
t_is "... no progress line" "$(wc -c < "$T/pc.err" | tr -d ' ')" "0"
if command -v script >/dev/null 2>&1; then
	on_tty "$T/pctty.txt" "'$LS' dir pca -b '$DB' -k 2 -o '$T/pc2.safetensors'"
	t_ok "dir pca on a terminal: 'pca: NN%' drawn in place" grep -q "$(printf '\r')pca: *[0-9]*%" "$T/pctty.txt"
	t_is "... erased, then the same variances" "$(tr -d '\r' < "$T/pctty.txt" | sed 's/^.*\x1b\[K//')" "$(cat "$T/pc.txt")"
	"$LS" dir probe -b "$FIX/dir-logreg-x.npy" -l "$DL" --pos a --neg b -o "$T/pr.safetensors" > "$T/pr.txt"
	on_tty "$T/prtty.txt" "'$LS' dir probe -b '$FIX/dir-logreg-x.npy' -l '$DL' --pos a --neg b -o '$T/pr2.safetensors'"
	t_ok "dir probe on a terminal: 'probe: NN%' drawn in place" grep -q "$(printf '\r')probe: *[0-9]*%" "$T/prtty.txt"
	t_is "... erased, then the same fit" "$(tr -d '\r' < "$T/prtty.txt" | sed 's/^.*\x1b\[K//; s/pr2\.safetensors/pr.safetensors/')" "$(cat "$T/pr.txt")"
fi

# info opens lazily: a NaN weight (used in place) is not scanned; decode refuses it.
mk_model "$T/nan.safetensors" "fc1 relu fc2" 1x1x1 fc1.weight=2,1:nan,1 fc2.weight=1,2:1,1
t_ok "info on a model with a NaN weight: header only" sh -c "'$LS' info '$T/nan.safetensors' | grep -q '^latent dimension d: 1$'"
t_fails "decode refuses the NaN (eager open)" 2 "tensor 'fc1.weight' has a non-finite value" \
	"$LS" decode -m "$T/nan.safetensors" -z 0.5 --npy "$T/y.npy"
t_is "... and writes nothing" "$(ls "$T/y.npy" 2>/dev/null)" ""
t_done
