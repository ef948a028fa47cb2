"""bench_graph.py DIR THREADS: exports a DCGAN generator (nz=100, ngf=64,
64x64x3, 3.58M parameters; the PyTorch DCGAN tutorial's layout) with
seeded weights to DIR/dcgan.onnx and prints PyTorch CPU's times for one
latent and for a batch of 256 (best of several runs, milliseconds). Also
exports DIR/dcgan32.onnx, the same layout one stage shorter (nz=100,
32x32x3), for the exact-region figures of bench-regions."""
import sys
import time

import torch
import torch.nn as nn

d, threads = sys.argv[1], int(sys.argv[2])
torch.set_num_threads(threads)
torch.manual_seed(0)
ngf, nz = 64, 100
net = nn.Sequential(
    nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 8), nn.ReLU(True),
    nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 4), nn.ReLU(True),
    nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
    nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(True),
    nn.ConvTranspose2d(ngf, 3, 4, 2, 1, bias=False), nn.Tanh()).eval()
z = torch.randn(1, nz, 1, 1)
torch.onnx.export(net, z, d + "/dcgan.onnx", input_names=["z"], output_names=["image"],
                  dynamic_axes={"z": {0: "batch"}, "image": {0: "batch"}}, opset_version=13)

torch.manual_seed(1)
net32 = nn.Sequential(
    nn.ConvTranspose2d(nz, ngf * 4, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 4), nn.ReLU(True),
    nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
    nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(True),
    nn.ConvTranspose2d(ngf, 3, 4, 2, 1, bias=False), nn.Tanh())
for m in net32.modules():   # running statistics that are not the identity
    if isinstance(m, nn.BatchNorm2d):
        m.running_mean.uniform_(-0.1, 0.1)
        m.running_var.uniform_(0.5, 1.5)
net32.eval()
torch.onnx.export(net32, z, d + "/dcgan32.onnx", input_names=["z"], output_names=["image"],
                  dynamic_axes={"z": {0: "batch"}, "image": {0: "batch"}}, opset_version=13)


def best(n, reps):
    x = torch.randn(n, nz, 1, 1)
    with torch.no_grad():
        net(x)
        t = []
        for _ in range(reps):
            t0 = time.perf_counter()
            net(x)
            t.append(time.perf_counter() - t0)
    return 1000 * min(t)


print("params %d" % sum(p.numel() for p in net.parameters()))
print("torch_b1_ms %.4f" % best(1, 30))
print("torch_b256_ms %.4f" % best(256, 3))
