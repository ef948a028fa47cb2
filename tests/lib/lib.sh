# lib.sh: helpers for the shell tests (TAP). Source it, then call ok/not_ok.
#   t_ok "description" command...   runs the command, ok if it exits 0
#   t_is "description" got want     string equality
#   t_done                          prints the plan; exit status 1 on failure
# $T is a private temporary folder removed at exit. $LS is the binary.
set -u
: "${srcdir:=.}"
: "${LINSCOPE:=./linscope}"
LS=$LINSCOPE
FIX=$srcdir/tests/fixtures
T=$(mktemp -d "${TMPDIR:-/tmp}/linscope-sh-XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
_n=0
_fail=0
t_result() { # status description
	_n=$((_n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $_n - $2"; else echo "not ok $_n - $2"; _fail=$((_fail + 1)); fi
}
t_ok() { local d=$1; shift; "$@" >"$T/.out" 2>"$T/.err"; local s=$?; t_result $s "$d"; [ $s -eq 0 ] || sed 's/^/# /' "$T/.err" | head -5; return 0; }
t_is() { if [ "$2" = "$3" ]; then t_result 0 "$1"; else t_result 1 "$1"; echo "# got:  $2"; echo "# want: $3"; fi; }
# t_fails "desc" EXIT_CODE PATTERN command...: exits with EXIT_CODE and stderr matches PATTERN
t_fails() {
	local d=$1 code=$2 pat=$3; shift 3
	"$@" >"$T/.out" 2>"$T/.err"; local s=$?
	if [ $s -eq "$code" ] && grep -q -- "$pat" "$T/.err" && [ "$(wc -l <"$T/.err")" -ge 1 ]; then t_result 0 "$d"
	else t_result 1 "$d"; echo "# exit $s (want $code); stderr:"; sed 's/^/#   /' "$T/.err" | head -5; fi
}
t_done() { echo "1..$_n"; [ $_fail -eq 0 ]; exit $?; }

# A tiny safetensors MLP for tests (needs $PY).
# mk_model FILE PROGRAM IMAGE name=rows,cols:v1,v2,...  (weights, F32)
mk_model() {
	"$PY" - "$@" <<'PYEOF'
import json, struct, sys
path, prog, image = sys.argv[1:4]
tensors, data = {}, b""
for spec in sys.argv[4:]:
    name, rest = spec.split("=")
    shape, vals = rest.split(":")
    shape = [int(x) for x in shape.split(",")]
    vals = [float(x) for x in vals.split(",")]
    raw = struct.pack("<%df" % len(vals), *vals)
    tensors[name] = {"dtype": "F32", "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
    data += raw
tensors["__metadata__"] = {"linscope.decoder": prog, "linscope.image": image}
h = json.dumps(tensors).encode()
h += b" " * (-len(h) % 8)
open(path, "wb").write(struct.pack("<Q", len(h)) + h + data)
PYEOF
}
