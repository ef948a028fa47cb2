#!/bin/sh
# cli-steer-smile.sh: steering works on the bundled faces. The explorer's
# commands learn the smile direction from the labels (meandiff frown
# smile), take 100 bank faces labelled neutral and 100 labelled frown, and
# move each along it (alpha +2 sigma for the neutral ones, +3 for the
# frowns); linscope prints the latents, decodes them, and the independent
# reader tests/faces_reader.py (a pixel classifier trained on the
# generator's ground truth; it never sees a latent) says how many smile
# before and after. The rates go to the TAP output; the test asserts a
# gap of at least 50 points, and that a seeded random direction moved as
# far does not (a gain under 30 points). Needs python3 with numpy (skips without).
. "$srcdir/tests/lib/lib.sh"
PY=${PYTHON3:-no}
if [ "$PY" = no ] || ! "$PY" -c 'import numpy' 2>/dev/null; then
	echo "1..0 # SKIP needs python3 with numpy"; exit 77
fi
LAB=$srcdir/assets/faces-labels.txt
[ -f "$LAB" ] || { echo "1..0 # SKIP no faces assets"; exit 77; }

# script GROUP ALPHA DIR: the run script moving the first 100 rows
# labelled GROUP along DIR (smile: learned from the labels; rnd: random)
script() {
	echo "meandiff frown smile smile"
	echo "random 7 rnd"
	awk -v g="$1" '$1 == g { print NR - 1 }' "$LAB" | head -100 | while read -r i; do
		printf 'row %s\nalpha %s 0\nprint z\nalpha %s %s\nprint z\n' "$i" "$3" "$3" "$2"
	done
}
# rate GROUP ALPHA [DIR]: "BEFORE AFTER" percentages smiling, as the reader says
rate() {
	script "$1" "$2" "${3:-smile}" > "$T/$1.ls"
	"$LS" run -m faces "$T/$1.ls" > "$T/$1.out" || { echo "# run failed"; return 1; }
	grep -E '^-?[0-9][^ ]*,' "$T/$1.out" > "$T/$1.z"
	"$PY" - "$T/$1.z" "$T/$1.npy" <<'PYEOF' || return 1
import sys
import numpy as np
z = np.loadtxt(sys.argv[1], delimiter=",", dtype=np.float32)
assert z.shape == (200, 32), z.shape
np.save(sys.argv[2], z)
PYEOF
	"$LS" decode -m faces -b "$T/$1.npy" --npy "$T/$1-img.npy" || return 1
	"$PY" - "$srcdir/tests" "$T/$1-img.npy" <<'PYEOF'
import sys
import numpy as np
sys.path.insert(0, sys.argv[1])
import faces_reader
x = np.load(sys.argv[2]).reshape(-1, 2, 3, 64, 64)
before, _ = faces_reader.read(x[:, 0])
after, _ = faces_reader.read(x[:, 1])
print("%d %d" % (round(100 * (before > 0.5).mean()), round(100 * (after > 0.5).mean())))
PYEOF
}
gap() { # DESC "BEFORE AFTER" MIN
	set -- "$1" $2 "$3"
	echo "# $1: smiling before $2%, after $3% (gap $(($3 - $2)) points)"
	t_result $([ $(($3 - $2)) -ge "$4" ] && echo 0 || echo 1) "$1: after - before >= $4 points"
}

r=$(rate neutral 2)
t_is "neutral rows: reader ran" "$(echo "$r" | wc -w | tr -d ' ')" "2"
[ -n "$r" ] && gap "100 neutral faces, +2 sigma along the smile direction" "$r" 50
r=$(rate frown 3)
t_is "frown rows: reader ran" "$(echo "$r" | wc -w | tr -d ' ')" "2"
[ -n "$r" ] && gap "100 frowning faces, +3 sigma along the smile direction" "$r" 50
# Control: a seeded random direction of the same length moves few faces to a smile.
r=$(rate neutral 2 rnd)
set -- $r
echo "# control: 100 neutral faces, +2 sigma along a random direction: smiling before $1%, after $2%"
t_result $([ $(($2 - $1)) -lt 30 ] && echo 0 || echo 1) "control: a random direction gains < 30 points"
t_done
