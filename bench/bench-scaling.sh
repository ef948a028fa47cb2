#!/bin/sh
# bench-scaling.sh: the costs that used to be quadratic, as ratios measured
# in the same run (CPU time of the large case over the small one; 4x the
# input gives ~4 for a linear cost, ~16 for a quadratic one):
#   labels: `dir pca` on 40,000 and 160,000 distinct labels;
#   directions files: `dir list` of 20,000 and 80,000 directions;
#   --record: a 100,000-line script with --record over the same without.
set -u
: "${abs_top_builddir:=.}"
: "${PYTHON3:=python3}"
LS=$abs_top_builddir/linscope
T=$(mktemp -d "${TMPDIR:-/tmp}/bench-scaling-XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
cpu() { /usr/bin/time -f %U+%S -o "$T/t" "$@" >/dev/null 2>&1; awk -F+ '{ print $1 + $2 }' "$T/t"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / (a > 0.005 ? a : 0.005) }'; }
"$PYTHON3" - "$T" <<'PY' || exit 1
import json, struct, sys, numpy as np
o = sys.argv[1]
for n in (40000, 160000):
    np.save("%s/b%d.npy" % (o, n), np.random.default_rng(1).standard_normal((n, 5)).astype("<f4"))
    open("%s/l%d.txt" % (o, n), "w").write("".join("L%d\n" % i for i in range(n)))
for n in (20000, 80000):
    h, meta, off = {}, {"linscope.format": "directions"}, 0
    for i in range(n):
        h["d%d" % i] = {"dtype": "F32", "shape": [4], "data_offsets": [off, off + 16]}; off += 16
        meta["linscope.dir.d%d.method" % i] = "axis"
    h["__metadata__"] = meta
    hb = json.dumps(h).encode(); hb += b" " * (-len(hb) % 8)
    open("%s/d%d.st" % (o, n), "wb").write(struct.pack("<Q", len(hb)) + hb + np.tile(np.eye(4, dtype="<f4")[0], n).tobytes())
PY
a=$(cpu "$LS" dir pca -b "$T/b40000.npy" -l "$T/l40000.txt" --subset L1 -k 1 -o "$T/p1.st")
b=$(cpu "$LS" dir pca -b "$T/b160000.npy" -l "$T/l160000.txt" --subset L1 -k 1 -o "$T/p2.st")
echo "labels 40k -> 160k distinct: $a s -> $b s CPU, ratio $(ratio "$a" "$b") (linear ~4)"
a=$(cpu "$LS" dir list "$T/d20000.st")
b=$(cpu "$LS" dir list "$T/d80000.st")
echo "dir list 20k -> 80k directions: $a s -> $b s CPU, ratio $(ratio "$a" "$b") (linear ~4)"
{ echo 'dir axis 3'; i=0; while [ $i -lt 100000 ]; do echo "row $((i % 10))"; i=$((i + 1)); done; } >"$T/s.txt"
a=$(cpu "$LS" run "$T/s.txt")
b=$(cpu "$LS" run --record "$T/r.txt" "$T/s.txt")
echo "run of 100,000 lines, --record over plain: $a s -> $b s CPU, ratio $(ratio "$a" "$b")"
