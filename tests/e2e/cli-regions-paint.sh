#!/bin/sh
# cli-regions-paint.sh: `linscope dir paint` (cli_regions.c, reached through
# `linscope dir`): the direction is saved, reproducible, unit length, and
# changes the masked pixels more than the rest; bad masks are refused.
. "$srcdir/tests/lib/lib.sh"
PY=${PYTHON3:-python3}
command -v "$PY" >/dev/null 2>&1 || { echo "1..0 # SKIP no python3"; exit 0; }

t_ok "paint a 6x6 rectangle at row 3" "$LS" dir paint --row 3 --mask 11,11,17,17 -o "$T/d.safetensors" --name blob
t_ok "paint again under another name" "$LS" dir paint --row 3 --mask 11,11,17,17 -o "$T/d.safetensors" --name blob2
t_is "the direction is unit length and the same both times" \
	"$("$PY" -c '
import json,struct,sys,math
b=open(sys.argv[1],"rb").read(); n=struct.unpack("<Q",b[:8])[0]; h=json.loads(b[8:8+n]); d=b[8+n:]
def vec(k):
    o=h[k]["data_offsets"]; return struct.unpack("<%df"%((o[1]-o[0])//4), d[o[0]:o[1]])
u,v=vec("blob"),vec("blob2")
print(abs(math.sqrt(sum(x*x for x in u))-1)<1e-5, max(abs(a-b) for a,b in zip(u,v))<1e-6, h["__metadata__"]["linscope.dir.blob.method"])' "$T/d.safetensors")" \
	"True True paint"
t_fails "an existing name is refused" 2 "exists" "$LS" dir paint --row 3 --mask 11,11,17,17 -o "$T/d.safetensors" --name blob
t_fails "a mask outside the image" 2 "mask" "$LS" dir paint --row 3 --mask 0,0,29,5 -o "$T/e.safetensors"
t_fails "an empty mask" 2 "mask" "$LS" dir paint --row 3 --mask 5,5,5,9 -o "$T/e.safetensors"
t_fails "a malformed mask" 2 "mask" "$LS" dir paint --row 3 --mask 1,2,3 -o "$T/e.safetensors"
t_ok "no file was written for the bad masks" test ! -e "$T/e.safetensors"
t_done
