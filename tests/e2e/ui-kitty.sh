#!/bin/sh
# ui-kitty.sh: the kitty graphics bytes the explorer writes, captured from
# a pty (kitty_capture.py) and checked against the kitty graphics
# protocol: chunks of base64 of at most 4096 bytes, a=T with f=32, o=z, the
# id, the size and the cells, q=2 and C=1 on the first chunk only, m=1
# until the last, payloads that inflate to s*v*4 bytes, images replaced on
# a slide and under the help screen deleted by id, delete-all at exit.
. "$srcdir/tests/lib/lib.sh"
PY=${PYTHON3:-python3}
"$PY" -c 'import pty, zlib, base64' 2>/dev/null || { echo "1..0 # SKIP python3 with pty not found"; exit 0; }
mkdir -p "$T/work"
"$PY" "$srcdir/tests/e2e/kitty_capture.py" "$LS" "$T/work" >"$T/out" 2>&1
t_result $? "kitty bytes from a pty follow the protocol"
sed 's/^/# /' "$T/out"
t_done
