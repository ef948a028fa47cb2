#!/bin/sh
# cli-run.sh: `linscope run` replays explorer commands headless: the
# preview and the strip it writes equal what `linscope decode` and
# `linscope traverse` write for the same latents; a failing line stops the
# replay with its line number and exit 2.
. "$srcdir/tests/lib/lib.sh"
cd "$T" || exit 99

cat >slide.txt <<'S'
# build a direction from two rows, slide along it
row 12
dir rows 3 7 smile      # a comment after a command

step +coarse
step +coarse
step -fine
preview "my preview.png"
strip strip.png 5 --scale 2 --no-labels
S
t_ok "a script builds, slides and writes a strip" $LS run slide.txt
t_is "its output names the direction and the strip" \
	"$(grep -c -e 'added smile' -e 'wrote strip.png' -e 'smile: alpha 0.9 ' "$T/.out")" 3
t_ok "print z of the same script" sh -c "{ cat slide.txt; echo 'print z'; } | $LS run - >z.txt"
Z=$(tail -n 1 z.txt)
t_ok "decode -z of that latent" $LS decode -z "$Z" -o dec.png
t_ok "the preview equals linscope decode -z byte for byte" cmp "my preview.png" dec.png
t_ok "traverse along the same direction" \
	$LS traverse --row 12 --dir rows:3-7 --range -3:3 --steps 5 --sigma -o trav.png
t_ok "the strip equals linscope traverse --sigma byte for byte" cmp strip.png trav.png
t_is "no default preview written by run" "$(ls linscope-preview.png 2>/dev/null)" ""

printf 'row 1\ndir axis 0\nalpha nosuch 2\nsnapshot\n' >bad.txt
t_fails "a bad line: exit 2 with SCRIPT:LINE" 2 "^linscope: bad.txt:3: nosuch: no such direction" \
	$LS run bad.txt
t_is "lines after the failure are not run" "$(ls linscope-0001.png 2>/dev/null)" ""
t_fails "an unknown command" 2 "^linscope: stdin:2: frob: unknown command" \
	sh -c "printf 'row 1\nfrob\n' | $LS run -"
t_fails "an unterminated quote" 2 "stdin:1: unterminated" sh -c "echo 'echo \"x' | $LS run -"
t_fails "a missing script" 2 "^linscope: nosuch.txt: " $LS run nosuch.txt
t_fails "no script" 2 "run: takes one SCRIPT" $LS run

printf 'snapshot\nquit\nsnapshot\n' >snap.txt
t_ok "snapshot then quit" $LS run snap.txt
t_ok "a second run" $LS run snap.txt
t_is "snapshots are numbered and never replaced; quit stops" "$(ls linscope-*.png | tr '\n' ' ')" \
	"linscope-0001.png linscope-0002.png "
t_ok "echo and help" sh -c "printf 'echo hello  world\nhelp step\n' | $LS run - >h.txt"
t_is "echo output" "$(head -n 1 h.txt)" "hello world"
t_ok "help names the step command" grep -q '^step ' h.txt

t_ok "run with another model and its bank" \
	sh -c "printf 'print\n' | $LS run -m digits2d - >m.txt"
t_ok "d=2 from the bundled digits2d" grep -q 'd=2' m.txt
t_fails "a bank of the wrong width" 2 "latent dimension" \
	sh -c "echo 'print' | $LS run -m digits2d -b '$abs_top_srcdir/assets/digits.npy' -"
# A folder named like a bundled model hides neither the model nor its name
# in a saved state (it is not made an absolute path).
mkdir -p digits2d
sh -c "printf 'model digits2d\nprint state\n' | $LS run - >bundled.txt"
t_ok "a folder named digits2d does not hide the bundled model" grep -qx 'model digits2d' bundled.txt
t_done
