#!/bin/sh
# cli-tropical.sh: `linscope tropical`, `regions --all` and `regionmap --all`
# on hand-built models with known answers (the triangle wave; three lines
# in general position in the plane: 7 regions, 6 unbounded), the JSON
# contracts, the two routes to the tropical form agreeing, the bundled 2-D
# model's first layer (128 lines in general position: 1 + 128 + 128*127/2
# regions, 256 unbounded), and bad input.
. "$srcdir/tests/lib/lib.sh"
PY=${PYTHON3:-python3}
command -v "$PY" >/dev/null 2>&1 || { echo "1..0 # SKIP no python3"; exit 0; }
"$PY" -c 'import json' 2>/dev/null || { echo "1..0 # SKIP python3 cannot run"; exit 0; }

jq_py() { # EXPR FILE: prints the Python expression over d = the JSON
	"$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$2"
}

mk_model "$T/tri.safetensors" "fc1 relu fc2" 1x1x1 fc1.weight=3,1:1,1,1 fc1.bias=3:1,0,-1 fc2.weight=1,3:1,-2,1
t_ok "regions --all on the triangle wave" sh -c "'$LS' regions --all -m '$T/tri.safetensors' --json --list >'$T/tri.json'"
t_is "triangle: 4 regions, 4 linear, 2 unbounded, 4 listed" \
	"$(jq_py 'd["regions"], d["linear_regions"], d["unbounded"], len(d["list"])' "$T/tri.json")" "4 4 2 4"
t_ok "tropical on the triangle wave" sh -c "'$LS' tropical -m '$T/tri.safetensors' --output 0 --json >'$T/trt.json'"
t_is "triangle: F = max(2x, x+1, 0), G = max(2x, 0)" \
	"$(jq_py 'sorted(d["f"]["terms"]), sorted(d["g"]["terms"]), d["f"]["candidates"]' "$T/trt.json")" \
	"[[0, 0], [1, 1], [2, 0]] [[0, 0], [2, 0]] 4"
t_ok "text output names F, G and the time" sh -c "'$LS' tropical -m '$T/tri.safetensors' --output 0 | grep -q '^F: 3 monomials' && '$LS' tropical -m '$T/tri.safetensors' --output 0 | grep -q '^time: '"

# Three lines in general position (x = 0.5, y = 0.25, x + y = -1), sigmoid tail.
mk_model "$T/p.safetensors" "fc1 relu fc2 sigmoid" 1x1x1 fc1.weight=3,2:1,0,0,1,1,1 \
	fc1.bias=3:-0.5,-0.25,1 fc2.weight=1,3:1,-2,0.5
t_ok "regions --all on three lines" sh -c "'$LS' regions --all -m '$T/p.safetensors' --json >'$T/p.json'"
t_is "three lines: 7 regions, 6 unbounded, 1 bounded, bound 7" \
	"$(jq_py 'd["regions"], d["unbounded"], d["bounded"], d["bound"], d["d"]' "$T/p.json")" "7 6 1 7 2"
t_ok "regions --all in a box" sh -c "'$LS' regions --all -m '$T/p.safetensors' --box 0,1,0,1 --json >'$T/pb.json'"
t_is "the box [0,1]^2 meets 4 regions (cut by x = 0.5 and y = 0.25)" "$(jq_py 'd["regions"]' "$T/pb.json")" "4"
t_ok "regionmap --all draws them" sh -c "'$LS' regionmap --all -m '$T/p.safetensors' -o '$T/p.png' && '$LS' regionmap --all -m '$T/p.safetensors' --json >'$T/pm.json'"
t_is "regionmap --all: all 7 regions in its box, a PNG" \
	"$(jq_py 'd["regions"], d["regions_in_box"]' "$T/pm.json") $(head -c 4 "$T/p.png" | tail -c 3)" "7 7 PNG"
t_is "tropical: compose and regions give the same monomial counts" \
	"$("$LS" tropical -m "$T/p.safetensors" --output 0 | sed -n 's/^\([FG]: [0-9]*\) monomials.*/\1/p' | tr '\n' ' ')" \
	"$("$LS" tropical -m "$T/p.safetensors" --output 0 --method regions | sed -n 's/^\([FG]: [0-9]*\) monomials.*/\1/p' | tr '\n' ' ')"

# The bundled 2-D model's first hidden layer: 128 lines in general position.
t_ok "regions --all on digits2d's first layer" sh -c "'$LS' regions --all -m digits2d --layers 1 --json >'$T/d.json'"
t_is "digits2d --layers 1: 8257 regions = the bound, 256 unbounded" \
	"$(jq_py 'd["regions"], d["bound"], d["unbounded"]' "$T/d.json")" "8257 8257 256"

# Bad input.
t_fails "past --max-regions: exit 2" 2 "more than 3 regions" "$LS" regions --all -m "$T/p.safetensors" --max-regions 3
mk_model "$T/smooth.safetensors" "fc1 tanh fc2" 1x1x1 fc1.weight=3,1:1,1,1 fc1.bias=3:1,0,-1 fc2.weight=1,3:1,-2,1
t_fails "tropical: a smooth hidden activation is refused" 2 "not piecewise linear" "$LS" tropical -m "$T/smooth.safetensors" --output 0
t_fails "regions --all: the same" 2 "tropical form needs an MLP" "$LS" regions --all -m "$T/smooth.safetensors"
t_fails "tropical needs --output" 2 "needs --output" "$LS" tropical -m "$T/tri.safetensors"
t_fails "tropical: output out of range" 2 "out of range" "$LS" tropical -m "$T/tri.safetensors" --output 1
t_fails "tropical: past --max-monomials" 2 "candidate monomials" "$LS" tropical -m digits2d --layers 1 --output 0 --max-monomials 50
t_fails "regions --all: --box of the wrong size" 2 "want 4 numbers" "$LS" regions --all -m "$T/p.safetensors" --box 0,1
t_fails "regionmap --all needs d = 2" 2 "2-D latent" "$LS" regionmap --all -m "$T/tri.safetensors" --json
t_fails "--layers beyond the net" 2 "fewer than 3 hidden layers" "$LS" tropical -m "$T/tri.safetensors" --output 0 --layers 3
# --png on the three lines: F = relu(x - 0.5) + 0.5 relu(x + y + 1) has 4
# maximising monomials in [-2, 2]^2 (both of its lines cross the box),
# G = 2 relu(y - 0.25) has 2 (pixel-level checks: test-tropical's hand map).
t_ok "tropical --png on three lines" sh -c "'$LS' tropical -m '$T/p.safetensors' --output 0 --png '$T/tp.png' --box -2,2,-2,2 >'$T/tp.txt'"
t_is "tropical --png: 4 monomials of F and 2 of G met, a PNG" \
	"$(sed -n 's/.*: \([0-9]*\) monomials of F and \([0-9]*\) of G met/\1 \2/p' "$T/tp.txt") $(head -c 4 "$T/tp.png" | tail -c 3)" "4 2 PNG"
t_fails "tropical --png needs d = 2" 2 "2-D latent" "$LS" tropical -m "$T/tri.safetensors" --output 0 --png "$T/x.png"
t_fails "tropical --png: a box of 4 numbers" 2 "want 4 numbers" "$LS" tropical -m "$T/p.safetensors" --output 0 --png "$T/x.png" --box 0,1
t_done
