#!/bin/sh
# cli-regions-where.sh: `linscope where` on a hand-built 10x10 grid bank
# (known k-NN distances and percentiles; Mahalanobis, norm and the moved
# latent checked against brute force in python), the bundled model (drift),
# and bad input.
. "$srcdir/tests/lib/lib.sh"
PY=${PYTHON3:-python3}
command -v "$PY" >/dev/null 2>&1 || { echo "1..0 # SKIP no python3"; exit 0; }

# An affine decoder with d = 2 (no encoder) and the grid bank (i, j), i, j in 0..9.
"$PY" - "$T/aff.safetensors" "$T/grid.npy" <<'PYEOF'
import json, struct, sys
vals = [1, 2, 3, 4]
raw = struct.pack("<4f", *vals)
t = {"fc.weight": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},
     "__metadata__": {"linscope.decoder": "fc", "linscope.image": "2x1x1"}}
h = json.dumps(t).encode()
h += b" " * (-len(h) % 8)
open(sys.argv[1], "wb").write(struct.pack("<Q", len(h)) + h + raw)
rows = [float(v) for i in range(10) for j in range(10) for v in (i, j)]
hd = "{'descr': '<f4', 'fortran_order': False, 'shape': (100, 2), }".ljust(117) + "\n"
open(sys.argv[2], "wb").write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(hd)) + hd.encode() + struct.pack("<200f", *rows))
PYEOF
W="$LS where -m $T/aff.safetensors -b $T/grid.npy"

t_is "row (4, 4), k = 4: neighbours at 1, percentile 64 (the interior rows), row left out" \
	"$($W --row 44 --k 4 --json | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(abs(d["knn"]-1)<1e-12, d["knn_pct"] == 64, d["row"], d["k"], d["sample"], d["drift"])')" \
	"True True 44 4 100 None"
t_is "(4.5, 4.5): 4 neighbours at sqrt(1/2), percentile 0" \
	"$($W -z 4.5,4.5 --k 4 --json | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(abs(d["knn"]-0.5**0.5)<1e-12, d["knn_pct"] == 0, d["row"])')" \
	"True True None"

# Brute force in python: z = row 44 moved alpha * pstdev along axis 0.
check() {
	"$PY" -c '
import json, math, statistics, sys
d = json.load(sys.stdin)
g = [(i, j) for i in range(10) for j in range(10)]
s = statistics.pstdev([p[0] for p in g])
z = (4 + float(sys.argv[1]) * s, 4.0)
dist = lambda a, b: math.hypot(a[0] - b[0], a[1] - b[1])
knn = sum(sorted(dist(z, p) for p in g)[:5]) / 5
own = [sum(sorted(dist(q, p) for p in g if p != q)[:5]) / 5 for q in g]
mu = (4.5, 4.5)
var = sum((p[0] - 4.5) ** 2 for p in g) / 99
mah = math.sqrt(((z[0] - mu[0]) ** 2 + (z[1] - mu[1]) ** 2) / var)
mahs = [math.sqrt(((p[0] - 4.5) ** 2 + (p[1] - 4.5) ** 2) / var) for p in g]
nrm = math.hypot(*z)
e = {"step": float(sys.argv[1]) * s, "knn": knn, "knn_pct": 100 * sum(o <= knn + 1e-12 for o in own) / 100,
     "mahalanobis": mah, "mahalanobis_pct": 100 * sum(m <= mah for m in mahs) / 100,
     "norm": nrm, "norm_pct": 100 * sum(math.hypot(*p) <= nrm for p in g) / 100}
bad = [k for k in e if abs(d[k] - e[k]) > 1e-5 * max(1, abs(e[k]))]
print(bad or "ok")' "$1"
}
t_is "row 44 + 1.5 sigma along axis:0: k-NN, Mahalanobis, norm and percentiles = brute force" \
	"$($W --row 44 --dir axis:0 --alpha 1.5 --json | check 1.5)" "ok"
t_is "... and -0.3 sigma" "$($W --row 44 --dir axis:0 --alpha -0.3 --json | check -0.3)" "ok"
t_ok "text output names the gauges" sh -c "$W -z 1,1 | grep -q '^k-NN distance (k = 5)' && $W -z 1,1 | grep -q '^Mahalanobis distance'"
t_is "bundled model: round-trip drift, a sample of 2000 rows" \
	"$("$LS" where --row 3 --json | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(d["drift"] is not None and d["drift"] >= 0, d["sample"], 0 <= d["knn_pct"] <= 100, d["knn"] > 0)')" \
	"True 2000 True True"

t_fails "--k 0" 2 "k" $W --row 1 --k 0
t_fails "--k >= rows" 2 "k = 100" $W --row 1 --k 100
t_fails "--row out of range" 2 "row 100" $W --row 100
t_fails "-z with the wrong count" 2 "want 2" $W -z 1,2,3
t_fails "no latent" 2 "needs" $W
t_fails "--alpha without --dir" 2 "alpha" $W --row 1 --alpha 2
t_fails "two --dir" 2 "dir" $W --row 1 --dir axis:0 --dir axis:1
t_fails "a zero direction" 2 "" $W --row 1 --dir rows:3-3
t_done
