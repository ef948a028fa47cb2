#!/bin/sh
# cli-run-teach.sh: the commands the lessons need. erase (LEACE) on the
# faces: a probe that tells frown from smile at > 95% before the erasure
# is at chance after it (closed form: the two classes' means agree along
# every direction afterwards), the bank keeps its rows and z0 follows its
# row. interp writes PNGs of the lerp and slerp paths. Bad input: one line,
# exit 2.
. "$srcdir/tests/lib/lib.sh"
cd "$T" || exit 99

# accuracy FILE NAME: the held-out accuracy print dirs shows for NAME
accuracy() { awk -v n="$2" '$2 == n { for (i = 1; i < NF; i++) if ($i == "accuracy") print $(i + 1) }' "$1"; }
cat > erase.ls <<'EOS'
meandiff frown smile smile
probe frown smile before
erase smile
probe frown smile after
meandiff frown smile md_after
print dirs
row 3
print z0
EOS
t_ok "run: learn, erase, learn again" "$LS" run -m faces erase.ls
cp .out erase.out
t_ok "a probe finds smile before the erasure (accuracy > 0.95)" \
	awk -v a="$(accuracy erase.out before)" 'BEGIN { exit !(a > 0.95) }'
t_ok "and is at chance after it (accuracy < 0.6)" \
	awk -v a="$(accuracy erase.out after)" 'BEGIN { exit !(a < 0.6) }'
echo "# probe accuracy frown vs smile: before $(accuracy erase.out before), after $(accuracy erase.out after)"
t_ok "the mean difference after it separates nothing (auc < 0.6)" \
	awk '$2 == "md_after" { for (i = 1; i < NF; i++) if ($i == "auc") exit !($(i + 1) < 0.6) }' erase.out
printf 'row 3\nprint z0\n' > z0.ls
t_ok "z0 of the original bank" "$LS" run -m faces z0.ls
t_ok "z0 follows its row into the erased bank" sh -c "! cmp -s .out erase.out && test \"\$(tail -1 '$T/erase.out')\" != \"\$(tail -1 '$T/.out')\""

printf 'interp 0 5 lerp.png 5\ninterp 0 5 slerp.png 5 slerp\ninterp 0 5\n' > interp.ls
t_ok "run: interp lerp and slerp" "$LS" run -m faces interp.ls
t_is "it says what it wrote" "$(cut -d' ' -f1-3 .out | tr '\n' ';')" \
	"wrote lerp.png (lerp;wrote slerp.png (slerp;wrote linscope-interp-0001.png (lerp;"
for f in lerp.png slerp.png linscope-interp-0001.png; do
	t_is "$f is a PNG" "$(od -An -tx1 -N8 "$f" | tr -d ' \n')" "89504e470d0a1a0a"
done
t_ok "lerp and slerp differ" sh -c "! cmp -s lerp.png slerp.png"

bad() { # DESC PATTERN SCRIPT-TEXT
	printf '%s\n' "$3" > bad.ls
	t_fails "$1" 2 "$2" "$LS" run -m faces bad.ls
	t_is "$1: one line" "$(wc -l < "$T/.err" | tr -d ' ')" "1"
}
bad "erase without a direction" "no directions\|direction" "erase"
bad "erase an unknown direction" "nope" "erase nope"
bad "interp past the bank" "rows are 0..29999" "interp 0 30000 x.png"
bad "interp with one image" "want 2..64" "interp 0 1 x.png 1"
bad "interp with a bad row" "interp" "interp a 1"
t_ok "no partial file" test ! -e x.png
t_done
