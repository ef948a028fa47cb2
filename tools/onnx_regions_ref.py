#!/usr/bin/python3
"""An independent float64 reference for exact 1-D and 2-D regions of ONNX networks.

Evaluates an ONNX graph with numpy in float64 (its own implementation of
Conv, ConvTranspose, BatchNormalization, Gemm, MaxPool, Relu, Add, Reshape,
Tanh/Sigmoid and constants; nothing shared with linscope), records the
activation pattern (Relu: input > 0; MaxPool: the argmax of each window) at
densely sampled points of a segment z0 + t u, and locates every pattern
change by recursive bisection to 1e-12. Writes NAME-regions.json next to
the fixture:
    {"a": A, "b": B, "z0": [...], "u": [...], "breakpoints": [...]}

With --2d it writes NAME-regions2d.json instead: the plane z0 + s u + t v
over the box [s0, s1] x [t0, t1] (--box S0,S1,T0,T1, default -1,1,-1,1)
sampled at the centres of an N x N grid of cells (--grid N, default 160),
each sample's pattern numbered in order of first appearance ("classes",
row-major with t outer: index j * N + i for s_i, t_j), -1 where the
sample lies within 1e-9 (relative) of a boundary (a Relu input near 0, or
a MaxPool window's two largest values near equal), and "count", the
number of distinct patterns sampled. An exact region map must put two
samples in one polygon iff they have one class.
    {"box": [...], "n": N, "z0": [...], "u": [...], "v": [...],
     "classes": [...], "count": K}

Usage (from the top of the source tree, with python3-onnx and numpy):
    tools/onnx_regions_ref.py tests/fixtures/onnx/dcgan32.onnx [more.onnx...]
    tools/onnx_regions_ref.py --2d [--box S0,S1,T0,T1] [--grid N] NAME.onnx
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


MARGIN = []   # per evaluated layer: relative distance of each sample to a break


def margin(gap, scale):
    MARGIN.append(gap.min(axis=1) / (1 + scale.max(axis=1)))


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
    top = np.sort(cands, axis=0)
    fin = np.where(np.isfinite(top), top, 0)
    margin((top[-1] - top[-2]).reshape(x.shape[0], -1),
           np.abs(fin).max(axis=0).reshape(x.shape[0], -1))
    return cands.max(axis=0)


def resize(x, scales, at):
    """Nearest (asymmetric, floor) and linear (half_pixel) Resize of NCHW."""
    mode = at.get("mode", b"nearest").decode()
    ctm = at.get("coordinate_transformation_mode", b"half_pixel").decode()
    for ax in (2, 3):
        n = x.shape[ax]
        o = int(np.floor(n * scales[ax]))
        if mode == "nearest":
            assert ctm == "asymmetric" and at.get("nearest_mode", b"floor") == b"floor"
            src = np.minimum(np.floor(np.arange(o) / scales[ax]).astype(int), n - 1)
            x = np.take(x, src, axis=ax)
        else:
            assert mode == "linear" and ctm == "half_pixel"
            c = np.clip((np.arange(o) + 0.5) / scales[ax] - 0.5, 0, n - 1)
            i0 = np.floor(c).astype(int)
            i1 = np.minimum(i0 + 1, n - 1)
            w = (c - i0).reshape([-1 if a == ax else 1 for a in range(4)])
            x = np.take(x, i0, axis=ax) * (1 - w) + np.take(x, i1, axis=ax) * w
    return x


def run(model, z, outs=None):
    """Pattern (rows of ints) of a batch z; the graph's first output is
    appended to outs when given."""
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
        elif op == "LeakyRelu":
            y = np.where(x[0] > 0, x[0], at.get("alpha", 0.01) * x[0])
        elif op == "Relu":
            pat.append((x[0] > 0).reshape(x[0].shape[0], -1))
            flat = x[0].reshape(x[0].shape[0], -1)
            margin(np.abs(flat), np.abs(flat))
            y = np.maximum(x[0], 0)
        elif op == "MaxPool":
            y = maxpool(x[0], at, pat)
        elif op == "Resize":
            y = resize(x[0], x[2], at)
        elif op == "Add":
            y = x[0] + x[1]
        elif op == "Tanh":
            y = np.tanh(x[0])
        elif op == "Sigmoid":
            y = 1 / (1 + np.exp(-x[0]))
        else:
            raise SystemExit("onnx_regions_ref: %s is not implemented here" % op)
        env[node.output[0]] = y
    if outs is not None:
        outs.append(env[g.output[0].name])
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


def plane(path, box, n):
    model = onnx.load(path)
    d = int(np.prod([x.dim_value for x in model.graph.input[0].type.tensor_type.shape.dim[1:]]))
    rng = np.random.default_rng(11)
    z0 = rng.standard_normal(d).astype(np.float32).astype(np.float64)
    uv = []
    for _ in range(2):
        w = rng.standard_normal(d)
        uv.append((w / np.linalg.norm(w)).astype(np.float32).astype(np.float64))
    s = box[0] + (np.arange(n) + 0.5) * (box[1] - box[0]) / n
    t = box[2] + (np.arange(n) + 0.5) * (box[3] - box[2]) / n
    ss, tt = np.meshgrid(s, t)          # row j (t), column i (s)
    pts = z0[None, :] + ss.reshape(-1, 1) * uv[0][None, :] + tt.reshape(-1, 1) * uv[1][None, :]
    ids, classes = {}, []
    for k in range(0, len(pts), 1000):
        del MARGIN[:]
        rows = run(model, pts[k:k + 1000])
        mg = np.min(np.stack(MARGIN), axis=0) if MARGIN else np.ones(len(rows))
        for r, m in zip(rows, mg):
            key = r.tobytes()
            if key not in ids:
                ids[key] = len(ids)
            classes.append(ids[key] if m > 1e-9 else -1)
    out = path[:-5] + "-regions2d.json"
    with open(out, "w") as f:
        json.dump({"box": box, "n": n, "z0": z0.tolist(), "u": uv[0].tolist(),
                   "v": uv[1].tolist(), "classes": classes, "count": len(ids)}, f)
        f.write("\n")
    print("%s: %d patterns on a %dx%d grid, %d samples near a boundary" %
          (out, len(ids), n, n, classes.count(-1)))


def main():
    if sys.argv[1:2] == ["--2d"]:
        args, box, n = sys.argv[2:], [-1.0, 1.0, -1.0, 1.0], 160
        while args and args[0].startswith("--"):
            if args[0] == "--box":
                box = [float(v) for v in args[1].split(",")]
            elif args[0] == "--grid":
                n = int(args[1])
            args = args[2:]
        for path in args:
            plane(path, box, n)
        return
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
