"""bench_bigdata.py: writes a synthetic MLP decoder as safetensors (numpy
only) and times numpy's W @ z through it, for bench-bigdata.sh.

usage: bench_bigdata.py OUT.safetensors DTYPE WIDTHS [time]   (DTYPE F32,
F16, BF16; WIDTHS like 64,4096,8192,4096,784; "time": only time numpy, the
file is not written). Prints "numpy_b1_ms X" (one latent,
float32, best of 30) and "params N" on stdout.
"""
import json
import struct
import sys
import time

import numpy as np


def bf16_bytes(a):
    u = np.ascontiguousarray(a, dtype=np.float32).view(np.uint32)
    u = (u + 0x7FFF + ((u >> 16) & 1)) >> 16   # round to nearest even
    return u.astype(np.uint16).tobytes()


def main():
    out, dtype, widths = sys.argv[1], sys.argv[2], [int(w) for w in sys.argv[3].split(",")]
    rng = np.random.default_rng(1)
    tensors, prog = [], []
    for i in range(len(widths) - 1):
        w = (rng.standard_normal((widths[i + 1], widths[i]), dtype=np.float32)
             / np.sqrt(widths[i])).astype(np.float32)
        b = np.zeros(widths[i + 1], np.float32)
        tensors += [("l%d.weight" % i, w), ("l%d.bias" % i, b)]
        prog += ["l%d" % i, "relu" if i + 2 < len(widths) else "sigmoid"]
    size = {"F32": 4, "F16": 2, "BF16": 2}[dtype]
    header, off, blobs = {}, 0, []
    for name, a in tensors:
        if dtype == "F32":
            raw = a.tobytes()
        elif dtype == "F16":
            raw = a.astype(np.float16).tobytes()
        else:
            raw = bf16_bytes(a)
        header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [off, off + len(raw)]}
        assert len(raw) == a.size * size
        blobs.append(raw)
        off += len(raw)
    side = int(round(np.sqrt(widths[-1])))
    header["__metadata__"] = {"linscope.decoder": " ".join(prog),
                              "linscope.image": "%dx%dx1" % (side, widths[-1] // side)}
    h = json.dumps(header).encode()
    h += b" " * (-(8 + len(h)) % 8)            # data section 8-byte aligned
    with open(out if len(sys.argv) < 5 else "/dev/null", "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for raw in blobs:
            f.write(raw)
    ws = [a for n, a in tensors if n.endswith("weight")]
    z = rng.standard_normal(widths[0], dtype=np.float32)
    best = 1e30
    for _ in range(30):
        t = time.perf_counter()
        x = z
        for w in ws:
            x = np.maximum(w @ x, 0)
        best = min(best, time.perf_counter() - t)
    print("numpy_b1_ms %.4f" % (best * 1e3))
    print("params %d" % sum(a.size for _, a in tensors))


main()
