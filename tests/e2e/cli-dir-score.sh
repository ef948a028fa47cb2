#!/bin/sh
# cli-dir-score.sh: `linscope dir score` against numpy (the r values of
# tests/fixtures/score-r.npy, made by tools/make_score_fixtures.py), the
# bundled faces' factors found by themselves (a learned smile direction
# moves smile first), and bad input (rows, NaN, a missing file, no
# factors, no direction): one line, exit 2.
. "$srcdir/tests/lib/lib.sh"
B=$FIX/score-bank.npy
F=$FIX/score-factors.npy
D=$T/d.safetensors

t_ok "import the fixture direction" "$LS" dir import "$D" u "$FIX/score-dir.npy"
t_ok "score it" "$LS" dir score -b "$B" --factors "$F" "$D:u"
cp "$T/.out" "$T/score"
# numpy.corrcoef: a 0.95624611, c -0.05164349, b -0.04553494, k constant
t_is "table: sorted by |r|, numpy's values" "$(sed -n '3,6p' "$T/score" | cut -f1,2 | tr '\t\n' ' ;')" \
	"a +0.956246;c -0.051643;b -0.045535;k nan;"
t_is "leak line = |(r_b, r_c)|" "$(grep '^leak' "$T/score")" "$(printf 'leak\t0.068851')"
t_ok "score an axis spec" "$LS" dir score -b "$B" --factors "$F" axis:2
t_is "axis 2 moves b most (b = 0.3 z2 + noise)" "$(sed -n 3p "$T/.out" | cut -f1)" "b"

# The bundled faces: factors found without --factors.
t_ok "learn smile on faces" "$LS" dir mean-diff -m faces --pos smile --neg frown -o "$T/f.st" --name smile
t_ok "score it against the bundled factors" "$LS" dir score -m faces "$T/f.st:smile"
cp "$T/.out" "$T/faces"
t_is "ten factors and a leak line" "$(grep -c . "$T/faces")" "13"
t_is "smile is the factor it moves" "$(sed -n 3p "$T/faces" | cut -f1)" "smile"
t_ok "with r > 0.8" awk -F'\t' 'NR == 3 { exit !($2 > 0.8) }' "$T/faces"

# The same in the command language: the truth beside the direction.
printf 'meandiff frown smile smile\nprint dirs\nscore\n' > "$T/s.ls"
t_ok "run: learn smile and score it" "$LS" run -m faces "$T/s.ls"
cp "$T/.out" "$T/run"
t_ok "print dirs names the factor it moves" grep -q 'truth smile r +0\.8' "$T/run"
t_is "score prints the same r as dir score" "$(awk '$1 == "smile" && NF == 2 { print $2 }' "$T/run")" \
	"$(awk -F'\t' 'NR == 3 { printf "%+.4f", $2 }' "$T/faces")"
printf 'bank %s\nfactors %s\ndir vec u 2,-1,0.1,0,0,0.3\nscore u\n' "$B" "$F" > "$T/f.ls"
M6=$FIX/dir-sefa.safetensors   # a decoder with d = 6, as the fixture bank
t_ok "run: factors FILE on a bank by path" "$LS" run -m "$M6" "$T/f.ls"
cp "$T/.out" "$T/run6"
t_ok "run: score against them (numpy: a 0.956246)" grep -q '^a  *+0\.9562' "$T/run6"
printf 'bank %s\nfactors %s\n' "$B" "$FIX/score-factors-nan.npy" > "$T/n.ls"
t_fails "run: NaN factors stop the script" 2 "n.ls:2: .*row 17 column 2" "$LS" run -m "$M6" "$T/n.ls"
printf 'dir axis 0\nscore\n' > "$T/z.ls"
t_fails "run: score without factors" 2 "no ground-truth factors" "$LS" run -m digits "$T/z.ls"

# bad DESC PATTERN ARGS...
bad() {
	d=$1 pat=$2; shift 2
	t_fails "$d" 2 "$pat" "$LS" "$@"
	t_is "$d: one line" "$(wc -l < "$T/.err" | tr -d ' ')" "1"
}
bad "wrong row count" "score-factors-short.npy: has 199 rows but the bank has 200" \
	dir score -b "$B" --factors "$FIX/score-factors-short.npy" axis:0
bad "NaN in the factors" "score-factors-nan.npy: row 17 column 2 is not a finite number" \
	dir score -b "$B" --factors "$FIX/score-factors-nan.npy" axis:0
bad "missing factors file" "$T/none.npy" dir score -b "$B" --factors "$T/none.npy" axis:0
bad "not a table" "score-factors-1d.npy: factors must have shape" \
	dir score -b "$B" --factors "$FIX/score-factors-1d.npy" axis:0
bad "names file of the wrong length" "score-badnames.txt: wants 3 names" \
	dir score -b "$B" --factors "$FIX/score-badnames.npy" axis:0
bad "a bank by path has no bundled factors" "needs --factors" dir score -b "$B" axis:0
bad "digits has no factors" "needs --factors" dir score -m digits axis:0
bad "no direction" "wants a direction" dir score -b "$B" --factors "$F"
bad "no such direction" "nope" dir score -b "$B" --factors "$F" "$D:nope"
t_done
