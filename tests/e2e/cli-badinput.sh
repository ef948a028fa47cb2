#!/bin/sh
# cli-badinput.sh: every kind of bad input gets a one-line message naming the
# file, exit status 2, and leaves no output file behind.
. "$srcdir/tests/lib/lib.sh"
PY=${PYTHON3:-no}
M=$FIX/fwd-relu.safetensors
Z=$FIX/fwd-relu-z.npy

# bad_model NAME DESCRIPTION PATTERN: writes $T/NAME.safetensors with python
# snippet on stdin, then checks info and decode fail cleanly.
bad() { # description pattern file
	t_fails "$1: info exits 2" 2 "$2" "$LS" info "$3"
	t_fails "$1: decode exits 2" 2 "$2" "$LS" decode -m "$3" -z 0,0,0,0,0 --npy "$T/out.npy"
	if [ -e "$T/out.npy" ]; then t_result 1 "$1: no output left"; else t_result 0 "$1: no output left"; fi
}

: > "$T/empty.safetensors"
bad "empty file" "empty.safetensors" "$T/empty.safetensors"
printf 'abc' > "$T/short.safetensors"
bad "truncated header" "short.safetensors" "$T/short.safetensors"
printf '\377\377\0\0\0\0\0\0{}' > "$T/long.safetensors"
bad "header length beyond the file" "long.safetensors" "$T/long.safetensors"

if [ "$PY" != no ] && "$PY" -c 'import json, struct' 2>/dev/null; then
	# mk NAME PYEXPR: build a file from the relu fixture with a modified header
	mk() {
		"$PY" - "$M" "$T/$1.safetensors" "$2" <<'PYEOF'
import json, struct, sys
src, dst, how = sys.argv[1:4]
raw = open(src, 'rb').read()
n = struct.unpack('<Q', raw[:8])[0]
h = json.loads(raw[8:8 + n]); data = bytearray(raw[8 + n:])
meta = h['__metadata__']
if how == 'offsets':   h['dec.0.weight']['data_offsets'][1] += 10**6
elif how == 'overlap':
    b = h['dec.0.bias']['data_offsets']; h['dec.0.bias']['data_offsets'] = [0, b[1] - b[0]]
elif how == 'shape':   h['dec.0.weight']['shape'] = [31, 5]
elif how == 'dtype':   h['dec.0.weight']['dtype'] = 'F16'
elif how == 'missing': meta['linscope.decoder'] = meta['linscope.decoder'].replace('dec.2', 'dec.9')
elif how == 'token':   meta['linscope.decoder'] = meta['linscope.decoder'].replace('relu', 'gelu', 1)
elif how == 'chain':   meta['linscope.decoder'] = 'dec.0 relu dec.4 sigmoid'
elif how == 'nan':
    o = h['dec.2.weight']['data_offsets'][0]; data[o:o + 4] = struct.pack('<f', float('nan'))
elif how == 'nometa':  del meta['linscope.decoder']
elif how == 'image':   meta['linscope.image'] = '28x28'
hb = json.dumps(h).encode(); hb += b' ' * (-len(hb) % 8)
open(dst, 'wb').write(struct.pack('<Q', len(hb)) + hb + bytes(data))
PYEOF
	}
	mk offsets offsets; bad "tensor offsets out of range" "offsets" "$T/offsets.safetensors"
	mk overlap overlap; bad "overlapping tensors" "overlap" "$T/overlap.safetensors"
	mk shape shape; bad "shape/size mismatch" "shape.safetensors" "$T/shape.safetensors"
	mk dtype dtype; bad "dtype/size mismatch" "dtype.safetensors" "$T/dtype.safetensors"
	mk missing missing; bad "missing tensor named by the program" "dec.9.weight" "$T/missing.safetensors"
	mk token token; bad "unknown layer token" "gelu" "$T/token.safetensors"
	mk chain chain; bad "widths that do not chain" "takes 24 inputs" "$T/chain.safetensors"
	# NaN in weights: decode refuses; info reads only the header of weights
	# used in place (linscope(1), MODELS AND BANKS) and describes the model.
	mk nan nan
	t_fails "NaN in weights: decode exits 2" 2 "non-finite" "$LS" decode -m "$T/nan.safetensors" -z 0,0,0,0,0 --npy "$T/out.npy"
	if [ -e "$T/out.npy" ]; then t_result 1 "NaN in weights: no output left"; else t_result 0 "NaN in weights: no output left"; fi
	t_ok "NaN in weights: info (header only) describes the model" "$LS" info "$T/nan.safetensors"
	mk nometa nometa; bad "no decoder program" "linscope.decoder" "$T/nometa.safetensors"
	bad "a plain state_dict: says what to add" "add the metadata 'linscope.decoder'.*2-D weights: dec.0 dec.2" \
		"$T/nometa.safetensors"
	mk image image; bad "bad image metadata" "linscope.image" "$T/image.safetensors"
fi

# banks
t_fails "Fortran-order bank" 2 "Fortran" "$LS" decode -m "$M" -b "$FIX/npy-fortran.npy" --npy "$T/out.npy"
t_fails "wrong bank dtype" 2 "npy-c16.npy" "$LS" decode -m "$M" -b "$FIX/npy-c16.npy" --npy "$T/out.npy"
t_fails "integer bank" 2 "npy-i8.npy" "$LS" decode -m "$M" -b "$FIX/npy-i8.npy" --npy "$T/out.npy"
t_fails "truncated bank" 2 "npy-truncated.npy" "$LS" decode -m "$M" -b "$FIX/npy-truncated.npy" --npy "$T/out.npy"
t_fails "bank width != d" 2 "latent dimension is 5" "$LS" decode -m "$M" -b "$FIX/npy-f4-v1.npy" --npy "$T/out.npy"
t_fails "rows out of range" 2 "out of range" "$LS" decode -m "$M" -b "$Z" --rows 5:99 --npy "$T/out.npy"
t_fails "empty rows" 2 "out of range" "$LS" decode -m "$M" -b "$Z" --rows 3:3 --npy "$T/out.npy"
t_fails "traverse row out of range" 2 "row 8 out of range" "$LS" traverse -m "$M" -b "$Z" --row 8 --dir axis:0 --range 0:1 --steps 2 -o "$T/out.png"
t_fails "traverse bad axis" 2 "axis:9" "$LS" traverse -m "$M" -b "$Z" --row 0 --dir axis:9 --range 0:1 --steps 2 -o "$T/out.png"
t_fails "traverse zero direction" 2 "zero length" "$LS" traverse -m "$M" -b "$Z" --row 0 --dir rows:2-2 --range 0:1 --steps 2 -o "$T/out.png"
t_fails "-z with the wrong count" 2 "latent dimension is 5" "$LS" decode -m "$M" -z 1,2,3 --npy "$T/out.npy"
t_fails "-z not numbers" 2 "comma-separated" "$LS" decode -m "$M" -z 1,x,3,4,5 --npy "$T/out.npy"
t_fails "missing model file" 2 "nope.safetensors" "$LS" info "$T/nope.safetensors"
t_fails "unknown command" 2 "not a command" "$LS" frobnicate
t_fails "missing options" 2 "decode" "$LS" decode -m "$M"
t_fails "encode: wrong image size" 2 "grid.png" sh -c "'$LS' decode -m '$M' -b '$Z' -o '$T/grid.png' && '$LS' encode -m '$M' -o '$T/enc.npy' '$T/grid.png'"
t_fails "encode: not a PNG" 2 "fwd-relu-z.npy" "$LS" encode -m "$M" -o "$T/enc.npy" "$Z"
t_fails "encode: no encoder" 2 "no encoder" "$LS" encode -m "$FIX/fwd-leaky.safetensors" -o "$T/enc.npy" "$T/grid.png"
if [ "$PY" != no ]; then
	"$PY" - "$T/huge.png" <<'PYEOF'
import struct, sys, zlib
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
ihdr = struct.pack('>IIBBBBB', 16000, 16000, 8, 0, 0, 0, 0)
open(sys.argv[1], 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) +
    chunk(b'IDAT', zlib.compress(b'\0' * 100)) + chunk(b'IEND', b''))
PYEOF
	t_fails "a tiny PNG claiming 16000x16000 is refused before decoding" 2 "more than the file can hold" \
		"$LS" encode -m digits -o "$T/enc.npy" "$T/huge.png"
fi
# One start-latent parser: traverse and regions refuse the same bad -z
# (1e39 overflows float32 to inf), with the same message.
Z16=1e39,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0
t_fails "traverse: non-finite -z refused" 2 "finite" "$LS" traverse -z "$Z16" --dir axis:0 --range 0:1 --steps 2 --npy "$T/out.npy"
t_fails "regions: non-finite -z refused" 2 "finite" "$LS" regions -z "$Z16" --dir axis:0 --range 0:1
t_fails "run: non-finite z refused" 2 "finite" sh -c "printf 'z $Z16\n' | \"$LS\" run -"
# One bundled-model resolution: an unknown name lists the bundled ones.
t_fails "unknown bundled model lists the bundled names" 2 "bundled: digits, digits2d" "$LS" info nosuchmodel
for f in out.npy out.png enc.npy; do
	if [ -e "$T/$f" ]; then t_result 1 "no $f left behind"; else t_result 0 "no $f left behind"; fi
done
# Files are recognised by content: a checkpoint or a bank given as the model.
bad "a PyTorch checkpoint (zip)" "bad-checkpoint.pt: this is a PyTorch checkpoint.*torch.onnx.export" \
	"$FIX/onnx/bad-checkpoint.pt"
bad "a PyTorch checkpoint (legacy pickle)" "legacy.pt: this is a PyTorch checkpoint" \
	"$FIX/onnx/bad-checkpoint-legacy.pt"
bad "a .npy bank given as the model" "fwd-relu-z.npy: this is a NumPy array" "$Z"
bad "text given as the model" "bad-notonnx.onnx: unknown content, not a model" "$FIX/onnx/bad-notonnx.onnx"

t_done
