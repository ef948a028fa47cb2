#!/usr/bin/python3
"""Writes the inputs of the reliability tests (tests/e2e/rel-*.sh) into DIR.

usage: rel_inputs.py DIR KIND...   KIND: esc m512 wide manydirs labels png
numpy and the standard library only. Each file is hand-made so that the
test knows what it holds: names and values with terminal escapes, a d=512
model, a 2^22-wide layer, a directions file of 80,000 directions, 160,000
distinct labels, a PNG of the wrong size.
"""
import json
import os
import struct
import sys
import zlib

import numpy as np


def st_write(path, tensors, meta=None):
    """tensors: list of (name, array); F32 or F16 by the array's dtype."""
    h, off, data = {}, 0, []
    if meta is not None:
        h["__metadata__"] = meta
    for name, a in tensors:
        a = np.ascontiguousarray(a)
        b = a.tobytes()
        h[name] = {"dtype": {"<f4": "F32", "<f2": "F16"}[a.dtype.str], "shape": list(a.shape),
                   "data_offsets": [off, off + len(b)]}
        data.append(b)
        off += len(b)
    hb = json.dumps(h).encode()
    hb += b" " * (-len(hb) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hb)) + hb + b"".join(data))


def mlp(d, hid, out, img, rng, prefix="d", dt="<f4"):
    w0 = rng.standard_normal((hid, d)).astype(dt)
    b0 = (rng.standard_normal(hid) * 0.1).astype(dt)
    w1 = (rng.standard_normal((out, hid)) / np.sqrt(hid)).astype(dt)
    b1 = np.zeros(out, dt)
    ts = [(prefix + "0.weight", w0), (prefix + "0.bias", b0), (prefix + "1.weight", w1),
          (prefix + "1.bias", b1)]
    return ts, {"linscope.decoder": "%s0 relu %s1 sigmoid" % (prefix, prefix), "linscope.image": img}


def dirs_write(path, names_vecs, meta):
    m = {"linscope.format": "directions"}
    m.update(meta)
    st_write(path, [(n, np.asarray(v, "<f4")) for n, v in names_vecs], m)


ESC = "\x1b]0;owned\x07\x1b[2J"
C1 = "\u009b2J\u009b31m"


def esc(o, rng):
    np.save(os.path.join(o, "bank8.npy"), rng.standard_normal((8, 5)).astype("<f4"))
    with open(os.path.join(o, "labels_esc.txt"), "wb") as f:
        f.write(b"\x1b]0;owned-by-labels\x07\x1b[2J\n" + b"a\n" * 3 + "\u009b31mC1\n".encode() + b"b\n" * 3)
    # a direction whose name holds escapes, and a plain one whose metadata does
    dirs_write(os.path.join(o, "dirs_esc.st"), [(ESC, np.eye(5)[0]), ("plain", np.eye(5)[1])],
               {"linscope.dir.plain.note": "note " + ESC + C1,
                "linscope.dir.plain.method": "m" + C1})
    ts, meta = mlp(5, 8, 12, "3x4x1", rng, prefix="\x1b[31mL")
    st_write(os.path.join(o, "model_esc.safetensors"), ts, meta)
    hd = "{'descr': '<f4', 'fortran_order': False, 'shape': (8, 5), }\x9b2J\n".encode("latin1")
    with open(os.path.join(o, "c1_header.npy"), "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(hd)) + hd + np.zeros((8, 5), "<f4").tobytes())
    # the second direction has zero length: `dirs` of this file must add nothing
    dirs_write(os.path.join(o, "zero_second.st"), [("a", np.eye(5)[0]), ("b", np.zeros(5))], {})


def m512(o, rng):
    ts, meta = mlp(512, 64, 64, "8x8x1", rng)
    st_write(os.path.join(o, "m512.safetensors"), ts, meta)
    np.save(os.path.join(o, "bank512.npy"), rng.standard_normal((40, 512)).astype("<f4"))
    with open(os.path.join(o, "lab40.txt"), "w") as f:
        f.write("".join("%d\n" % (i % 3) for i in range(40)))


def wide(o, rng):
    ts, meta = mlp(1, 1 << 22, 1, "1x1x1", rng, dt="<f2")
    st_write(os.path.join(o, "wide.safetensors"), ts, meta)


def manydirs(o, rng):
    n, meta, nv = 80000, {}, []
    for i in range(n):
        nm = "d%d" % i
        nv.append((nm, np.eye(4)[i % 4]))
        meta["linscope.dir.%s.method" % nm] = "axis"
        meta["linscope.dir.%s.note" % nm] = "n%d" % i
    dirs_write(os.path.join(o, "many.st"), nv, meta)


def labels(o, rng):
    n = 160000
    np.save(os.path.join(o, "bank160k.npy"), rng.standard_normal((n, 5)).astype("<f4"))
    with open(os.path.join(o, "distinct160k.txt"), "w") as f:
        f.write("".join("L%d\n" % i for i in range(n)))


def png(o, rng):
    w, h = 29, 28
    raw = b"".join(b"\x00" + bytes([(x * 8) & 255 for x in range(w)]) for _ in range(h))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    with open(os.path.join(o, "wrong29x28.png"), "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) +
                chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    out, kinds = sys.argv[1], sys.argv[2:]
    r = np.random.default_rng(5)
    for k in kinds:
        {"esc": esc, "m512": m512, "wide": wide, "manydirs": manydirs, "labels": labels,
         "png": png}[k](out, r)
