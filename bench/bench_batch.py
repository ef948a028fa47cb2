"""bench_batch.py MODEL.safetensors: the bundled decoder's layers (affine,
relu, sigmoid as `linscope info` lists them) rebuilt in PyTorch from the
file's own F32 weights, and the time of a batch of 256 latents through it
with one thread (best of several runs, milliseconds)."""
import json
import struct
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)
path = sys.argv[1]
with open(path, "rb") as f:
    n = struct.unpack("<Q", f.read(8))[0]
    head = json.loads(f.read(n))
    data = f.read()


def tensor(name):
    h = head[name]
    a, b = h["data_offsets"]
    assert h["dtype"] == "F32"
    return torch.from_numpy(np.frombuffer(data[a:b], dtype="<f4").reshape(h["shape"]).copy())


mods = []
for i in (0, 2, 4):
    w = tensor("decoder.%d.weight" % i)
    lin = torch.nn.Linear(w.shape[1], w.shape[0])
    lin.weight.data = w
    lin.bias.data = tensor("decoder.%d.bias" % i)
    mods += [lin, torch.nn.ReLU() if i < 4 else torch.nn.Sigmoid()]
net = torch.nn.Sequential(*mods).eval()
x = ((torch.arange(256 * 16, dtype=torch.int64) * 2654435761) % 1000).float() / 500 - 1
x = x.reshape(256, 16)
with torch.no_grad():
    net(x)
    best = 1e30
    for _ in range(200):
        t0 = time.perf_counter()
        net(x)
        best = min(best, time.perf_counter() - t0)
print("torch_b256_ms %.4f" % (1000 * best))
