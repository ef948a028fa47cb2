#!/bin/sh
# cli-run-record.sh: `--record FILE` writes the commands run as a script
# that `linscope run` replays to the same state and the same preview.
. "$srcdir/tests/lib/lib.sh"
cd "$T" || exit 99

cat >a.txt <<'S'
row 40
dir rows 40 41 one
mark 5
mark 9
diff two
step +coarse
alpha one -1.25
undo
redo
dir axis 3
range -2 4
step 0.7
deactivate one
toggle one
bookmark here
rm axis_3
undo
print z
S
t_ok "run with --record" $LS run --record rec.txt a.txt
t_ok "the record is a script" grep -q '^dir rows 40 41 one$' rec.txt
t_is "print is not recorded" "$(grep -c '^print' rec.txt)" 0
t_ok "the original ends in a known state" \
	sh -c "{ cat a.txt; echo 'preview p1.png'; echo 'savestate s1.txt'; } | $LS run - >o1.txt"
t_ok "the record replays" \
	sh -c "{ cat rec.txt; echo 'preview p2.png'; echo 'savestate s2.txt'; } | $LS run - >o2.txt"
t_ok "same state (directions, alphas, z0, marks, bookmarks)" \
	sh -c "grep -v '^preview' s1.txt >x1; grep -v '^preview' s2.txt >x2; cmp x1 x2"
t_ok "same preview PNG" cmp p1.png p2.png
t_ok "savestate loads back" sh -c "{ cat s1.txt; echo 'print z'; } | $LS run - >o3.txt"
t_is "same latent after loading the state" "$(tail -n 1 o3.txt)" "$(grep -A0 '^[-0-9]' o1.txt | tail -n 1)"
t_done
