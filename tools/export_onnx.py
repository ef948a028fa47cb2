#!/usr/bin/python3
"""Recipe: export a PyTorch decoder (and encoder) to ONNX for linscope.

    /usr/bin/python3 tools/export_onnx.py --out DIR

writes DIR/dec.onnx, DIR/enc.onnx and DIR/bank.npy and prints the command
line that opens them:

    linscope tui -m DIR/dec.onnx --encoder DIR/enc.onnx -b DIR/bank.npy

Copy the export calls into your own code and replace the two tiny untrained
models below by yours. What linscope expects:

  decoder  one input  (batch, d)                      named "z"
           one output (batch, C, H, W), or flat (batch, C*H*W) with the
           image shape in the metadata key linscope.image = "HxWxC"
           (see add_image_metadata) unless H = W and C = 1
  encoder  one input  (batch, C, H, W) (the decoder's image)
           one output (batch, d) or, for a VAE, (batch, 2d) = mu || logvar
  bank     float32 .npy of shape (N, d): encoder means of your data

Gotchas met while exporting with torch 1.13 (Debian's python3-torch):

* nn.Unflatten cannot be exported ("aten::unflatten ... not supported"):
  write h.view(-1, C, H, W) instead (it becomes one Reshape with a constant
  shape [-1, C, H, W]).  x.view(x.shape[0], -1) works too but adds a
  Shape/Gather/Unsqueeze/Concat subgraph that computes the batch size.
* Call model.eval() first.  In eval mode the exporter folds a BatchNorm2d
  that follows a Conv2d into the Conv's weights (even with
  do_constant_folding=False); a BatchNorm after a ConvTranspose2d, or
  anywhere else, stays a BatchNormalization node with the running stats as
  initializers.  training=torch.onnx.TrainingMode.PRESERVE keeps every BN.
* do_constant_folding=True (the default) is what you want: weights end up
  as initializers and fewer shape subgraphs remain.  Even so F.pad leaves a
  small int64 subgraph (ConstantOfShape, Concat, Reshape, Slice with step
  -1, Transpose, Cast) that computes the Pad's pads input.
* keep_initializers_as_inputs: leave it unset.  At opset >= 9 torch 1.13
  then lists only the real inputs as graph inputs; True also lists every
  weight as a graph input (older exporters did this).
* dynamic_axes makes the batch symbolic ("batch").  Without it the graph is
  fixed to the example's batch (linscope then runs it one row at a time).
  With it, .squeeze(dim) of a tensor whose size the exporter cannot see
  (e.g. after view(-1, ...)) becomes an If node with two subgraphs: use
  view/reshape or indexing ([:, :, 0]) instead of squeeze there.
* Upsampling: nn.Upsample / F.interpolate export as Resize at opset >= 11
  (Upsample at opset 9).  scale_factor gives a constant scales input
  [1, 1, s, s]; size=(H, W) gives a sizes input computed from Shape(x).
  Opset 11 passes an empty float Constant as roi; opset 13 leaves roi
  empty (""). nearest -> mode=nearest, coordinate_transformation_mode=
  asymmetric, nearest_mode=floor; bilinear with align_corners=False ->
  mode=linear, half_pixel.
* nn.LayerNorm is one LayerNormalization node only at opset 17; below it is
  ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add.  GroupNorm is
  Reshape, InstanceNormalization, Reshape, Mul, Add at every opset.
* nn.GELU is Div, Erf, Add, Mul, Mul (tanh form: Mul/Add/Tanh); SiLU is
  Sigmoid then Mul; prefer opset 13 (or 17) unless your runtime needs 11.
"""

import argparse
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

D = 8            # latent size
C, H, W = 1, 16, 16


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(D, 16 * 4 * 4)
        self.up1 = nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)   # 8x8
        self.bn1 = nn.BatchNorm2d(8)
        self.up2 = nn.ConvTranspose2d(8, C, 4, stride=2, padding=1)    # 16x16

    def forward(self, z):
        h = F.relu(self.fc(z)).view(-1, 16, 4, 4)     # .view, not nn.Unflatten
        h = F.relu(self.bn1(self.up1(h)))
        return torch.sigmoid(self.up2(h))


class Encoder(nn.Module):
    """A VAE encoder: one output, mu || logvar."""
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(C, 8, 4, stride=2, padding=1)              # 8x8
        self.c2 = nn.Conv2d(8, 16, 4, stride=2, padding=1)             # 4x4
        self.fc = nn.Linear(16 * 4 * 4, 2 * D)

    def forward(self, x):
        h = F.leaky_relu(self.c1(x), 0.2)
        h = F.leaky_relu(self.c2(h), 0.2).view(-1, 16 * 4 * 4)
        return self.fc(h)


def export(model, example, path, in_name, out_name, opset=13):
    model.eval()                          # BN running stats, no dropout
    torch.onnx.export(
        model, (example,), path,
        input_names=[in_name], output_names=[out_name],
        dynamic_axes={in_name: {0: "batch"}, out_name: {0: "batch"}},
        opset_version=opset)              # do_constant_folding=True default


def add_image_metadata(path, hwc):
    """For a decoder with a flat output: tell linscope the image shape."""
    import onnx
    m = onnx.load(path)
    p = m.metadata_props.add()
    p.key, p.value = "linscope.image", hwc          # e.g. "8x8x3"
    onnx.save(m, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="folder for the files")
    ap.add_argument("--opset", type=int, default=13)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(0)
    dec, enc = Decoder().eval(), Encoder().eval()   # your trained models here

    dec_path = os.path.join(args.out, "dec.onnx")
    enc_path = os.path.join(args.out, "enc.onnx")
    export(dec, torch.randn(2, D), dec_path, "z", "image", args.opset)
    export(enc, torch.rand(2, C, H, W), enc_path, "image", "z", args.opset)

    # the bank: encoder means of your data set (here: 64 decoded samples)
    with torch.no_grad():
        images = dec(torch.randn(64, D))
        mu = enc(images)[:, :D]                       # first d = mu
    bank_path = os.path.join(args.out, "bank.npy")
    np.save(bank_path, mu.numpy().astype(np.float32))  # shape (N, d)

    try:                                  # optional: check the files
        import onnx
        for p in (dec_path, enc_path):
            onnx.checker.check_model(onnx.load(p))
    except ImportError:
        pass
    print("wrote %s, %s, %s" % (dec_path, enc_path, bank_path))
    print("linscope tui -m %s --encoder %s -b %s" % (dec_path, enc_path,
                                                       bank_path))


if __name__ == "__main__":
    main()
