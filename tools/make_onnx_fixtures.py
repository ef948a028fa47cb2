#!/usr/bin/python3
"""ONNX fixtures for linscope's ONNX loader and DAG runtime (tests/fixtures/onnx/).

Run from the top of the source tree:  /usr/bin/python3 tools/make_onnx_fixtures.py
Needs Debian's python3-torch (1.13), python3-onnx and python3-numpy. Every
model is built from a seed derived from its name, exported by
torch.onnx.export, read back with onnx.load and checked with
onnx.checker.check_model. Running the script again gives byte-identical files
(with the same PyTorch/ONNX/NumPy versions).

For each fixture NAME it writes
  NAME.onnx     the exported graph (batch axis dynamic unless noted)
  NAME-z.npy    float32 input batch (5 rows; 1 row for fixedbatch)
  NAME-y.npy    float32 output of the PyTorch model in eval mode on it
  NAME-y1.npy   the second output, for the two-output encoder
plus the bad-* files for error tests, MANIFEST.json and GRAPHS.txt (every
node of every graph with its inputs, outputs and attributes).
"""

import io
import json
import os
import pickle
import zlib

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import numpy_helper

OUT = "tests/fixtures/onnx"
ROWS = 5

# ops that keep a graph piecewise linear in its input (Mul/Div only when one
# side does not depend on the input; see piecewise())
PL_OPS = {
    "Gemm", "MatMul", "Add", "Sub", "Conv", "ConvTranspose",
    "BatchNormalization", "Relu", "LeakyRelu", "PRelu", "Clip", "MaxPool",
    "AveragePool", "Resize", "Upsample", "Pad", "Concat", "Reshape", "Flatten",
    "Unsqueeze", "Squeeze", "Slice", "Gather", "Transpose", "Identity",
    "Shape", "Constant", "ConstantOfShape", "Cast", "Mul", "Div", "Neg",
    "Split", "Expand", "Range", "If", "Equal",
}
VIEW_OPS = {"Reshape", "Flatten", "Unsqueeze", "Squeeze", "Identity"}
FINAL_ACT = {"Sigmoid": "sigmoid", "Tanh": "tanh"}


def seed_of(name):
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


def randomize(model, gen):
    """Non-trivial BN running stats and affine, PReLU slopes, norm affines."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            c = m.num_features
            m.running_mean.copy_(torch.randn(c, generator=gen) * 0.3)
            m.running_var.copy_(torch.rand(c, generator=gen) * 1.5 + 0.25)
            if m.affine:
                m.weight.data.copy_(torch.rand(c, generator=gen) + 0.5)
                m.bias.data.copy_(torch.randn(c, generator=gen) * 0.2)
        elif isinstance(m, (nn.GroupNorm, nn.LayerNorm, nn.InstanceNorm2d)):
            if getattr(m, "weight", None) is not None:
                m.weight.data.copy_(torch.rand(m.weight.shape, generator=gen) + 0.5)
                m.bias.data.copy_(torch.randn(m.bias.shape, generator=gen) * 0.2)
        elif isinstance(m, nn.PReLU):
            m.weight.data.copy_(torch.rand(m.weight.shape, generator=gen) * 0.4)


# ---------------------------------------------------------------- models

class Seq(nn.Module):
    def __init__(self, *mods, fn=None):
        super().__init__()
        self.body = nn.Sequential(*mods)
        self.fn = fn

    def forward(self, x):
        x = self.body(x)
        return self.fn(x) if self.fn else x


class Fn(nn.Module):
    """A module from a function (keeps parameters given as kwargs)."""
    def __init__(self, fn, **params):
        super().__init__()
        self.fn = fn
        for k, v in params.items():
            setattr(self, k, v)

    def forward(self, x):
        return self.fn(self, x)


class MatMulAdd(nn.Module):
    def __init__(self, d, n):
        super().__init__()
        self.W = nn.Parameter(torch.randn(d, n) * 0.5)
        self.b = nn.Parameter(torch.randn(n) * 0.1)

    def forward(self, x):
        return x @ self.W + self.b


class Residual(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.a = nn.Conv2d(c, c, 3, padding=1)
        self.b = nn.Conv2d(c, c, 1)

    def forward(self, x):
        return self.a(x) + self.b(x)


class ResBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c1 = nn.Conv2d(c, c, 3, padding=1)
        self.bn = nn.BatchNorm2d(c)
        self.c2 = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        return x + self.c2(F.relu(self.bn(self.c1(x))))


class Views(nn.Module):
    """squeeze, unsqueeze, slicing, indexing, cat, Flatten and view on
    tensors whose shape the exporter knows (from the graph input)."""
    def __init__(self):
        super().__init__()
        self.flat = nn.Flatten()

    def forward(self, x):                          # (b,4,2,1)
        u = x.squeeze(3).unsqueeze(1)              # Squeeze, Unsqueeze (b,1,4,2)
        a = u[:, :, 1:3]                           # Slice (b,1,2,2)
        g = x[:, :, 1, 0]                          # Gather, Gather (b,4)
        c = torch.cat([a, a * 0.5], 1)             # Mul by const, Concat
        f = torch.cat([self.flat(c), g], 1)        # Flatten, Concat (b,12)
        return f.view(-1, 3, 4)                    # Reshape


class SqueezeIf(nn.Module):
    """squeeze of a tensor whose dims the exporter lost: If in the graph."""
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(6, 16)
        self.flat = nn.Flatten()

    def forward(self, z):
        h = self.fc(z).view(-1, 4, 2, 2)          # Reshape
        a = h[:, 1:3]                              # Slice on channels
        b = h[:, :, :, :1]                         # Slice on width
        b = b.squeeze(3).unsqueeze(3)              # Squeeze, Unsqueeze
        b = torch.cat([b, b * 0.5], dim=3)         # Concat, Mul by const
        return self.flat(torch.cat([a, b], dim=1))  # Concat, Flatten


class Arith(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 6)

    def forward(self, z):
        h = self.fc(z)
        return ((h * 1.5) - 0.25) / 4.0 + 2.0 - h / 3.0


class ConvDec(nn.Module):
    """(batch, d) -> Linear -> view -> ConvT chain; used by several fixtures."""
    def __init__(self, d, c, ch, hw, final):
        super().__init__()
        self.ch, self.hw = ch, hw
        self.fc = nn.Linear(d, ch * hw * hw)
        self.up1 = nn.ConvTranspose2d(ch, ch // 2, 4, 2, 1)
        self.bn1 = nn.BatchNorm2d(ch // 2)
        self.up2 = nn.ConvTranspose2d(ch // 2, c, 4, 2, 1)
        self.final = final

    def forward(self, z):
        h = F.relu(self.fc(z)).view(-1, self.ch, self.hw, self.hw)
        h = F.relu(self.bn1(self.up1(h)))
        return self.final(self.up2(h))


class DCGAN(nn.Module):
    def __init__(self, d, chans, out_c, flat_input):
        super().__init__()
        self.d, self.flat_input = d, flat_input
        layers = [nn.ConvTranspose2d(d, chans[0], 4, 1, 0, bias=False),
                  nn.BatchNorm2d(chans[0]), nn.ReLU(True)]
        for a, b in zip(chans, chans[1:]):
            layers += [nn.ConvTranspose2d(a, b, 4, 2, 1, bias=False),
                       nn.BatchNorm2d(b), nn.ReLU(True)]
        layers += [nn.ConvTranspose2d(chans[-1], out_c, 4, 2, 1, bias=False),
                   nn.Tanh()]
        self.net = nn.Sequential(*layers)

    def forward(self, z):
        if self.flat_input:
            z = z.view(-1, self.d, 1, 1)
        return self.net(z)


class ConvEnc(nn.Module):
    def __init__(self, c, d, two):
        super().__init__()
        self.two = two
        self.c1 = nn.Conv2d(c, 8, 4, 2, 1)    # 16 -> 8
        self.c2 = nn.Conv2d(8, 16, 4, 2, 1)   # 8 -> 4
        self.flat = nn.Flatten()
        if two:
            self.mu = nn.Linear(16 * 4 * 4, d)
            self.lv = nn.Linear(16 * 4 * 4, d)
        else:
            self.fc = nn.Linear(16 * 4 * 4, 2 * d)

    def forward(self, x):
        h = self.flat(F.leaky_relu(self.c2(F.leaky_relu(self.c1(x), 0.2)), 0.2))
        if self.two:
            return self.mu(h), self.lv(h)
        return self.fc(h)


class UpRes(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.fc = nn.Linear(d, 8 * 4 * 4)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.c1 = nn.Conv2d(8, 8, 3, padding=1)
        self.res = ResBlock(8)
        self.c2 = nn.Conv2d(8, 3, 3, padding=1)

    def forward(self, z):
        h = F.relu(self.fc(z)).view(-1, 8, 4, 4)
        h = F.relu(self.c1(self.up(h)))                         # 8x8
        h = self.res(h)
        h = F.interpolate(h, scale_factor=2, mode="bilinear",
                          align_corners=False)                  # 16x16
        return torch.sigmoid(self.c2(h))


class Mlp4d(nn.Module):
    """An MLP decoder whose input is (batch, d, 1, 1) and output an image."""
    def __init__(self, d, hidden, hw):
        super().__init__()
        self.hw = hw
        self.net = mlp(d, hidden, hw * hw, nn.Sigmoid())

    def forward(self, z):
        return self.net(z.view(z.shape[0], -1)).view(-1, 1, self.hw, self.hw)


def mlp(d, hidden, out, final):
    mods = [nn.Linear(d, hidden), nn.ReLU(), nn.Linear(hidden, out)]
    if final:
        mods.append(final)
    return nn.Sequential(*mods)


def lin_act(act, d=4, n=6):
    """Linear -> act -> Linear: the activation sits inside the graph."""
    return nn.Sequential(nn.Linear(d, n), act, nn.Linear(n, 3))


def conv_act(act, c=4):
    return nn.Sequential(nn.Conv2d(2, c, 3, padding=1), act, nn.Conv2d(c, 2, 1))


# Each entry: name, factory(gen-seeded), input row shape, opset, options.
#   role: "op" (one node kind), "decoder", "encoder"
#   desc: one line for MANIFEST.json
def fixtures():
    F_ = []

    def add(name, make, shape, opset, desc, role="op", d=None, image=None,
            dynamic=True, outputs=("y",), inputs=("z",), meta=None,
            ex=None):
        F_.append(dict(name=name, make=make, shape=shape, opset=opset,
                       desc=desc, role=role, d=d, image=image,
                       dynamic=dynamic, outputs=outputs, inputs=inputs,
                       meta=meta, ex=ex or {}))

    # --- node kinds: affine
    add("gemm", lambda: nn.Linear(4, 6), (4,), 11,
        "nn.Linear(4,6): one Gemm (transB=1)")
    add("gemm-nobias", lambda: nn.Linear(4, 6, bias=False), (4,), 13,
        "nn.Linear(4,6,bias=False): MatMul with a transposed weight initializer")
    add("matmul-add", lambda: MatMulAdd(4, 6), (4,), 13,
        "x @ W + b with W (4,6), b (6) parameters: MatMul then Add")
    add("arith", Arith, (4,), 13,
        "Linear then Mul/Sub/Div/Add by constants and h/3")
    add("views", Views, (4, 2, 1), 13,
        "squeeze, unsqueeze, slicing, integer index (Gather), cat, Mul by "
        "const, nn.Flatten, view -> (batch,3,4)")
    add("views-11", Views, (4, 2, 1), 11,
        "the views model at opset 11 (Squeeze/Unsqueeze/Slice take attributes)")
    add("squeeze-if", SqueezeIf, (6,), 13,
        "Linear, view(-1,4,2,2), slicing, squeeze(3): torch 1.13 exports the "
        "squeeze of a dim it cannot see as If(Equal(dim,1)) with two "
        "subgraphs -> (batch,24)")
    add("gemm-initinputs", lambda: nn.Linear(4, 6), (4,), 11,
        "nn.Linear(4,6) exported with keep_initializers_as_inputs=True: weight "
        "and bias are graph inputs too", ex=dict(keep_initializers_as_inputs=True))
    add("residual", lambda: Residual(2), (2, 6, 6), 13,
        "Conv3x3(x) + Conv1x1(x): residual Add of two branches")
    # --- conv
    add("conv-s2", lambda: nn.Conv2d(2, 4, 3, stride=2), (2, 9, 9), 11,
        "Conv2d(2,4,3,stride=2) with bias")
    add("conv-p1-nobias", lambda: nn.Conv2d(2, 4, 3, padding=1, bias=False),
        (2, 6, 6), 13, "Conv2d(2,4,3,padding=1,bias=False)")
    add("conv-dil2", lambda: nn.Conv2d(2, 3, 3, padding=2, dilation=2),
        (2, 7, 7), 17, "Conv2d(2,3,3,padding=2,dilation=2)")
    add("conv-g2", lambda: nn.Conv2d(4, 6, 3, padding=1, groups=2),
        (4, 5, 5), 13, "Conv2d(4,6,3,padding=1,groups=2)")
    add("conv-mix", lambda: nn.Conv2d(4, 4, (3, 2), stride=(2, 1),
                                      padding=(1, 0), dilation=(1, 2), groups=2),
        (4, 7, 6), 17, "Conv2d(4,4,(3,2),stride=(2,1),padding=(1,0),"
        "dilation=(1,2),groups=2): non-square everything")
    # --- conv transpose
    add("convt-s2p1", lambda: nn.ConvTranspose2d(4, 2, 4, stride=2, padding=1),
        (4, 3, 3), 11, "ConvTranspose2d(4,2,4,stride=2,padding=1): 3x3 -> 6x6")
    add("convt-outpad", lambda: nn.ConvTranspose2d(
        2, 3, 3, stride=2, padding=1, output_padding=1, bias=False),
        (2, 4, 4), 13, "ConvTranspose2d(2,3,3,stride=2,padding=1,"
        "output_padding=1,bias=False): 4x4 -> 8x8")
    add("convt-g2", lambda: nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1,
                                               groups=2),
        (4, 3, 3), 17, "ConvTranspose2d(4,6,3,stride=2,padding=1,groups=2): "
        "3x3 -> 5x5")
    add("convt-dil", lambda: nn.ConvTranspose2d(2, 2, 3, stride=1, dilation=2),
        (2, 3, 3), 13, "ConvTranspose2d(2,2,3,dilation=2): 3x3 -> 7x7")
    add("convt-1to4", lambda: nn.ConvTranspose2d(8, 4, 4, 1, 0), (8, 1, 1), 13,
        "DCGAN first layer ConvTranspose2d(8,4,4,1,0) from (batch,8,1,1) to 4x4",
        d=8)
    # --- norms
    add("bn", lambda: nn.Sequential(nn.Conv2d(2, 3, 3, padding=1),
                                    nn.BatchNorm2d(3)),
        (2, 5, 5), 11, "Conv2d then BatchNorm2d(3) in eval (non-trivial running "
        "stats and affine), exported with training=TrainingMode.PRESERVE so "
        "BatchNormalization stays (and Identity nodes appear)",
        ex=dict(training=torch.onnx.TrainingMode.PRESERVE))
    add("bn-fold", lambda: nn.Sequential(nn.Conv2d(2, 3, 3, padding=1),
                                         nn.BatchNorm2d(3)),
        (2, 5, 5), 13, "same model as bn exported the default way: the "
        "exporter folds BatchNorm into the Conv weights (one Conv node)")
    add("bn-alone", lambda: nn.BatchNorm2d(3), (3, 4, 4), 13,
        "BatchNorm2d(3) alone on the input (nothing to fold it into)")
    add("bn-17", lambda: nn.Sequential(nn.ConvTranspose2d(2, 3, 3),
                                       nn.BatchNorm2d(3)), (2, 3, 3), 17,
        "ConvTranspose2d then BatchNorm2d(3) at opset 17 (BN after ConvT is "
        "never folded)")
    add("layernorm-17", lambda: nn.Sequential(nn.Linear(4, 6), nn.LayerNorm(6),
                                              nn.Linear(6, 3)),
        (4,), 17, "Linear, LayerNorm(6), Linear at opset 17")
    add("layernorm-13", lambda: nn.Sequential(nn.Linear(4, 6), nn.LayerNorm(6),
                                              nn.Linear(6, 3)),
        (4,), 13, "Linear, LayerNorm(6), Linear at opset 13 (decomposed)")
    add("layernorm-chw", lambda: nn.LayerNorm([2, 4, 4]), (2, 4, 4), 17,
        "LayerNorm([2,4,4]) over C,H,W at opset 17")
    add("instnorm", lambda: conv_act(nn.InstanceNorm2d(4, affine=True)),
        (2, 5, 5), 13, "Conv, InstanceNorm2d(4,affine=True), Conv")
    add("instnorm-noaffine", lambda: conv_act(nn.InstanceNorm2d(4)),
        (2, 5, 5), 11, "Conv, InstanceNorm2d(4) (no affine), Conv")
    add("groupnorm", lambda: conv_act(nn.GroupNorm(2, 4)), (2, 5, 5), 13,
        "Conv, GroupNorm(2,4), Conv")
    add("groupnorm-17", lambda: conv_act(nn.GroupNorm(2, 4)), (2, 5, 5), 17,
        "Conv, GroupNorm(2,4), Conv at opset 17")
    # --- resampling and padding
    add("up-nearest", lambda: nn.Upsample(scale_factor=2, mode="nearest"),
        (2, 3, 3), 13, "nn.Upsample(scale_factor=2, nearest) at opset 13")
    add("up-nearest-11", lambda: nn.Upsample(scale_factor=2, mode="nearest"),
        (2, 3, 3), 11, "nn.Upsample(scale_factor=2, nearest) at opset 11")
    add("up-bilinear", lambda: nn.Upsample(scale_factor=2, mode="bilinear",
                                           align_corners=False),
        (2, 3, 3), 13, "nn.Upsample(scale_factor=2, bilinear, "
        "align_corners=False) at opset 13")
    add("up-bilinear-11", lambda: nn.Upsample(scale_factor=2, mode="bilinear",
                                              align_corners=False),
        (2, 3, 3), 11, "same bilinear upsample at opset 11")
    add("up-bilinear-ac", lambda: nn.Upsample(scale_factor=2, mode="bilinear",
                                              align_corners=True),
        (2, 3, 3), 13, "bilinear with align_corners=True (for completeness)")
    add("interp-s2", lambda: Fn(lambda s, x: F.interpolate(
        x, scale_factor=2)), (2, 3, 4), 17,
        "F.interpolate(x, scale_factor=2) (nearest) at opset 17")
    add("interp-size", lambda: Fn(lambda s, x: F.interpolate(
        x, size=(6, 8), mode="bilinear", align_corners=False)), (2, 3, 4), 13,
        "F.interpolate(x, size=(6,8), bilinear) at opset 13")
    add("maxpool", lambda: nn.MaxPool2d(2), (2, 6, 6), 13, "MaxPool2d(2)")
    add("maxpool-s2p1", lambda: nn.MaxPool2d(3, stride=2, padding=1),
        (2, 7, 7), 11, "MaxPool2d(3,stride=2,padding=1)")
    add("avgpool", lambda: nn.AvgPool2d(2), (2, 6, 6), 13, "AvgPool2d(2)")
    add("avgpool-11", lambda: nn.AvgPool2d(2), (2, 6, 6), 11,
        "AvgPool2d(2) at opset 11")
    add("avgpool-nopad", lambda: nn.AvgPool2d(3, stride=2, padding=1,
                                               count_include_pad=False),
        (2, 7, 7), 13, "AvgPool2d(3,stride=2,padding=1,count_include_pad="
        "False)")
    add("avgpool-p1", lambda: nn.AvgPool2d(3, stride=2, padding=1),
        (2, 7, 7), 17, "AvgPool2d(3,stride=2,padding=1) (count_include_pad="
        "True)")
    add("pad-const", lambda: Fn(lambda s, x: F.pad(x, (1, 2, 0, 1), value=0.5)),
        (2, 3, 3), 13, "F.pad(x,(1,2,0,1),constant 0.5)")
    add("pad-const-11", lambda: Fn(lambda s, x: F.pad(x, (1, 2, 0, 1))),
        (2, 3, 3), 11, "F.pad(x,(1,2,0,1),constant 0) at opset 11")
    add("pad-reflect", lambda: Fn(lambda s, x: F.pad(x, (1, 1, 2, 1),
                                                     mode="reflect")),
        (2, 4, 4), 13, "F.pad(x,(1,1,2,1),reflect)")
    add("pad-replicate", lambda: Fn(lambda s, x: F.pad(x, (1, 0, 0, 1),
                                                       mode="replicate")),
        (2, 3, 3), 17, "F.pad(x,(1,0,0,1),replicate) -> mode edge")
    # --- activations
    add("relu", lambda: lin_act(nn.ReLU()), (4,), 11, "Linear, ReLU, Linear")
    add("leakyrelu", lambda: lin_act(nn.LeakyReLU(0.2)), (4,), 13,
        "Linear, LeakyReLU(0.2), Linear")
    add("prelu", lambda: conv_act(nn.PReLU(4)), (2, 4, 4), 13,
        "Conv, PReLU(4) per-channel, Conv")
    add("prelu-1", lambda: lin_act(nn.PReLU()), (4,), 17,
        "Linear, PReLU() single slope, Linear")
    add("hardtanh", lambda: lin_act(nn.Hardtanh(-0.5, 0.75)), (4,), 13,
        "Linear, Hardtanh(-0.5,0.75), Linear")
    add("relu6", lambda: lin_act(nn.ReLU6()), (4,), 11,
        "Linear, ReLU6, Linear at opset 11 (Clip with min/max inputs)")
    add("clamp", lambda: lin_act(Fn(lambda s, x: torch.clamp(x, min=-0.3))),
        (4,), 13, "Linear, clamp(min=-0.3), Linear")
    add("sigmoid", lambda: lin_act(nn.Sigmoid()), (4,), 13,
        "Linear, Sigmoid, Linear (sigmoid inside: not piecewise linear)")
    add("tanh", lambda: lin_act(nn.Tanh()), (4,), 11, "Linear, Tanh, Linear")
    add("elu", lambda: lin_act(nn.ELU()), (4,), 13, "Linear, ELU(1.0), Linear")
    add("softplus", lambda: lin_act(nn.Softplus()), (4,), 13,
        "Linear, Softplus (beta 1), Linear")
    add("gelu", lambda: lin_act(nn.GELU()), (4,), 13,
        "Linear, GELU (erf form), Linear")
    add("gelu-tanh", lambda: lin_act(nn.GELU(approximate="tanh")), (4,), 13,
        "Linear, GELU(approximate='tanh'), Linear")
    add("silu", lambda: lin_act(nn.SiLU()), (4,), 13,
        "Linear, SiLU, Linear (Sigmoid then Mul by the input)")
    add("sigmoid-final", lambda: mlp(4, 6, 3, nn.Sigmoid()), (4,), 17,
        "Linear, ReLU, Linear, Sigmoid at the end")
    add("tanh-final", lambda: mlp(4, 6, 3, nn.Tanh()), (4,), 13,
        "Linear, ReLU, Linear, Tanh at the end")

    # --- realistic
    add("dcgan64", lambda: DCGAN(16, [64, 32, 16, 8], 3, False), (16, 1, 1), 13,
        "DCGAN generator d=16 from (batch,16,1,1): ConvT 4x4 chain "
        "64-32-16-8 with BN+ReLU, Tanh -> (3,64,64)",
        role="decoder", d=16, image=[3, 64, 64], outputs=("image",))
    add("dcgan32", lambda: DCGAN(8, [32, 16, 8], 3, True), (8,), 11,
        "small DCGAN d=8 from (batch,8) via view to (batch,8,1,1): ConvT chain "
        "32-16-8, BN+ReLU, Tanh -> (3,32,32)",
        role="decoder", d=8, image=[3, 32, 32], outputs=("image",))
    add("convvae-dec", lambda: ConvDec(6, 1, 16, 4, nn.Sigmoid()), (6,), 13,
        "conv VAE decoder d=6: Linear, view (16,4,4), ConvT+BN+ReLU, ConvT, "
        "Sigmoid -> (1,16,16)",
        role="decoder", d=6, image=[1, 16, 16], outputs=("image",))
    add("convvae-enc", lambda: ConvEnc(1, 6, False), (1, 16, 16), 13,
        "conv VAE encoder for convvae-dec: (batch,1,16,16) -> one output "
        "(batch,12) = mu (first 6) || logvar (last 6)",
        role="encoder", d=6, image=[1, 16, 16], inputs=("image",),
        outputs=("mulogvar",))
    add("convvae-enc2", lambda: ConvEnc(1, 6, True), (1, 16, 16), 13,
        "conv VAE encoder variant with two outputs mu (batch,6) and logvar "
        "(batch,6); -y is mu, -y1 is logvar",
        role="encoder", d=6, image=[1, 16, 16], inputs=("image",),
        outputs=("mu", "logvar"))
    add("upres", lambda: UpRes(5), (5,), 13,
        "decoder d=5: Linear, view, Upsample nearest x2, Conv, residual block "
        "(Conv,BN,ReLU,Conv,+x), bilinear interpolate x2, Conv, Sigmoid -> "
        "(3,16,16)",
        role="decoder", d=5, image=[3, 16, 16], outputs=("image",))
    add("fixedbatch", lambda: ConvDec(4, 1, 8, 2, nn.Sigmoid()), (4,), 13,
        "conv decoder d=4 exported with a FIXED batch of 1 (no dynamic_axes): "
        "-z/-y hold 1 row -> (1,8,8)",
        role="decoder", d=4, image=[1, 8, 8], dynamic=False,
        outputs=("image",))
    add("mlpflat", lambda: mlp(8, 32, 784, nn.Sigmoid()), (8,), 13,
        "MLP d=8 -> flat (batch,784) sigmoid; image implied 28x28x1",
        role="decoder", d=8, image=[1, 28, 28], outputs=("image",))
    add("mlpflat-rgb", lambda: mlp(6, 16, 192, nn.Sigmoid()), (6,), 17,
        "MLP d=6 -> flat (batch,192) sigmoid with metadata_props "
        "linscope.image=8x8x3",
        role="decoder", d=6, image=[3, 8, 8], outputs=("image",),
        meta={"linscope.image": "8x8x3"})
    add("mlpflat-noimg", lambda: mlp(4, 8, 12, nn.Sigmoid()), (4,), 13,
        "MLP d=4 -> flat (batch,12): not a square, no metadata (the loader "
        "must ask for --image)",
        role="decoder", d=4, image=None, outputs=("image",))
    add("mlp-4d", lambda: Mlp4d(5, 8, 4),
        (5, 1, 1), 13,
        "MLP decoder taking (batch,5,1,1): view to (batch,5), Linear, ReLU, "
        "Linear, Sigmoid, view to (batch,1,4,4)",
        role="decoder", d=5, image=[1, 4, 4], outputs=("image",))
    return F_


# ---------------------------------------------------------------- export

def export_bytes(model, z, opset, inputs, outputs, dynamic, ex=None):
    dyn = None
    if dynamic:
        dyn = {n: {0: "batch"} for n in list(inputs) + list(outputs)}
    buf = io.BytesIO()
    torch.onnx.export(model, (z,), buf, opset_version=opset,
                      input_names=list(inputs), output_names=list(outputs),
                      dynamic_axes=dyn, **(ex or {}))
    return buf.getvalue()


def dims(vi):
    out = []
    for dim in vi.type.tensor_type.shape.dim:
        out.append(dim.dim_param if dim.HasField("dim_param") else dim.dim_value)
    return out


def attr_str(a):
    v = onnx.helper.get_attribute_value(a)
    if isinstance(v, bytes):
        v = v.decode()
    elif isinstance(v, onnx.TensorProto):
        arr = numpy_helper.to_array(v)
        v = ("tensor %s %s" % (onnx.TensorProto.DataType.Name(v.data_type),
                               list(arr.shape))
             + (" " + np.array2string(arr.ravel()[:8], precision=4)
                if arr.size <= 8 else ""))
    elif isinstance(v, list):
        v = [x.decode() if isinstance(x, bytes) else x for x in v]
    return "%s=%s" % (a.name, v)


def describe_graph(name, m):
    g = m.graph
    inits = {t.name: t for t in g.initializer}
    lines = ["== %s  ir_version=%d opset=%s producer=%s %s" % (
        name, m.ir_version,
        ",".join("%s:%d" % (o.domain or "ai.onnx", o.version)
                 for o in m.opset_import),
        m.producer_name, m.producer_version)]
    for vi in g.input:
        lines.append("  input  %s %s%s" % (vi.name, dims(vi),
                     " (also an initializer)" if vi.name in inits else ""))
    for vi in g.output:
        lines.append("  output %s %s" % (vi.name, dims(vi)))
    for t in g.initializer:
        lines.append("  init   %s %s %s" % (
            t.name, onnx.TensorProto.DataType.Name(t.data_type), list(t.dims)))
    for p in m.metadata_props:
        lines.append("  meta   %s=%s" % (p.key, p.value))
    for n in g.node:
        lines.append("  %-20s %s -> %s %s" % (
            n.op_type, list(n.input), list(n.output),
            " ".join(attr_str(a) for a in n.attribute)))
    return lines


def piecewise(m):
    """(piecewise_linear, final_activation) from the graph's data path."""
    g = m.graph
    data = {vi.name for vi in g.input} - {t.name for t in g.initializer}
    pl, final = True, None
    producer = {}
    for n in g.node:
        ins = [i for i in n.input if i in data]
        if any(a.type == onnx.AttributeProto.GRAPH for a in n.attribute):
            ins = ins or ["(outer scope)"]   # If: its subgraphs read data
        if n.op_type == "Shape" or not ins:
            continue                      # shape or constant arithmetic
        data.update(n.output)
        for o in n.output:
            producer[o] = n
        if n.op_type in ("Mul",) and len(ins) == 2:
            pl = False
        elif n.op_type == "Div" and n.input[1] in data:
            pl = False
        elif n.op_type not in PL_OPS and n.op_type not in FINAL_ACT:
            pl = False
    finals = set()
    for vi in g.output:
        n = producer.get(vi.name)
        while n is not None and n.op_type in VIEW_OPS:
            n = producer.get(n.input[0])
        if n is not None and n.op_type in FINAL_ACT:
            finals.add(n.output[0])
            final = FINAL_ACT[n.op_type]
    for n in g.node:
        if n.op_type in FINAL_ACT and n.output[0] in data and \
                n.output[0] not in finals:
            pl = False
    return pl, final


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def save_npy(path, arr):
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(arr, dtype="<f4"))
    write(path, buf.getvalue())


def make_input(fx, gen):
    rows = ROWS if fx["dynamic"] else 1
    return torch.randn((rows,) + tuple(fx["shape"]), generator=gen)


def build(fx):
    torch.manual_seed(seed_of(fx["name"]))
    gen = torch.Generator().manual_seed(seed_of(fx["name"]) + 1)
    model = fx["make"]()
    with torch.no_grad():
        randomize(model, gen)
    model.eval()
    z = make_input(fx, gen)
    if fx["role"] == "encoder":
        z = torch.rand(z.shape, generator=gen)   # images in [0,1]
    with torch.no_grad():
        y = model(z)
    ys = list(y) if isinstance(y, tuple) else [y]
    return model, z, ys


def main():
    os.makedirs(OUT, exist_ok=True)
    manifest = {"generated_by": "tools/make_onnx_fixtures.py",
                "torch": torch.__version__, "onnx": onnx.__version__,
                "fixtures": [], "bad": []}
    graphs = []
    keep = {}
    for fx in fixtures():
        model, z, ys = build(fx)
        data = export_bytes(model, z, fx["opset"], fx["inputs"],
                            fx["outputs"], fx["dynamic"], fx["ex"])
        m = onnx.load_from_string(data)
        if fx["meta"]:
            for k, v in fx["meta"].items():
                p = m.metadata_props.add()
                p.key, p.value = k, v
            data = m.SerializeToString()
        onnx.checker.check_model(m)
        name = fx["name"]
        keep[name] = (model, m, data)
        write(os.path.join(OUT, name + ".onnx"), data)
        save_npy(os.path.join(OUT, name + "-z.npy"), z.numpy())
        files = [name + ".onnx", name + "-z.npy"]
        for i, y in enumerate(ys):
            suffix = "-y.npy" if i == 0 else "-y%d.npy" % i
            save_npy(os.path.join(OUT, name + suffix), y.numpy())
            files.append(name + suffix)
        pl, final = piecewise(m)
        ops = sorted({n.op_type for n in m.graph.node})
        manifest["fixtures"].append({
            "name": name, "file": name + ".onnx", "files": files,
            "role": fx["role"], "opset": fx["opset"],
            "ir_version": m.ir_version,
            "dynamic_batch": fx["dynamic"],
            "inputs": [{"name": vi.name, "shape": dims(vi)}
                       for vi in m.graph.input],
            "outputs": [{"name": vi.name, "shape": dims(vi)}
                        for vi in m.graph.output],
            "z_shape": list(z.shape), "y_shapes": [list(y.shape) for y in ys],
            "d": fx["d"], "image": fx["image"],
            "metadata": fx["meta"],
            "piecewise_linear": pl, "final_activation": final,
            "op_types": ops,
            "nodes": len(m.graph.node),
            "params": int(sum(p.numel() for p in model.parameters())),
            "description": fx["desc"]})
        graphs += describe_graph(name, m) + [""]
    bad(manifest, keep, graphs)
    write(os.path.join(OUT, "MANIFEST.json"),
          (json.dumps(manifest, indent=1) + "\n").encode())
    write(os.path.join(OUT, "GRAPHS.txt"), ("\n".join(graphs) + "\n").encode())
    write(os.path.join(OUT, "README.md"), readme(manifest).encode())


README_HEAD = """\
# ONNX fixtures

Made by `tools/make_onnx_fixtures.py` (run it from the top of the source tree
with Debian's python3-torch, python3-onnx and python3-numpy; it is seeded and
gives byte-identical files on a second run). Do not edit these files by hand:
change the script and run it again.

Every model is a tiny PyTorch module with seeded weights (BatchNorm running
statistics, PReLU slopes and norm affines are randomized so that none is
trivial), put in eval mode and exported by `torch.onnx.export` (torch %s,
onnx %s) with input and output names as listed and, unless noted, the batch
axis dynamic (`dynamic_axes={name: {0: "batch"}}`, so dim 0 is the symbol
`batch`). The exported file is read back with `onnx.load` and checked with
`onnx.checker.check_model`.

For each fixture NAME:

* `NAME.onnx`: the graph;
* `NAME-z.npy`: float32 input, 5 rows (1 for `fixedbatch`), standard normal
  for op and decoder fixtures, uniform [0,1) images for encoders;
* `NAME-y.npy`: float32 output of the PyTorch model on it (and `NAME-y1.npy`,
  the second output, for `convvae-enc2`).

`MANIFEST.json` has, per fixture: files, opset, ir_version, the graph's input
and output names and shapes (symbolic dims as strings, e.g. `"batch"` or the
exporter's invented names like `"Resizey_dim_1"`), the .npy shapes, the latent
size `d` (null for op fixtures whose input is not a latent), the image shape
`[C, H, W]` (decoder output or encoder input; null when there is none),
`piecewise_linear` (true iff on the path from the input only affine, ReLU-like,
pooling, resampling, padding and view ops appear, Mul/Div only by values that
do not depend on the input, apart from a final Sigmoid/Tanh), the
`final_activation` (`"sigmoid"`, `"tanh"` or null; views after it are
allowed), the sorted op_types, and a one-line description. `GRAPHS.txt` lists
every node of every graph with its inputs, outputs and attributes, every
initializer with its shape, and the graph inputs and outputs.

Opsets: 11, 13 and 17 are all used (see the table); ir_version is 6 at opset
11, 7 at opset 13 and 8 at opset 17; the only opset domain is the default
one (`ai.onnx`, empty string in the file).

## Fixtures

| name | opset | input | output | pl / final | op types | description |
| --- | --- | --- | --- | --- | --- | --- |
"""

README_FACTS = """
## What torch 1.13's exporter writes (read from these files)

* File: ir_version 6/7/8 for opset 11/13/17; one opset_import (domain "");
  producer "pytorch" "1.13.0"; no doc strings, no value_info; every node
  has a name ("/fc/Gemm"). Every initializer is FLOAT with `raw_data`
  (little-endian); every Constant's `value` tensor uses `raw_data` too.
  Graph inputs are only the real inputs, except with
  `keep_initializers_as_inputs=True` (`gemm-initinputs`), where every
  initializer is also a graph input.
* Weights are initializers. Constant nodes hold small things: Reshape
  shapes, Slice/Squeeze/Unsqueeze/Gather indices (INT64), Resize scales,
  Clip bounds, Pad amounts and value, arithmetic scalars (FLOAT, rank 0),
  and the all-ones scale / all-zeros bias of InstanceNormalization when
  there is no affine (`instnorm-noaffine`, `groupnorm`).
* Initializer names: `NAME.weight` etc. from the module, or `weight`/`bias`
  when the module itself is exported; exporter-made ones are `onnx::OP_N`:
  a Conv with a BatchNorm folded in (`bn-fold`, the residual block of
  `upres`), `Linear(bias=False)` (MatMul with a PRE-TRANSPOSED [in,out]
  weight, `gemm-nobias`), PReLU slopes, GroupNorm's affine.
* Output shapes are often symbolic beyond the batch: after a Reshape with
  -1, a Pad or a Resize by sizes the exporter invents names such as
  `Reshapey_dim_1`, `Pady_dim_2`, `Sigmoidimage_dim_2`. Infer shapes by
  running the graph, not from the declared output.
* Gemm: always alpha=1.0 beta=1.0 transB=1 (no transA), B = weight
  [out,in], C = bias [out]. nn.Linear without bias is a MatMul.
* Conv/ConvTranspose: always dilations, group, kernel_shape, pads
  [h_begin, w_begin, h_end, w_end], strides; ConvTranspose adds
  output_padding only when it is non-zero; never auto_pad or output_shape.
  ConvTranspose weight is [C_in, C_out/group, kH, kW].
* BatchNormalization (kept when it follows ConvTranspose or nothing, or
  with TrainingMode.PRESERVE): epsilon, momentum=0.9, and training_mode=0 at
  opset 17; one output.
* LayerNorm: LayerNormalization (axis=-1 or -3, epsilon) at opset 17;
  ReduceMean(axes=[-1]), Sub, Pow 2, ReduceMean, Add eps, Sqrt, Div, Mul,
  Add at opset 13. InstanceNorm2d: InstanceNormalization. GroupNorm(G, C):
  Reshape to [0, G, -1] (0 copies a dim!), InstanceNormalization with
  Constant ones/zeros [G], Reshape back to Shape(x), Mul by [C,1,1], Add
  [C,1,1].
* Resize (nn.Upsample, F.interpolate): inputs (X, roi, scales) with scales a
  Constant [1,1,s,s]; roi is an empty FLOAT Constant at opset 11 and the
  empty name "" at 13/17. With size=(H,W) the inputs are (X, "", "", sizes)
  where sizes = Concat(Slice(Shape(X), 0, 2), [H,W]). nearest: mode=nearest,
  coordinate_transformation_mode=asymmetric, nearest_mode=floor; bilinear:
  mode=linear, half_pixel (align_corners=True: align_corners);
  cubic_coeff_a=-0.75 always present.
* Pad (F.pad): pads is an INT64 input computed by a subgraph of Constant,
  ConstantOfShape, Concat, Reshape, Slice (steps -1), Transpose, Reshape,
  Cast(to=INT64) that the exporter does not fold; the result is in ONNX
  order [x1_begin, x2_begin, ..., x1_end, ...]. constant_value is a third
  input (scalar Constant) when the value is not 0, else the empty name ""
  (mode constant, any opset); reflect and edge (replicate) have 2 inputs.
* AvgPool2d with count_include_pad=True (the default) is an explicit Pad
  (zeros, Constant pads, even all-zero pads) then AveragePool with pads 0;
  with count_include_pad=False it is AveragePool with pads and no
  count_include_pad attribute. Pools always carry ceil_mode=0.
* Clip (Hardtanh, ReLU6, clamp): min and max are inputs (scalar
  Constants), max "" when absent. LeakyRelu alpha=0.2f. PRelu slope
  [C,1,1] per channel, [1] single.
* Squeeze/Unsqueeze: axes attribute at opset 11, INT64 input at 13/17.
  Slice: starts, ends, axes, steps inputs. x[:, :, i] is Gather with a
  rank-0 index. Flatten axis=1. Reshape carries allowzero=0 at opset 17.
  `x.view(x.shape[0], -1)` is Shape, Gather, Unsqueeze, Concat, Reshape
  (`mlp-4d`). `.squeeze(dim)` of a tensor whose dims the exporter lost is
  an If with two subgraphs (`squeeze-if`).
* GELU: Div 1.4142, Erf, Add 1, Mul x, Mul 0.5; tanh form: Mul, Mul, Mul
  0.044715, Add, Mul 0.7979, Tanh, Add 1, Mul, Mul 0.5. SiLU: Sigmoid, Mul.
  Softplus (no attribute), Elu alpha=1.0.
"""

README_BAD = """
## Bad files (no -z/-y)

| file | what is wrong |
| --- | --- |
"""


def readme(man):
    def sh(io):
        return "; ".join("%s %s" % (x["name"], "(" + ",".join(
            str(v) for v in x["shape"]) + ")") for x in io)
    out = [README_HEAD % (man["torch"], man["onnx"])]
    for f in man["fixtures"]:
        pl = ("yes" if f["piecewise_linear"] else "no") + (
            " / " + f["final_activation"] if f["final_activation"] else "")
        out.append("| `%s` | %d | %s | %s | %s | %s | %s%s |\n" % (
            f["name"], f["opset"], sh(f["inputs"]), sh(f["outputs"]), pl,
            " ".join(f["op_types"]), f["description"],
            "" if f["dynamic_batch"] else " **(fixed batch 1)**"))
    out.append(README_FACTS)
    out.append(README_BAD)
    for b in man["bad"]:
        out.append("| `%s` | %s |\n" % (b["file"], b["description"]))
    return "".join(out)


# ---------------------------------------------------------------- bad files

def one_storage(sd):
    """The state dict with every tensor a view of one flat storage."""
    flat = torch.cat([v.reshape(-1) for v in sd.values()])
    out, off = type(sd)(), 0
    for k, v in sd.items():
        out[k] = flat[off:off + v.numel()].view(v.shape)
        off += v.numel()
    out._metadata = sd._metadata
    return out


class _StablePickler(pickle._Pickler):
    """The legacy format names storages by their address (str(_cdata));
    with one storage, naming it "0" makes the file reproducible."""
    def __setattr__(self, key, value):
        if key == "persistent_id":
            def pid(obj, inner=value):
                r = inner(obj)
                if isinstance(r, tuple) and r[0] == "storage":
                    r = r[:2] + ("0",) + r[3:]
                return r
            value = pid
        super().__setattr__(key, value)


class StablePickle:
    Pickler = _StablePickler

    @staticmethod
    def dump(obj, f, protocol):
        if isinstance(obj, list):        # the storage keys
            assert len(obj) == 1
            obj = ["0"]
        pickle.dump(obj, f, protocol=protocol)


def bad(manifest, keep, graphs):
    def note(file, desc, **kw):
        manifest["bad"].append(dict(file=file, description=desc, **kw))

    # a valid file cut in half
    data = keep["convvae-dec"][2]
    write(os.path.join(OUT, "bad-truncated.onnx"), data[:len(data) // 2])
    note("bad-truncated.onnx", "first half (%d of %d bytes) of convvae-dec.onnx"
         % (len(data) // 2, len(data)))

    # text: 'l' (0x6c) is field 13 with wire type 4 (end group) -> parse error
    text = b"linscope test fixture: this is not an ONNX model, just text.\n" * 4
    write(os.path.join(OUT, "bad-notonnx.onnx"), text)
    note("bad-notonnx.onnx", "plain ASCII text, not protobuf")

    # an op outside the runtime's list
    torch.manual_seed(seed_of("bad-unsupported-op"))
    model = Fn(lambda s, x: torch.cos(s.fc(x)), fc=nn.Linear(4, 6)).eval()
    z = torch.zeros(1, 4)
    data = export_bytes(model, z, 13, ("z",), ("y",), True)
    m = onnx.load_from_string(data)
    onnx.checker.check_model(m)
    write(os.path.join(OUT, "bad-unsupported-op.onnx"), data)
    note("bad-unsupported-op.onnx", "Linear(4,6) then torch.cos -> Cos node",
         op_types=sorted({n.op_type for n in m.graph.node}), opset=13)
    graphs += describe_graph("bad-unsupported-op", m) + [""]

    # a node input left dangling: drop an initializer
    m = onnx.load_from_string(keep["mlpflat-noimg"][2])
    removed = m.graph.initializer[0].name
    del m.graph.initializer[0]
    write(os.path.join(OUT, "bad-missing-init.onnx"), m.SerializeToString())
    note("bad-missing-init.onnx", "mlpflat-noimg with initializer %r removed: "
         "a Gemm input names no tensor" % removed, removed=removed)

    # weights in an external file (companion file shipped beside it)
    m = onnx.load_from_string(keep["gemm"][2])
    loc = "bad-external-data.onnx.data"
    if os.path.exists(os.path.join(OUT, loc)):
        os.remove(os.path.join(OUT, loc))    # onnx appends to it
    onnx.external_data_helper.convert_model_to_external_data(
        m, all_tensors_to_one_file=True, location=loc, size_threshold=0)
    onnx.save_model(m, os.path.join(OUT, "bad-external-data.onnx"))
    note("bad-external-data.onnx", "gemm.onnx saved with external data: its "
         "initializers have data_location=EXTERNAL and live in the companion "
         "file %s" % loc, companion=loc)

    # a weight whose shape does not chain: Gemm B of mlpflat-noimg's 2nd
    # layer grows from (12,8) to (12,9), so (batch,8) x (9,12)^T cannot fit
    m = onnx.load_from_string(keep["mlpflat-noimg"][2])
    gemms = [n for n in m.graph.node if n.op_type == "Gemm"]
    wname = gemms[1].input[1]
    for i, t in enumerate(m.graph.initializer):
        if t.name == wname:
            w = numpy_helper.to_array(t)
            w2 = np.concatenate([w, np.zeros((w.shape[0], 1), w.dtype)], 1)
            m.graph.initializer[i].CopyFrom(numpy_helper.from_array(w2, wname))
            shape = list(w2.shape)
    write(os.path.join(OUT, "bad-chain.onnx"), m.SerializeToString())
    note("bad-chain.onnx", "mlpflat-noimg with the second Gemm's weight %r "
         "widened to %s: the hidden (batch,8) does not fit" % (wname, shape),
         weight=wname, shape=shape)

    # PyTorch checkpoints, not ONNX
    sd = keep["mlpflat-noimg"][0].state_dict()
    buf = io.BytesIO()
    torch.save(sd, buf)
    write(os.path.join(OUT, "bad-checkpoint.pt"), buf.getvalue())
    note("bad-checkpoint.pt", "torch.save(state_dict) of mlpflat-noimg, zip "
         "format (starts with PK)")
    buf = io.BytesIO()
    torch.save(one_storage(sd), buf, pickle_module=StablePickle,
               _use_new_zipfile_serialization=False)
    write(os.path.join(OUT, "bad-checkpoint-legacy.pt"), buf.getvalue())
    note("bad-checkpoint-legacy.pt", "the same with "
         "_use_new_zipfile_serialization=False (legacy pickle format)")


if __name__ == "__main__":
    main()
