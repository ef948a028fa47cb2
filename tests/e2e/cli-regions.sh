#!/bin/sh
# cli-regions.sh: `linscope regions`, `regionmap`, `linearity`, `info`:
# hand-built models with known answers, the JSON contracts, the partition
# invariants of the bundled 2-D model's map, and bad input.
. "$srcdir/tests/lib/lib.sh"
PY=${PYTHON3:-python3}
command -v "$PY" >/dev/null 2>&1 || { echo "1..0 # SKIP no python3"; exit 0; }


# The triangle wave relu(x+1) - 2 relu(x) + relu(x-1).
mk_model "$T/tri.safetensors" "fc1 relu fc2" 1x1x1 fc1.weight=3,1:1,1,1 fc1.bias=3:1,0,-1 fc2.weight=1,3:1,-2,1
t_ok "regions on the triangle wave" sh -c "'$LS' regions -m '$T/tri.safetensors' -z 0 --dir axis:0 --range -3:3 --json >'$T/tri.json'"
t_is "triangle: pieces 4, breakpoints -1 0 1, linear_pieces 4" \
	"$("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["pieces"], d["breakpoints"] == [-1, 0, 1], d["linear_pieces"])' "$T/tri.json")" \
	"4 True 4"
t_ok "text output names pieces and linear_pieces" sh -c "'$LS' regions -m '$T/tri.safetensors' -z 0.5 --dir axis:0 --range -1:0 | grep -q '^pieces: 2' && '$LS' regions -m '$T/tri.safetensors' -z 0.5 --dir axis:0 --range -1:0 | grep -q '^linear_pieces: 2'"

# A unit with zero output weight: 5 pieces, 4 linear pieces.
mk_model "$T/dead.safetensors" "fc1 relu fc2" 1x1x1 fc1.weight=4,1:1,1,1,1 fc1.bias=4:1,0,-1,-2 fc2.weight=1,4:1,-2,1,0
t_is "a flip that reaches no output: pieces 5, linear_pieces 4" \
	"$("$LS" regions -m "$T/dead.safetensors" -z 0 --dir axis:0 --range -3:3 --json | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(d["pieces"], d["linear_pieces"])')" "5 4"

# Sigmoid after the last affine layer: counted, and said so.
mk_model "$T/tail.safetensors" "fc1 relu fc2 sigmoid" 1x1x1 fc1.weight=3,1:1,1,1 fc1.bias=3:1,0,-1 fc2.weight=1,3:1,-2,1
t_ok "sigmoid tail: piecewise linear up to the final smooth activation" sh -c "'$LS' regions -m '$T/tail.safetensors' -z 0 --dir axis:0 --range -3:3 | grep -q 'up to the final smooth activation'"
mk_model "$T/smooth.safetensors" "fc1 tanh fc2" 1x1x1 fc1.weight=3,1:1,1,1 fc1.bias=3:1,0,-1 fc2.weight=1,3:1,-2,1
t_fails "a smooth hidden activation is refused" 2 "not piecewise linear" \
	"$LS" regions -m "$T/smooth.safetensors" -z 0 --dir axis:0 --range -3:3 --json
t_is "... with no output" "$(wc -c <"$T/.out" | tr -d ' ')" "0"

# The bundled model: the JSON contract.
t_ok "regions on the bundled model" sh -c "'$LS' regions --row 7 --dir rows:7-8 --range -2:3 --json >'$T/b.json'"
t_is "bundled: pieces = 1 + breakpoints, sorted, inside (A, B), linear <= pieces" \
	"$("$PY" -c '
import json,sys
d=json.load(open(sys.argv[1])); b=d["breakpoints"]
print(d["pieces"]==len(b)+1 and b==sorted(b) and all(-2<t<3 for t in b) and 1<=d["linear_pieces"]<=d["pieces"] and d["pieces"]>10)' "$T/b.json")" "True"

# regionmap on digits2d: the whole latent space in the box.
t_ok "regionmap on digits2d" sh -c "'$LS' regionmap -m digits2d -z 0,0 --dir axis:0 --dir axis:1 --range -2:2 --range2 -1:1.5 -o '$T/m.png' --json >'$T/m.json'"
t_is "map: regions = polygons, areas sum to the box, linear <= regions <= bound" \
	"$("$PY" -c '
import json,sys
d=json.load(open(sys.argv[1])); P=d["polygons"]
def area(p): return 0.5*sum(p[i][0]*p[(i+1)%len(p)][1]-p[(i+1)%len(p)][0]*p[i][1] for i in range(len(p)))
a=sum(area(p) for p in P)
print(d["regions"]==len(P) and abs(a-4*2.5)<1e-9 and min(area(p) for p in P)>-1e-15 and d["linear_regions"]<=d["regions"]<=d["bound"])' "$T/m.json")" "True"
t_ok "the map PNG is written" test -s "$T/m.png"
# The line t = 0.25 in the plane: polygons crossed = 1D pieces along axis:0.
"$LS" regions -m digits2d -z 0,0.25 --dir axis:0 --range -2:2 --json >"$T/l.json"
t_is "1D pieces on a line of the plane = polygons it crosses" \
	"$("$PY" -c '
import json,sys
d=json.load(open(sys.argv[1])); l=json.load(open(sys.argv[2])); n=0
for p in d["polygons"]:
    xs=[]
    for i in range(len(p)):
        a,b=p[i],p[(i+1)%len(p)]
        if (a[1]-0.25)*(b[1]-0.25)<=0 and a[1]!=b[1]: xs.append(a[0]+(0.25-a[1])/(b[1]-a[1])*(b[0]-a[0]))
    n += len(xs)>0 and max(xs)-min(xs)>1e-9
print(n==l["pieces"])' "$T/m.json" "$T/l.json")" "True"

# linearity: an affine decoder gives 0, 0, 1.
mk_model "$T/aff.safetensors" "fc" 2x1x1 fc.weight=2,2:1,2,3,4 fc.bias=2:0.5,-0.5
"$PY" -c 'import struct; open("'"$T"'/bank.npy","wb").write(b"\x93NUMPY\x01\x00"+(lambda h: struct.pack("<H",len(h))+h)(("{\x27descr\x27: \x27<f4\x27, \x27fortran_order\x27: False, \x27shape\x27: (4, 2), }".ljust(117)+"\n").encode())+struct.pack("<8f",0,0,1,0,0,1,2,3))'
t_is "linearity of an affine decoder: homogeneity 0, additivity 0, share 1" \
	"$("$LS" linearity -m "$T/aff.safetensors" -b "$T/bank.npy" --row 1 --dir axis:0 --dir axis:1 --alpha 2 --json | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(abs(d["homogeneity"])<1e-12, abs(d["additivity"])<1e-12, abs(d["first_order"]-1)<1e-12)')" \
	"True True True"
t_is "linearity over all rows (the default) of an affine decoder: means 0, 0, 1" \
	"$("$LS" linearity -m "$T/aff.safetensors" -b "$T/bank.npy" --dir axis:0 --dir axis:1 --json | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(d["rows"], [abs(d[k][s] - e) < 1e-12 for k, e in (("homogeneity", 0), ("additivity", 0), ("first_order", 1)) for s in ("mean", "median", "p90")].count(True), d["first_order"]["n"])')" \
	"[0, 4] 9 4"

# linearity summaries of relu(z) over bank rows 1:-1 (Python-style) and all
# rows, against the definitions and statistics.quantiles (inclusive = linear).
mk_model "$T/relu.safetensors" "fc relu" 1x1x1 fc.weight=1,1:1 fc.bias=1:0
"$PY" -c 'import struct; v=[-1,0.5,-3,-0.25,1,-0.6,0.2]; open("'"$T"'/b1.npy","wb").write(b"\x93NUMPY\x01\x00"+(lambda h: struct.pack("<H",len(h))+h)(("{\x27descr\x27: \x27<f4\x27, \x27fortran_order\x27: False, \x27shape\x27: (7, 1), }".ljust(117)+"\n").encode())+struct.pack("<7f",*v))'
lin_check() {
	"$PY" -c '
import json, math, statistics, struct, sys
d = json.load(sys.stdin)
v = [-1, 0.5, -3, -0.25, 1, -0.6, 0.2][d["rows"][0]:d["rows"][1]]
h = d["step_u"]
g = lambda x: max(x, 0.0)
hom, fo = [], []
for z in (struct.unpack("<f", struct.pack("<f", x))[0] for x in v):
    D = g(z + h) - g(z)
    if D == 0:
        continue
    hom.append(abs(g(z + 2 * h) - g(z) - 2 * D) / abs(2 * D))
    L = h if z > 0 else 0.0
    fo.append(min(1, max(0, 1 - (D - L) ** 2 / D ** 2)))
ok = True
for k, xs in (("homogeneity", hom), ("first_order", fo)):
    q = statistics.quantiles(xs, n=10, method="inclusive")[8]
    e = (statistics.fmean(xs), statistics.median(xs), q)
    ok &= d[k]["n"] == len(xs) and all(abs(d[k][s] - x) < 1e-12 for s, x in zip(("mean", "median", "p90"), e))
print(ok, d["rows"], "additivity" in d)'
}
t_is "relu over rows 1:-1: mean, median, p90 = the definitions" \
	"$("$LS" linearity -m "$T/relu.safetensors" -b "$T/b1.npy" --dir axis:0 --alpha 0.7 --rows 1:-1 --json | lin_check)" \
	"True [1, 6] False"
t_is "relu over all rows (default)" \
	"$("$LS" linearity -m "$T/relu.safetensors" -b "$T/b1.npy" --dir axis:0 --alpha 1.3 --json | lin_check)" \
	"True [0, 7] False"
t_fails "linearity --rows out of range" 2 "rows" "$LS" linearity -m "$T/relu.safetensors" -b "$T/b1.npy" --dir axis:0 --rows 3:99
t_fails "linearity --rows empty" 2 "rows" "$LS" linearity -m "$T/relu.safetensors" -b "$T/b1.npy" --dir axis:0 --rows 4:4
t_ok "linearity summary over bank rows" sh -c "'$LS' linearity --rows 0:50 --dir axis:2 | grep -q '^homogeneity.*median'"
t_ok "info prints the region bounds" sh -c "'$LS' info digits | grep -q 'a plane (d = 2'"

# Bad input: exit 2, one line, no output file.
t_fails "--range B < A" 2 "range" "$LS" regions --row 0 --dir axis:0 --range 3:1
t_fails "-z with the wrong count" 2 "want 16" "$LS" regions -z 1,2 --dir axis:0 --range 0:1
t_fails "a zero direction" 2 "" "$LS" regions --row 0 --dir rows:3-3 --range 0:1
t_fails "an axis out of range" 2 "" "$LS" regions --row 0 --dir axis:99 --range 0:1
t_fails "regionmap with one --dir" 2 "dir" "$LS" regionmap --row 0 --dir axis:0 --range 0:1 -o "$T/x.png"
t_fails "regionmap into a missing folder" 2 "" "$LS" regionmap -m digits2d -z 0,0 --dir axis:0 --dir axis:1 --range -1:1 -o "$T/no/such/x.png"
t_ok "... leaves no file" test ! -e "$T/no/such/x.png"
t_fails "linearity with --alpha 0" 2 "alpha" "$LS" linearity --row 0 --dir axis:0 --alpha 0
t_done
