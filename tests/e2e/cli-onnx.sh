#!/bin/sh
# cli-onnx.sh: ONNX decoders and encoders (PyTorch exports from
# tests/fixtures/onnx, made by tools/make_onnx_fixtures.py) through the
# command line: info, decode (against torch's output), encode, traverse,
# regions, dir sefa, flat outputs and --image, --range, bad files.
. "$srcdir/tests/lib/lib.sh"
PY=${PYTHON3:-python3}
F="$srcdir/tests/fixtures/onnx"

t_ok "info on a DCGAN generator" "$LS" info "$F/dcgan32.onnx"
t_is "info: d, image, range from the graph (final Tanh)" \
	"$(grep -E '^(latent dimension d|image|range):' "$T/.out" | tr '\n' '|')" \
	"latent dimension d: 8|image: 32x32x3 (HxWxC), 3072 values|range: -1,1|"
t_is "info: the nodes with their shapes" "$(grep -c 'ConvTranspose' "$T/.out")" 4
t_ok "info --range LO,HI overrides" sh -c "'$LS' info '$F/dcgan32.onnx' --range -2,2 | grep -q '^range: -2,2'"

t_ok "decode a bank to .npy" "$LS" decode -m "$F/dcgan32.onnx" -b "$F/dcgan32-z.npy" --npy "$T/y.npy"
if "$PY" -c 'import numpy' 2>/dev/null; then
	t_is "decode matches torch to 1e-4" "$("$PY" -c "
import numpy as np
a = np.load('$T/y.npy'); b = np.load('$F/dcgan32-y.npy').reshape(a.shape)
print(bool(abs(a - b).max() <= 1e-4 * max(1, abs(b).max())))")" True
fi
t_ok "decode to an RGB PNG grid" "$LS" decode -m "$F/dcgan32.onnx" -b "$F/dcgan32-z.npy" -o "$T/g.png"
t_is "the grid is an RGB PNG" "$(od -An -tu1 -j25 -N1 "$T/g.png" | tr -d ' ')" 2
t_ok "traverse a conv decoder" "$LS" traverse -m "$F/dcgan32.onnx" -z 0,0,0,0,0,0,0,0 --dir axis:0 \
	--range -2:2 --steps 5 -o "$T/s.png"
t_ok "exact regions through ConvTranspose/BatchNorm/ReLU" sh -c \
	"'$LS' regions -m '$F/dcgan32.onnx' -z 0,0,0,0,0,0,0,0 --dir axis:0 --range -3:3 >'$T/r.txt'"
t_ok "regions report pieces" grep -q '^pieces: [0-9]' "$T/r.txt"
t_ok "exact region map of a conv decoder" sh -c \
	"'$LS' regionmap -m '$F/dcgan32.onnx' -z 0,0,0,0,0,0,0,0 --dir axis:0 --dir axis:1 --range -0.3:0.3 -o '$T/map.png' >'$T/m.txt'"
t_ok "the map has regions" grep -qE '^regions: [1-9][0-9]+' "$T/m.txt"
t_is "the map is an RGB PNG" "$(od -An -tu1 -j25 -N1 "$T/map.png" | tr -d ' ')" 2
t_ok "region map through Resize and a residual block, as JSON" sh -c \
	"'$LS' regionmap -m '$F/upres.onnx' -z 0,0,0,0,0 --dir axis:0 --dir axis:1 --range -0.05:0.05 --json >'$T/m.json'"
t_ok "the JSON has polygons" grep -q '"polygons"' "$T/m.json"
t_ok "dir sefa on a ConvTranspose from 1x1" "$LS" dir sefa -m "$F/dcgan64.onnx" -k 2 -o "$T/sefa.safetensors"

# Encoder: the first d outputs (mu of mu||logvar) of an image the decoder made.
t_ok "decode one latent of the conv VAE to a PNG" "$LS" decode -m "$F/convvae-dec.onnx" \
	-z 0.5,-0.3,0.1,0,0.2,-0.1 -o "$T/one.png" --scale 1 --gutter 0
t_ok "encode it with --encoder" "$LS" encode -m "$F/convvae-dec.onnx" --encoder "$F/convvae-enc.onnx" \
	-o "$T/bank.npy" "$T/one.png"
t_ok "info shows the VAE encoder" sh -c "'$LS' info '$F/convvae-dec.onnx' --encoder '$F/convvae-enc2.onnx' | grep -q '^encoder: yes'"
t_fails "an encoder of the wrong size is refused" 2 "encoder takes" \
	"$LS" info "$F/dcgan32.onnx" --encoder "$F/convvae-enc.onnx"

# The script language's model command takes --encoder, --image, --range;
# a saved session writes them back.
printf 'model %s/convvae-dec.onnx\nopen %s/one.png\n' "$F" "$T" >"$T/noenc.txt"
t_fails "script: open without an encoder is refused" 2 "encoder" "$LS" run "$T/noenc.txt"
printf 'model %s/convvae-dec.onnx --encoder %s/convvae-enc.onnx\nopen %s/one.png\nprint z\nsavestate %s/st.txt\n' \
	"$F" "$F" "$T" "$T" >"$T/enc.txt"
t_ok "script: model --encoder, then open encodes" sh -c "'$LS' run '$T/enc.txt' >'$T/enc.out'"
t_ok "the saved session names the encoder" grep -q "^model .*convvae-dec.onnx --encoder .*/convvae-enc.onnx" "$T/st.txt"
printf 'open %s/one.png\nprint z\n' "$T" >"$T/again.txt"
t_ok "the saved session loads back with its encoder" sh -c "cat '$T/st.txt' '$T/again.txt' | '$LS' run - >'$T/again.out'"
t_is "and encodes the image to the same z" "$(grep -E '^-?[0-9.e-]+,' "$T/again.out")" \
	"$(grep -E '^-?[0-9.e-]+,' "$T/enc.out")"
t_ok "a z was printed" grep -qE '^-?[0-9.e-]+,' "$T/enc.out"
printf 'model %s/mlpflat-noimg.onnx --image 2x2x3 --range -2,2\nsavestate %s/st2.txt\n' "$F" "$T" >"$T/img.txt"
t_ok "script: model --image --range" sh -c "'$LS' run '$T/img.txt' >'$T/img.out'"
t_ok "the model has the shape given" grep -q "image 2x2x3" "$T/img.out"
t_ok "the saved session keeps --image and --range" grep -q -- "--image 2x2x3 --range -2,2$" "$T/st2.txt"
printf 'model %s/mlpflat-noimg.onnx --image 3x3\n' "$F" >"$T/badimg.txt"
t_fails "script: a bad --image is refused" 2 "HxWxC" "$LS" run "$T/badimg.txt"

# Flat outputs.
t_ok "flat 784 output: a square grey image" sh -c "'$LS' info '$F/mlpflat.onnx' | grep -q '^image: 28x28x1'"
t_ok "flat output with metadata linscope.image" sh -c "'$LS' info '$F/mlpflat-rgb.onnx' | grep -q '^image: 8x8x3'"
t_fails "flat 12 output without --image" 2 "mlpflat-noimg.onnx.*--image" "$LS" info "$F/mlpflat-noimg.onnx"
t_ok "--image gives it a shape" sh -c "'$LS' info '$F/mlpflat-noimg.onnx' --image 2x2x3 | grep -q '^image: 2x2x3'"
t_fails "--image of the wrong size" 2 "has 27 values" "$LS" info "$F/mlpflat-noimg.onnx" --image 3x3x3

# Bad files: exit 2, one line naming the file (and the node and operator).
for b in notonnx truncated unsupported-op missing-init chain external-data; do
	t_fails "bad-$b.onnx is refused" 2 "bad-$b.onnx" "$LS" info "$F/bad-$b.onnx"
	t_is "bad-$b.onnx: one line" "$(wc -l <"$T/.err")" 1
done
t_fails "the unsupported operator is named" 2 "node /Cos (Cos): unsupported operator Cos" \
	"$LS" decode -m "$F/bad-unsupported-op.onnx" -z 0,0,0,0 --npy "$T/no.npy"
t_is "no output file" "$(ls "$T/no.npy" 2>/dev/null)" ""
t_done
