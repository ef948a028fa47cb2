#!/bin/sh
# cli-basic.sh: the foundation's command-line contracts on fixtures and the
# bundled model: info, decode (--npy equals PyTorch), encode, traverse.
. "$srcdir/tests/lib/lib.sh"
PY=${PYTHON3:-no}
have_numpy() { [ "$PY" != no ] && "$PY" -c 'import numpy' 2>/dev/null; }

t_ok "--version" "$LS" --version
t_is "--version prints the version" "$(cut -d' ' -f1 "$T/.out")" "linscope"
t_ok "--help" "$LS" --help
t_ok "info on a fixture" "$LS" info "$FIX/fwd-relu.safetensors"
t_is "info: latent dimension" "$(grep '^latent dimension' "$T/.out")" "latent dimension d: 5"
t_is "info: image" "$(grep '^image:' "$T/.out" | cut -d' ' -f2)" "3x4x1"
t_is "info: encoder" "$(grep '^encoder:' "$T/.out" | cut -d' ' -f2)" "yes"
t_ok "info on the bundled model by name" "$LS" info digits
t_is "bundled digits: d = 16" "$(grep '^latent dimension' "$T/.out")" "latent dimension d: 16"
t_ok "info --help" "$LS" info --help

# decode --npy equals PyTorch's output on the fixture inputs
t_ok "decode -b --npy" "$LS" decode -m "$FIX/fwd-relu.safetensors" -b "$FIX/fwd-relu-z.npy" --npy "$T/y.npy"
if have_numpy; then
	t_ok "decode output equals PyTorch (1e-5)" "$PY" -c "
import numpy as np, sys
a = np.load('$T/y.npy'); b = np.load('$FIX/fwd-relu-y.npy')
assert a.dtype == np.float32 and a.shape == b.shape, (a.dtype, a.shape)
assert np.abs(a - b).max() <= 1e-5, np.abs(a - b).max()"
	t_ok "decode --rows 2:5 selects rows 2,3,4" "$LS" decode -m "$FIX/fwd-relu.safetensors" -b "$FIX/fwd-relu-z.npy" --rows 2:5 --npy "$T/r.npy"
	t_ok "rows 2:5 content" "$PY" -c "
import numpy as np
a = np.load('$T/r.npy'); b = np.load('$FIX/fwd-relu-y.npy')[2:5]
assert a.shape == b.shape and np.abs(a - b).max() <= 1e-5"
	t_ok "decode --rows -2: (negative start)" "$LS" decode -m "$FIX/fwd-relu.safetensors" -b "$FIX/fwd-relu-z.npy" --rows -2: --npy "$T/r2.npy"
	t_ok "rows -2: content" "$PY" -c "
import numpy as np
a = np.load('$T/r2.npy'); b = np.load('$FIX/fwd-relu-y.npy')[-2:]
assert a.shape == b.shape and np.abs(a - b).max() <= 1e-5"
	z=$("$PY" -c "import numpy as np; print(','.join(repr(float(v)) for v in np.load('$FIX/fwd-relu-z.npy')[3]))")
	t_ok "decode -z" "$LS" decode -m "$FIX/fwd-relu.safetensors" -z "$z" --npy "$T/z.npy"
	t_ok "decode -z equals row 3" "$PY" -c "
import numpy as np
a = np.load('$T/z.npy'); b = np.load('$FIX/fwd-relu-y.npy')[3:4]
assert a.shape == (1, 12) and np.abs(a - b).max() <= 1e-5"
fi

# PNG grid of the bundled model
t_ok "decode -o grid" "$LS" decode -m digits -b "$abs_top_srcdir/assets/digits.npy" --rows 0:6 --cols 3 --scale 1 --gutter 2 -o "$T/grid.png"
t_ok "grid is a PNG" grep -q PNG "$T/grid.png"
if have_numpy; then
	t_ok "grid size is 3*28+4*2 x 2*28+3*2" "$PY" -c "
import struct
d = open('$T/grid.png','rb').read()
w, h = struct.unpack('>II', d[16:24])
assert (w, h) == (3*28+4*2, 2*28+3*2), (w, h)"
fi

# traverse: a strip along an axis; the first image is the start row
t_ok "traverse axis" "$LS" traverse -m digits --row 7 --dir axis:0 --range -3:3 --steps 7 -o "$T/strip.png" --npy "$T/strip.npy"
t_ok "traverse rows:I-J" "$LS" traverse -m digits --row 7 --dir rows:7-42 --range 0:1 --steps 5 -o "$T/strip2.png"
if have_numpy; then
	t_ok "traverse matches the closed form z0 + t u" "$PY" -c "
import numpy as np
bank = np.load('$abs_top_srcdir/assets/digits.npy')
s = np.load('$T/strip.npy'); assert s.shape == (7, 784), s.shape
z = np.repeat(bank[7:8], 7, 0).astype(np.float64); z[:, 0] += np.linspace(-3, 3, 7)
np.save('$T/zt.npy', z.astype(np.float32))"
	t_ok "decode of those latents" "$LS" decode -m digits -b "$T/zt.npy" --npy "$T/zt-y.npy"
	t_ok "strip equals decode (1e-5)" "$PY" -c "
import numpy as np
a = np.load('$T/strip.npy'); b = np.load('$T/zt-y.npy')
assert np.abs(a - b).max() <= 1e-5, np.abs(a - b).max()"
	t_ok "traverse --path" "$LS" traverse -m digits --row 7 --dir axis:0 --range -3:3 --steps 7 --path --npy "$T/strip-p.npy"
	t_ok "the exact path's strip equals decode (1e-5)" "$PY" -c "
import numpy as np
a = np.load('$T/strip-p.npy'); b = np.load('$T/zt-y.npy')
assert a.shape == b.shape and np.abs(a - b).max() <= 1e-5, np.abs(a - b).max()"
fi
t_ok "traverse --path on a smooth decoder: direct decodes" "$LS" traverse -m "$abs_top_srcdir/tests/fixtures/onnx/gelu.onnx" --image 3x1x1 -z 0,0,0,0 --dir axis:0 --range -1:1 --steps 3 --path --npy "$T/gelu.npy"
t_is "with a note saying why" "$(cat "$T/.err")" "linscope: traverse: direct decodes: not piecewise linear (a smooth operation before the output)"

# encode: images made by decode round-trip through the encoder
t_ok "decode single images" "$LS" decode -m "$FIX/fwd-relu.safetensors" -b "$FIX/fwd-relu-z.npy" --rows 0:1 --scale 1 --gutter 0 -o "$T/one.png"
t_ok "encode" "$LS" encode -m "$FIX/fwd-relu.safetensors" -o "$T/enc.npy" "$T/one.png" "$T/one.png"
if have_numpy; then
	t_ok "encode gives (2, d) float32" "$PY" -c "
import numpy as np
a = np.load('$T/enc.npy'); assert a.shape == (2, 5) and a.dtype == np.float32
assert np.allclose(a[0], a[1])"
fi
t_done
