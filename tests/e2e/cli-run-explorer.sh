#!/bin/sh
# cli-run-explorer.sh: explorer commands under `linscope run` (issue 15):
# the strip follows the selected direction; save is recorded and replays;
# strip refuses to run without a direction.
. "$srcdir/tests/lib/lib.sh"
cd "$T" || exit 99

# the strip is the selected direction's, whatever was drawn before
printf 'row 1004\nprobe 1 7\npca 3\nstrip a.png 7\nselect 0\nstrip b.png 7\n' >sel.txt
t_ok "strip, select another direction, strip" $LS run sel.txt
printf 'row 1004\nprobe 1 7\nstrip c.png 7\n' >one.txt
t_ok "the probe's strip alone" $LS run one.txt
t_ok "after select, the strip is the probe's" cmp b.png c.png
t_ok "and not pca3's" sh -c '! cmp -s a.png b.png'

# save is recorded: the replay writes the directions file
printf 'pca 2\nsave d.st\n' >save.txt
t_ok "run with --record and save" $LS run --record rec.txt save.txt
t_ok "the record has the save" grep -q '^save d.st$' rec.txt
mv d.st first.st
t_ok "the record replays" $LS run rec.txt
t_ok "the replay wrote the directions file" test -s d.st
t_is "the same directions" "$($LS dir export d.st:pca2 --txt)" "$($LS dir export first.st:pca2 --txt)"

# strip without a direction is refused, as regionmap is
t_fails "strip with no direction" 2 "strip: needs a direction" sh -c "echo strip | $LS run -"
t_is "and writes nothing" "$(ls linscope-strip-*.png 2>/dev/null)" ""
# options without a command are the explorer's (it wants a terminal)
for o in "-m digits2d" "-b $srcdir/assets/digits.npy" "--record x.txt" "--no-restore"; do
	t_fails "linscope $o opens the explorer" 2 "not a terminal" sh -c "$LS $o </dev/null"
done
t_fails "an unknown option is the explorer's error" 2 "invalid option" sh -c "$LS -Q </dev/null"
t_fails "a word is still a command" 2 "'frob' is not a command" $LS frob

# the regionmap message is short: at most 6 significant digits
printf 'row 3\npca 2\nregionmap m.png\n' >map.txt
t_ok "regionmap" sh -c "$LS run map.txt >map.out"
t_ok "the plane in 6 digits" grep -Eq '^plane pca2 -?[0-9.]{1,7}:[0-9.]{1,7} by pca1 -?[0-9.]{1,7}:[0-9.]{1,7}$' map.out
t_done
