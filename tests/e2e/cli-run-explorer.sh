#!/bin/sh
# cli-run-explorer.sh: explorer commands under `linscope run` (issue 15):
# the strip follows the selected direction; save is recorded, replays and
# is idempotent; strip refuses to run without a direction; options alone
# open the explorer; polarity FROM TO; m m d reaches its row; slide-ready
# strips; open resizes and inverts; zoomed, framed region maps.
. "$srcdir/tests/lib/lib.sh"
A=${abs_top_srcdir:-$(cd "$srcdir" && pwd)}/assets
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
for o in "-m digits2d" "-b $A/digits.npy" "--record x.txt" "--no-restore"; do
	t_fails "linscope $o opens the explorer" 2 "not a terminal" sh -c "$LS $o </dev/null"
done
t_fails "an unknown option is the explorer's error" 2 "invalid option" sh -c "$LS -Q </dev/null"
t_fails "a word is still a command" 2 "'frob' is not a command" $LS frob

# polarity: probe/meandiff/lda FROM TO point from FROM towards TO, named
# METHOD_FROM_to_TO; on the command line --from/--to, or --neg/--pos
printf 'probe 1 7\nmeandiff 1 7\nlda 1,4 7\nsave s.st\n' >pol.txt
t_ok "probe 1 7, meandiff 1 7, lda 1,4 7" sh -c "$LS run pol.txt >pol.out"
t_is "named FROM_to_TO" "$($LS dir list s.st | awk 'NR > 1 { printf "%s ", $1 }')" "probe_1_to_7 meandiff_1_to_7 lda_1+4_to_7 "
t_ok "project the probe on the bank" sh -c "$LS dir project s.st:probe_1_to_7 --pos 7 --neg 1 >auc.out"
t_is "the 7s lie ahead of the 1s (AUC of 7 vs 1 > 0.9)" \
	"$(awk '$1 == "auc" { print ($2 > 0.9) ? "yes" : "no" }' auc.out)" yes
t_ok "dir mean-diff --from 1 --to 7" $LS dir mean-diff --from 1 --to 7 -o c.st --name ft
t_ok "dir mean-diff --neg 1 --pos 7" $LS dir mean-diff --neg 1 --pos 7 -o c.st --name np
t_is "--from/--to = --neg/--pos" "$($LS dir export c.st:ft --txt)" "$($LS dir export c.st:np --txt)"
# cosine of two directions (the session keeps unit vectors)
cosine() {
	$LS dir export "$1" --txt >x1 && $LS dir export "$2" --txt >x2 &&
	paste x1 x2 | awk '{ ab += $1 * $2; aa += $1 * $1; bb += $2 * $2 } END { printf "%.6f", ab / sqrt(aa * bb) }'
}
t_is "= the script's meandiff 1 7 (cosine 1)" "$(cosine c.st:ft s.st:meandiff_1_to_7)" 1.000000
t_fails "--from and --neg together" 2 "give it once" $LS dir probe --from 1 --neg 2 --to 7 -o c.st
t_fails "an old name says the new order" 2 "probe_7_vs_1: no such direction (learned directions are now named" \
	sh -c "printf 'probe 7 1\nselect probe_7_vs_1\n' | $LS run -"

# m m d: the range of a direction from two rows reaches the second row,
# and at its target alpha the latent is that row
printf 'row 1500\nmark 1500\nmark 7300\ndiff\nprint dirs\n' >mmd.txt
t_ok "row, mark, mark, diff" sh -c "$LS run mmd.txt >mmd.out"
tgt=$(sed -n 's/.* target \([-0-9.e+]*\)$/\1/p' mmd.out)
hi=$(sed -n 's/.* range [-0-9.]*\.\.\([-0-9.]*\) .*/\1/p' mmd.out)
t_is "the range covers the target with half a sigma to spare" \
	"$(awk -v t="$tgt" -v h="$hi" 'BEGIN { print (t > 3 && h >= t + 0.5 && h < t + 1.01) ? "yes" : "no" }')" yes
t_ok "at alpha = target" sh -c "{ cat mmd.txt; echo 'alpha $tgt'; echo 'print z'; } | $LS run - | tail -n 1 | tr , '\n' >z1"
t_ok "row 7300" sh -c "printf 'row 7300\nprint z\n' | $LS run - | tail -n 1 | tr , '\n' >z2"
t_is "the latent is row 7300 (max |diff| < 2e-3)" \
	"$(paste z1 z2 | awk '{ d = $1 - $2; if (d < 0) d = -d; if (d > m) m = d } END { print (NR == 16 && m < 2e-3) ? "yes" : "no " m }')" yes

# save is idempotent; a changed direction of the same name needs --force
printf 'pca 2\nsave i.st\nsave i.st\nsave i.st pca1\n' >idem.txt
t_ok "save, save again: no error" $LS run idem.txt
printf 'pca 2\nsave i.st\n' >again.txt
t_ok "the same directions in a new session save again" $LS run again.txt
printf 'dir axis 3 pca1\nsave i.st\n' >chg.txt
t_fails "another vector of the same name is refused" 2 "i.st: already holds a different pca1 (save --force" $LS run chg.txt
t_ok "--force replaces it" sh -c "printf 'dir axis 3 pca1\nsave i.st --force\n' | $LS run -"
t_is "the file has the new pca1 (axis 3)" "$($LS dir export i.st:pca1 --txt | sed -n 4p)" 1

# a slide-ready strip: 6 times the size by default, alphas written under
png_wh() { od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%dx%d", $3 * 256 + $4, $7 * 256 + $8 }'; }
t_ok "strip with defaults" sh -c "printf 'row 3\ndir axis 0\nstrip big.png\nstrip small.png 3 --scale 2 --no-labels\n' | $LS run -"
t_is "9 images of 168 pixels, a band of 21 rows for the labels" "$(png_wh big.png)" "1532x193"
t_is "--scale 2 --no-labels" "$(png_wh small.png)" "176x60"
t_fails "--scale 0 is refused" 2 "strip: --scale wants 1..32" sh -c "printf 'dir axis 0\nstrip --scale 0\n' | $LS run -"
t_ok "snapshot --scale 8" sh -c "printf 'snapshot --scale 8\n' | $LS run -"
t_is "a 228-pixel snapshot" "$(png_wh linscope-0001.png)" "228x228"

# open: another size is resized (area averaging: a 2x replica gives the
# same latent), a light image gets a hint, --invert inverts
t_ok "a row as a 28x28 PNG" $LS decode -b "$A/digits.npy" --rows 5:6 --scale 1 --gutter 0 -o r1.png
t_ok "and as 56x56" $LS decode -b "$A/digits.npy" --rows 5:6 --scale 2 --gutter 0 -o r2.png
t_ok "open both" sh -c "printf 'open r1.png\nprint z\nopen r2.png\nprint z\n' | $LS run - >open.out"
t_ok "the second is resized, with a note" grep -q '^z0 = encoding of r2.png; resized from 56x56 to 28x28$' open.out
t_is "to the same latent" "$(sed -n 2p open.out)" "$(sed -n 4p open.out)"
if command -v python3 >/dev/null 2>&1; then
	# the same digit, white on black and black on white (a PNG from zlib)
	python3 - r1.png inv.png <<'PY'
import struct, sys, zlib
def chunks(b):
    i = 8
    while i < len(b):
        n, = struct.unpack(">I", b[i:i + 4]); yield b[i + 4:i + 8], b[i + 8:i + 8 + n]; i += 12 + n
raw = open(sys.argv[1], "rb").read()
c = dict((k, v) for k, v in chunks(raw) if k != b"IDAT")
data = zlib.decompress(b"".join(v for k, v in chunks(raw) if k == b"IDAT"))
w, h, depth, ctype = struct.unpack(">IIBB", c[b"IHDR"][:10])
assert (depth, ctype, w) == (8, 0, 28), (depth, ctype, w)
def paeth(a, b, c):
    p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c
prev, rows = [0] * w, []
for y in range(h):
    f, line, cur = data[y * (w + 1)], data[y * (w + 1) + 1:(y + 1) * (w + 1)], []
    for x in range(w):
        a, b, c0 = cur[x - 1] if x else 0, prev[x], prev[x - 1] if x else 0
        cur.append((line[x] + [0, a, b, (a + b) // 2, paeth(a, b, c0)][f]) & 255)
    rows.append(cur); prev = cur
out = b"".join(b"\0" + bytes(255 - v for v in r) for r in rows)
def chunk(k, v): return struct.pack(">I", len(v)) + k + v + struct.pack(">I", zlib.crc32(k + v) & 0xffffffff)
open(sys.argv[2], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", c[b"IHDR"]) + chunk(b"IDAT", zlib.compress(out)) + chunk(b"IEND", b""))
PY
	t_ok "open the black-on-white digit" sh -c "printf 'open inv.png\nopen --invert inv.png\nprint z\n' | $LS run - >inv.out"
	t_ok "a hint to invert" grep -q '^z0 = encoding of inv.png; mostly light: a dark drawing on white? try open --invert$' inv.out
	t_ok "--invert says so" grep -q '^z0 = encoding of inv.png (inverted)$' inv.out
	t_is "and gives the white-on-black digit's latent (within 1e-5)" "$(printf '%s\n%s\n' "$(sed -n 3p inv.out)" "$(sed -n 2p open.out)" |
		awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) a[i] = $i } NR == 2 { for (i = 1; i <= NF; i++) { d = a[i] - $i; if (d < 0) d = -d; if (d > m) m = d } print (NF == 16 && m < 1e-5) ? "yes" : "no " m }')" yes
fi

# regionmap on a sub-box (a zoom, in sigma), framed with axes and a legend
printf 'row 3\ndir axis 0 x0\ndir axis 1 x1\nselect x0\nregionmap z.png -0.5 0.5 -0.25 0.25\n' >zoom.txt
t_ok "regionmap FILE X0 X1 Y0 Y1" sh -c "$LS run zoom.txt >zoom.out"
set -- $(sed -n 's/^plane x0 \([^ ]*\) by x1 \([^ ]*\)$/\1 \2/p' zoom.out)
t_ok "linscope regionmap --json over that box" \
	sh -c "$LS regionmap -m digits -b '$A/digits.npy' --row 3 --dir axis:0 --dir axis:1 --range '$1' --range2 '$2' --json >zoom.json"
t_is "the same number of regions" "$(sed -n 's/^wrote z.png: \([0-9]*\) regions.*/\1/p' zoom.out)" \
	"$(sed -n 's/^{"regions": \([0-9]*\),.*/\1/p' zoom.json)"
t_is "512 pixels of map in a frame 128 pixels wider" "$(png_wh z.png | cut -dx -f1)" 640
t_fails "a box upside down" 2 "want X0 < X1 and Y0 < Y1" sh -c "printf 'dir axis 0\ndir axis 1\nregionmap 1 0 0 1\n' | $LS run -"

# the regionmap message is short: at most 6 significant digits
printf 'row 3\npca 2\nregionmap m.png\n' >map.txt
t_ok "regionmap" sh -c "$LS run map.txt >map.out"
t_ok "the plane in 6 digits" grep -Eq '^plane pca2 -?[0-9.]{1,7}:[0-9.]{1,7} by pca1 -?[0-9.]{1,7}:[0-9.]{1,7}$' map.out
t_done
