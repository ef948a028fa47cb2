#!/usr/bin/python3
"""An independent float64 reference for exact 1-D regions of ONNX networks.

Evaluates an ONNX graph with numpy in float64 (its own implementation of
Conv, ConvTranspose, BatchNormalization, Gemm, MaxPool, Relu, Add, Reshape,
Tanh/Sigmoid and constants; nothing shared with linscope), records the
activation pattern (Relu: input > 0; MaxPool: the argmax of each window) at
densely sampled points of a segment z0 + t u, and locates every pattern
change by recursive bisection to 1e-12. Writes NAME-regions.json next to
the fixture:
    {"a": A, "b": B, "z0": [...], "u": [...], "breakpoints": [...]}

Usage (from the top of the source tree, with python3-onnx and numpy):
    tools/onnx_regions_ref.py tests/fixtures/onnx/dcgan32.onnx [more.onnx...]
"""
import json
import sys

import numpy as np
import onnx
from onnx import numpy_helper

SAMPLES = 20001


def attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def conv(x, w, b, at):
    s = at.get("strides", [1, 1])
    p = at.get("pads", [0, 0, 0, 0])
    d = at.get("dilations", [1, 1])
    assert at.get("group", 1) == 1
    x = np.pad(x, ((0, 0), (0, 0), (p[0], p[2]), (p[1], p[3])))
    kh, kw = w.shape[2:]
    oh = (x.shape[2] - d[0] * (kh - 1) - 1) // s[0] + 1
    ow = (x.shape[3] - d[1] * (kw - 1) - 1) // s[1] + 1
    y = np.zeros((x.shape[0], w.shape[0], oh, ow))
    for i in range(kh):
        for j in range(kw):
            patch = x[:, :, i * d[0]:i * d[0] + s[0] * (oh - 1) + 1:s[0],
                      j * d[1]:j * d[1] + s[1] * (ow - 1) + 1:s[1]]
            y += np.einsum("nchw,oc->nohw", patch, w[:, :, i, j])
    return y + (b.reshape(1, -1, 1, 1) if b is not None else 0)


def conv_t(x, w, b, at):
    s = at.get("strides", [1, 1])
    p = at.get("pads", [0, 0, 0, 0])
    d = at.get("dilations", [1, 1])
    op = at.get("output_padding", [0, 0])
    assert at.get("group", 1) == 1
    n, c, ih, iw = x.shape
    kh, kw = w.shape[2:]
    fh = (ih - 1) * s[0] + d[0] * (kh - 1) + 1 + op[0]
    fw = (iw - 1) * s[1] + d[1] * (kw - 1) + 1 + op[1]
    full = np.zeros((n, w.shape[1], fh, fw))
    for i in range(kh):
        for j in range(kw):
            full[:, :, i * d[0]:i * d[0] + s[0] * (ih - 1) + 1:s[0],
                 j * d[1]:j * d[1] + s[1] * (iw - 1) + 1:s[1]] += \
                np.einsum("nchw,co->nohw", x, w[:, :, i, j])
    y = full[:, :, p[0]:fh - p[2], p[1]:fw - p[3]]
    return y + (b.reshape(1, -1, 1, 1) if b is not None else 0)


def maxpool(x, at, pat):
    k = at["kernel_shape"]
    s = at.get("strides", [1, 1])
    p = at.get("pads", [0, 0, 0, 0])
    x = np.pad(x, ((0, 0), (0, 0), (p[0], p[2]), (p[1], p[3])), constant_values=-np.inf)
    oh = (x.shape[2] - k[0]) // s[0] + 1
    ow = (x.shape[3] - k[1]) // s[1] + 1
    cands = np.stack([x[:, :, i:i + s[0] * (oh - 1) + 1:s[0], j:j + s[1] * (ow - 1) + 1:s[1]]
                      for i in range(k[0]) for j in range(k[1])])
    pat.append(np.argmax(cands, axis=0).reshape(x.shape[0], -1))
    return cands.max(axis=0)


def run(model, z):
    """Output and pattern (rows of ints) of a batch z."""
    g = model.graph
    env = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in g.initializer}
    env[g.input[0].name] = z.reshape([z.shape[0]] + [d.dim_value for d in
                                      g.input[0].type.tensor_type.shape.dim[1:]])
    pat = []
    for node in g.node:
        at = attrs(node)
        x = [env[i] if i else None for i in node.input]
        op = node.op_type
        if op == "Constant":
            y = numpy_helper.to_array(at["value"])
        elif op == "Reshape":
            sh = [int(v) for v in x[1]]
            sh[0] = x[0].shape[0]
            y = x[0].reshape(sh)
        elif op == "Gemm":
            w = x[1].T if at.get("transB", 0) else x[1]
            y = x[0] @ w + (x[2] if len(x) > 2 else 0)
        elif op == "Conv":
            y = conv(x[0], x[1], x[2] if len(x) > 2 else None, at)
        elif op == "ConvTranspose":
            y = conv_t(x[0], x[1], x[2] if len(x) > 2 else None, at)
        elif op == "BatchNormalization":
            sc = x[1] / np.sqrt(x[4] + at.get("epsilon", 1e-5))
            y = x[0] * sc.reshape(1, -1, 1, 1) + (x[2] - x[3] * sc).reshape(1, -1, 1, 1)
        elif op == "Relu":
            pat.append((x[0] > 0).reshape(x[0].shape[0], -1))
            y = np.maximum(x[0], 0)
        elif op == "MaxPool":
            y = maxpool(x[0], at, pat)
        elif op == "Add":
            y = x[0] + x[1]
        elif op == "Tanh":
            y = np.tanh(x[0])
        elif op == "Sigmoid":
            y = 1 / (1 + np.exp(-x[0]))
        else:
            raise SystemExit("onnx_regions_ref: %s is not implemented here" % op)
        env[node.output[0]] = y
    if not pat:
        return np.zeros((z.shape[0], 1), dtype=np.int64)
    rows = np.concatenate([p.astype(np.int64) for p in pat], axis=1)
    return rows


def breakpoints(model, z0, u, a, b):
    def pattern(ts):
        return run(model, z0[None, :] + np.asarray(ts)[:, None] * u[None, :])

    def split(t0, t1, p0, p1, out):
        if (p0 == p1).all():
            return
        if t1 - t0 < 1e-12:
            out.append(0.5 * (t0 + t1))
            return
        tm = 0.5 * (t0 + t1)
        pm = pattern([tm])[0]
        split(t0, tm, p0, pm, out)
        split(tm, t1, pm, p1, out)

    ts = np.linspace(a, b, SAMPLES)
    pats = np.concatenate([pattern(ts[i:i + 2000]) for i in range(0, SAMPLES, 2000)])
    out = []
    for i in range(SAMPLES - 1):
        split(ts[i], ts[i + 1], pats[i], pats[i + 1], out)
    return out


def main():
    for path in sys.argv[1:]:
        model = onnx.load(path)
        d = int(np.prod([x.dim_value for x in model.graph.input[0].type.tensor_type.shape.dim[1:]]))
        rng = np.random.default_rng(7)
        z0 = rng.standard_normal(d).astype(np.float32).astype(np.float64)
        u = rng.standard_normal(d)
        u = (u / np.linalg.norm(u)).astype(np.float32).astype(np.float64)
        a, b = -3.0, 3.0
        bp = breakpoints(model, z0, u, a, b)
        with open(path[:-5] + "-regions.json", "w") as f:
            json.dump({"a": a, "b": b, "z0": z0.tolist(), "u": u.tolist(), "breakpoints": bp},
                      f, indent=1)
            f.write("\n")
        print("%s: %d breakpoints" % (path, len(bp)))


if __name__ == "__main__":
    main()
