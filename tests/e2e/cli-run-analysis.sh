#!/bin/sh
# cli-run-analysis.sh: the explorer's analysis commands (linearity, where,
# hist, cos, paint, regionmap, units) run headless by `linscope run`, each
# against what the batch commands (`linscope linearity`, `dir paint`,
# `regionmap --json`) or a count made here say for the same latent.
. "$srcdir/tests/lib/lib.sh"
cd "$T" || exit 99
B=$abs_top_srcdir/assets/digits.npy
L=$abs_top_srcdir/assets/digits-labels.txt

# linearity and where at bank row 5, u = rows:3-7 (selected), v = axis:3
cat >lin.txt <<'S'
row 5
dir rows 3 7 r
dir axis 3 a
select r
linearity
where
S
t_ok "run: linearity and where" sh -c "$LS run lin.txt >run.out"
t_ok "linscope linearity for the same latent and directions" \
	sh -c "$LS linearity -m digits -b '$B' --row 5 --dir rows:3-7 --dir axis:3 >cli.out"
for k in homogeneity additivity first_order; do
	case $k in first_order) c="first-order share";; *) c="$k error";; esac
	got=$(sed -n "s/.* $k \([^ ]*\).*/\1/p" run.out)
	want=$(sed -n "s/^$c: \(.*\)/\1/p" cli.out)
	t_is "$k equals linscope linearity's ($want)" "$got" "$want"
done
got=$(sed -n 's/^mahalanobis \([^ ]*\) pct \([^ ]*\)$/\1 \2/p' run.out)
want=$(sed -n 's/^Mahalanobis distance: \([^ ]*\) (percentile \([^ ]*\) of the bank)$/\1 \2/p' cli.out)
t_is "Mahalanobis distance and percentile equal linscope linearity's" "$got" "$want"
got=$(sed -n 's/^norm \([^ ]*\) pct \([^ ]*\)$/\1 \2/p' run.out)
want=$(sed -n 's/^norm: \([^ ]*\) (percentile \([^ ]*\) of the bank)$/\1 \2/p' cli.out)
t_is "norm and its percentile too" "$got" "$want"
t_is "round-trip drift too" "$(sed -n 's/^drift //p' run.out)" \
	"$(sed -n 's/^round-trip drift: //p' cli.out)"
t_ok "where names the on-data interval of the selected direction" \
	grep -q '^r: on the data for alpha in \[-[0-9.e+-]*, [0-9.e+-]*\]$' run.out

# where's k-NN gauge at a bank row leaves the row out, as linscope where
printf 'row 5\nwhere\ndir axis 2 x\nalpha 1\nwhere\n' >knn.txt
t_ok "run: where at row 5, then 1 sigma along axis 2" sh -c "$LS run knn.txt >knn.out"
t_ok "linscope where --row 5" sh -c "$LS where -m digits -b '$B' --row 5 >w1.out"
t_ok "linscope where --row 5 --dir axis:2 --alpha 1" sh -c "$LS where -m digits -b '$B' --row 5 --dir axis:2 --alpha 1 >w2.out"
want=$(sed -n 's/^k-NN distance (k = 5): \([^ ]*\) (percentile \([^ ]*\) .*/\1 \2/p' w1.out)
t_is "k-NN distance and percentile at the row equal linscope where's ($want)" \
	"$(sed -n 's/^knn \([^ ]*\) pct \([^ ]*\) (k = 5)$/\1 \2/p' knn.out | head -n 1)" "$want"
want=$(sed -n 's/^k-NN distance (k = 5): \([^ ]*\) (percentile \([^ ]*\) .*/\1 \2/p' w2.out)
t_is "and after sliding ($want)" \
	"$(sed -n 's/^knn \([^ ]*\) pct \([^ ]*\) (k = 5)$/\1 \2/p' knn.out | tail -n 1)" "$want"

# hist: per-label counts against the labels file
printf 'dir rows 3 7 r\nhist r 9\n' >hist.txt
t_ok "run: hist" sh -c "$LS run hist.txt >hist.out"
t_is "nine bins per label" "$(awk 'NR > 2 { print NF }' hist.out | sort -u)" 11
t_is "the counts sum to the bank size" "$(awk 'NR > 2 { for (i = 2; i <= 10; i++) s += $i } END { print s }' hist.out)" 10000
t_is "each label's total is its number of rows" \
	"$(awk 'NR > 2 { gsub(/[()]/, "", $11); print $1, $11 }' hist.out)" \
	"$(sort "$L" | uniq -c | awk '{ print $2, $1 }')"

# cos: the warning names two near-parallel active directions
printf 'dir axis 2 x2\ndir vec w 0,0,1,0.3,0,0,0,0,0,0,0,0,0,0,0,0\ndir axis 9 x9\ncos\n' >cos.txt
t_ok "run: cos" sh -c "$LS run cos.txt >cos.out"
t_ok "cos(x2, w) = 1/sqrt(1.09) = 0.958" grep -q '^x2  *+1.000 +0.958 +0.000$' cos.out
t_ok "the warning names x2 and w" grep -q '^warning: 1 pair nearly parallel; most: x2 and w ' cos.out

# paint: the same unit vector as `linscope dir paint` for the row and mask
printf 'row 12\npaint 5 6 14 16\nsave p.safetensors paint\n' >paint.txt
t_ok "run: paint, save" $LS run paint.txt
t_ok "linscope dir paint, same row and mask" \
	$LS dir paint -m digits -b "$B" --row 12 --mask 5,6,14,16 -o q.safetensors
t_ok "export both" sh -c "$LS dir export p.safetensors:paint --npy p.npy && $LS dir export q.safetensors:paint --npy q.npy"
t_ok "the painted direction equals dir paint's, byte for byte" cmp p.npy q.npy

# regionmap: the count of `linscope regionmap --json` over the same plane
cat >map.txt <<'S'
row 3
dir axis 0 x0
dir axis 1 x1
range x0 -1 1
range x1 -1.5 1.5
select x0
regionmap map.png
S
t_ok "run: regionmap" sh -c "$LS run map.txt >map.out"
set -- $(sed -n 's/^plane x0 \([^ ]*\) by x1 \([^ ]*\)$/\1 \2/p' map.out)
t_ok "linscope regionmap --json for that plane" \
	sh -c "$LS regionmap -m digits -b '$B' --row 3 --dir axis:0 --dir axis:1 --range '$1' --range2 '$2' --json >map.json"
t_is "the same number of regions" "$(sed -n 's/^wrote map.png: \([0-9]*\) regions.*/\1/p' map.out)" \
	"$(sed -n 's/^{"regions": \([0-9]*\),.*/\1/p' map.json)"
t_is "the PNG is 512 pixels of map in a frame 128 pixels wider" "$(od -An -tu1 -j16 -N4 map.png | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')" 640
printf 'dir axis 0\nregionmap\n' >one.txt
t_fails "regionmap with one direction" 2 "needs two directions" $LS run one.txt

# units: recorded, and alpha stays in sigma units
printf 'dir axis 4 x\nunits raw\nalpha 2\nunits pct\nunits\n' >units.txt
t_ok "run: units" sh -c "$LS run units.txt >units.out"
t_is "units raw, then pct" "$(grep '^units' units.out | tr '\n' ' ')" "units raw units percentile units percentile "
t_ok "alpha keeps sigma units" grep -q '^x: alpha 2 (raw ' units.out
t_done
