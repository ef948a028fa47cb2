#!/usr/bin/python3
"""Colour fixtures for the ONNX encoder and paint (tests/unit/test-rgb.c).

1. A seeded 64x64 colour image with 216 colours (a 6x6x6 cube, so the
   same pixels fit a palette), written as RGB, RGBA (alpha 255) and
   palette PNGs (tests/fixtures/onnx/rgb64{,-rgba,-pal}.png, written here
   with zlib: no image library), and the mean (first 32 of mu || logvar)
   of the bundled faces encoder (assets/faces-encoder.onnx) on it,
   evaluated in float64 by the numpy graph evaluator of
   tools/onnx_regions_ref.py (pixels / 255 in CHW: the model's range is
   [0, 1]).
2. Paint on a colour decoder: the top right singular vector of the
   Jacobian rows of a pixel rectangle (all three channels) of
   tests/fixtures/onnx/dcgan32.onnx at a seeded z, the Jacobian by central
   differences (h = 1e-6) of that float64 evaluator, oriented so that the
   rectangle's sum grows; and the top singular value (the gain).
3. The linearity meter on that decoder at that z along seeded unit u, v
   (steps 0.3, 0.2): homogeneity, additivity, first-order share as
   linearity.h defines them, J u by central differences.
4. SeFa on tests/fixtures/onnx/dcgan64.onnx: the top 3 eigenpairs of
   A^T A, A the first ConvTranspose (from 1x1, no padding) as a matrix:
   A^T A = W W^T with W the weight (d, C, 4, 4) flattened to (d, C*16).

Writes tests/fixtures/onnx/rgb-fixtures.json. Run from the top of the
source tree with python3-onnx and numpy; seeded, byte-identical reruns.
"""
import json
import os
import struct
import sys
import zlib

import numpy as np
import onnx
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import onnx_regions_ref as ref  # noqa: E402

F = "tests/fixtures/onnx/"


def png(path, width, height, ctype, rows, plte=None):
    def chunk(t, data):
        c = struct.pack(">I", len(data)) + t + data
        return c + struct.pack(">I", zlib.crc32(t + data) & 0xffffffff)
    raw = b"".join(b"\0" + r for r in rows)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, ctype, 0, 0, 0))
    if plte is not None:
        out += chunk(b"PLTE", plte)
    out += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(out)


def image():
    rng = np.random.default_rng(5)
    yy, xx = np.mgrid[0:64, 0:64] / 63.0
    img = np.stack([0.5 + 0.4 * np.sin(6 * xx + 2 * yy), yy, 0.5 + 0.4 * np.cos(5 * yy - 3 * xx)], -1)
    img[20:44, 24:40] = [0.8, 0.6, 0.4]            # a face-coloured block
    img += 0.05 * rng.standard_normal(img.shape)
    q = np.clip(np.rint(np.clip(img, 0, 1) * 5), 0, 5).astype(np.int64)   # 6 levels
    return q                                        # (64, 64, 3) in 0..5


def encoder(q):
    rgb = (q * 51).astype(np.uint8)
    png(F + "rgb64.png", 64, 64, 2, [rgb[y].tobytes() for y in range(64)])
    rgba = np.concatenate([rgb, np.full((64, 64, 1), 255, np.uint8)], -1)
    png(F + "rgb64-rgba.png", 64, 64, 6, [rgba[y].tobytes() for y in range(64)])
    idx = (q[..., 0] * 36 + q[..., 1] * 6 + q[..., 2]).astype(np.uint8)
    pal = bytes(v for i in range(216) for v in (51 * (i // 36), 51 * (i // 6 % 6), 51 * (i % 6)))
    png(F + "rgb64-pal.png", 64, 64, 3, [idx[y].tobytes() for y in range(64)], pal)
    x = rgb.astype(np.float64).transpose(2, 0, 1)[None] / 255.0
    outs = []
    ref.run(onnx.load("assets/faces-encoder.onnx"), x.reshape(1, -1), outs)
    return outs[0].reshape(-1)[:32].tolist()


def paint():
    model = onnx.load(F + "dcgan32.onnx")
    rng = np.random.default_rng(9)
    z = rng.standard_normal(8).astype(np.float32).astype(np.float64)
    rect = [10, 4, 20, 12]                          # x0, y0, x1, y1 (half-open)
    h = 1e-6

    def f(zz):
        outs = []
        ref.run(model, zz, outs)
        return outs[0].reshape(zz.shape[0], 3, 32, 32)
    zs = np.concatenate([z + h * np.eye(8), z - h * np.eye(8)])
    y = f(zs)
    J = (y[:8] - y[8:]) / (2 * h)                   # (8, 3, 32, 32): column i of J
    M = J[:, :, rect[1]:rect[3], rect[0]:rect[2]].reshape(8, -1).T
    _, s, vt = np.linalg.svd(M, full_matrices=False)
    u = vt[0]
    if M.sum(axis=0) @ u < 0:
        u = -u
    return {"z": z.tolist(), "rect": rect, "u": u.tolist(), "gain": float(s[0]),
            "second": float(s[1])}


def linearity(z):
    model = onnx.load(F + "dcgan32.onnx")
    rng = np.random.default_rng(13)
    uv = []
    for _ in range(2):
        w = rng.standard_normal(8)
        uv.append((w / np.linalg.norm(w)).astype(np.float32).astype(np.float64))
    u, v = uv
    h, k, e = 0.3, 0.2, 1e-6
    pts = np.stack([z, z + h * u, z + 2 * h * u, z + k * v, z + h * u + k * v, z + e * u, z - e * u])
    outs = []
    ref.run(model, pts, outs)
    g0, g1, g2, gv, guv, gp, gm = outs[0].reshape(7, -1)
    d1 = np.linalg.norm(g1 - g0)
    D, L = g1 - g0, h * (gp - gm) / (2 * e)
    share = 1 - ((D - L) ** 2).sum() / (D ** 2).sum()
    return {"u": u.tolist(), "v": v.tolist(), "h": h, "k": k,
            "homogeneity": float(np.linalg.norm(g2 - g0 - 2 * (g1 - g0)) / (2 * d1)),
            "additivity": float(np.linalg.norm(guv - g1 - gv + g0) / (d1 + np.linalg.norm(gv - g0))),
            "first_order": float(min(1, max(0, share)))}


def sefa():
    model = onnx.load(F + "dcgan64.onnx")
    inits = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in model.graph.initializer}
    node = next(n for n in model.graph.node if n.op_type == "ConvTranspose")
    w = inits[node.input[1]]
    w = w.reshape(w.shape[0], -1)
    ev, vec = np.linalg.eigh(w @ w.T)
    order = np.argsort(ev)[::-1][:3]
    return {"model": "dcgan64.onnx", "k": 3, "ev": ev[order].tolist(),
            "u": [vec[:, i].tolist() for i in order]}


def main():
    q = image()
    out = {"image": "rgb64.png", "encoder": "faces-encoder.onnx", "mu": encoder(q),
           "paint": paint()}
    out["linearity"] = linearity(np.array(out["paint"]["z"]))
    out["sefa"] = sefa()
    with open(F + "rgb-fixtures.json", "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote %srgb-fixtures.json and rgb64{,-rgba,-pal}.png" % F)


if __name__ == "__main__":
    main()
