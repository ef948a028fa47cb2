#!/usr/bin/env python3
"""Train the bundled cartoon-face VAE (`faces`, d=32) and export it for linscope.

Data: the procedural faces of tools/make_faces.py (regenerated, not stored):

    python3 tools/make_faces.py --out SCRATCH
    python3 tools/train_faces.py SCRATCH/faces.npz --out assets --scratch SCRATCH

Writes into --out (default: assets/ next to this script's parent):
    faces-decoder.onnx    z (batch, 32) -> image (batch, 3, 64, 64) in [0,1]
    faces-encoder.onnx    image (batch, 3, 64, 64) in [0,1] -> (batch, 64) = mean | log-variance
    faces.npy             encoder means of all images, float32 (N, 32), data-set order
    faces-labels.txt       frown / neutral / smile   (smile factor < -1/3, > 1/3)
    faces-glasses.txt     none / clear / sunglasses
    faces-hair.txt        short / long              (hair_length < 0.5, >= 0.5)
    faces-factors.npy     float32 (N, 10) generator factors, columns named in
    faces-factors.txt     (one name per line)
    faces-recon.png       held-out originals (odd rows) over their reconstructions
and into --scratch the PyTorch weights (faces-vae.pt) that
tools/train_faces_reader.py uses.

Architecture (DCGAN-like). Decoder, exactly piecewise linear before its final
sigmoid:
    z (32) -> view (32,1,1) -> ConvTranspose2d(32,C0,4,1,0)  4x4   BN ReLU
           -> ConvTranspose2d(C0,C1,4,2,1)  8x8   BN ReLU
           -> ConvTranspose2d(C1,C2,4,2,1) 16x16  BN ReLU
           -> ConvTranspose2d(C2,C3,4,2,1) 32x32  BN ReLU
           -> ConvTranspose2d(C3,3,4,2,1)  64x64  Sigmoid
Encoder: Conv2d(k4,s2,p1) 3->C3->C2->C1->C0 (64 -> 4 px), BN after all but
the first, LeakyReLU(0.2), then Linear(C0*16, 64) = mean (first 32) | logvar.
The exported ONNX graphs have the BatchNorms folded into the convolutions
(eval mode), so they hold only Conv/ConvTranspose, Relu/LeakyRelu, Gemm,
Reshape/Flatten and Sigmoid.

Training speed: this PyTorch build's ConvTranspose2d backward is slow on
CPU (5-10x slower than Conv2d), so during training each stride-2 transposed
convolution is computed as one 3x3 Conv2d that produces its four output
phases as channels, followed by pixel_shuffle(2), and the first one (on a 1x1
input) as a matrix product. These are exactly the same functions of the same
weights (checked against ConvTranspose2d at start-up); evaluation and export
use the ordinary ConvTranspose2d.
"""

import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stio  # noqa: E402

SEED = 20240616
D = 32
CH = (128, 64, 32, 16)   # C0..C3
N_TEST = 1000


# Selection tensor for ct_shuffle: output phase r of a ConvTranspose2d(k=4, s=2,
# p=1) reads padded input rows (m, m+1) with kernel taps (3, 1) when r = 0 and
# rows (m+1, m+2) with taps (2, 0) when r = 1.
_SEL = torch.zeros(2, 3, 4)
_SEL[0, 0, 3] = _SEL[0, 1, 1] = 1
_SEL[1, 1, 2] = _SEL[1, 2, 0] = 1


def ct_shuffle(x, weight, bias):
    """ConvTranspose2d(k=4, s=2, p=1)(x) as one 3x3 convolution giving the four
    output phases as channels, then pixel_shuffle(2). Same function, same weights."""
    ci, co = weight.shape[:2]
    w3 = torch.einsum("ioyx,pay,qbx->opqiab", weight, _SEL, _SEL).reshape(co * 4, ci, 3, 3)
    return F.pixel_shuffle(F.conv2d(x, w3, bias.repeat_interleave(4), padding=1), 2)


class CT(nn.ConvTranspose2d):
    """ConvTranspose2d(k=4, s=2, p=1); `fast` selects the training formulation."""
    fast = True

    def __init__(self, cin, cout):
        super().__init__(cin, cout, 4, 2, 1)

    def forward(self, x):
        if CT.fast:
            return ct_shuffle(x, self.weight, self.bias)
        return super().forward(x)


class CT0(nn.ConvTranspose2d):
    """ConvTranspose2d(d, c, 4, 1, 0) on a 1x1 input: (fast) a matrix product."""

    def __init__(self, cin, cout):
        super().__init__(cin, cout, 4, 1, 0)

    def forward(self, x):
        if CT.fast:
            n, ci = x.shape[:2]
            y = x.reshape(n, ci) @ self.weight.reshape(ci, -1)
            return y.view(n, self.out_channels, 4, 4) + self.bias.view(1, -1, 1, 1)
        return super().forward(x)


class VAE(nn.Module):
    def __init__(self, d=D, ch=CH):
        super().__init__()
        c0, c1, c2, c3 = ch
        self.d = d
        self.decoder = nn.Sequential(
            CT0(d, c0), nn.BatchNorm2d(c0), nn.ReLU(),
            CT(c0, c1), nn.BatchNorm2d(c1), nn.ReLU(),
            CT(c1, c2), nn.BatchNorm2d(c2), nn.ReLU(),
            CT(c2, c3), nn.BatchNorm2d(c3), nn.ReLU(),
            CT(c3, 3), nn.Sigmoid())
        self.encoder = nn.Sequential(
            nn.Conv2d(3, c3, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(c3, c2, 4, 2, 1), nn.BatchNorm2d(c2), nn.LeakyReLU(0.2),
            nn.Conv2d(c2, c1, 4, 2, 1), nn.BatchNorm2d(c1), nn.LeakyReLU(0.2),
            nn.Conv2d(c1, c0, 4, 2, 1), nn.BatchNorm2d(c0), nn.LeakyReLU(0.2))
        self.head = nn.Linear(c0 * 16, 2 * d)

    def encode(self, x):
        h = self.head(self.encoder(x).reshape(x.shape[0], -1))
        return h[:, :self.d], h[:, self.d:]

    def decode_logits(self, z):
        return self.decoder[:-1](z.view(z.shape[0], self.d, 1, 1))

    def decode(self, z):
        return torch.sigmoid(self.decode_logits(z))


# ---- plain (BatchNorm-folded) networks for export --------------------------

def fold(conv, bn, transposed):
    """Weights of conv followed by bn (eval mode) as one convolution."""
    s = bn.weight.detach() / torch.sqrt(bn.running_var + bn.eps)
    w = conv.weight.detach().clone()
    if transposed:                       # (Cin, Cout, k, k)
        w = w * s.view(1, -1, 1, 1)
    else:                                # (Cout, Cin, k, k)
        w = w * s.view(-1, 1, 1, 1)
    b = conv.bias.detach() if conv.bias is not None else torch.zeros_like(s)
    b = (b - bn.running_mean) * s + bn.bias.detach()
    return w, b


class PlainDecoder(nn.Module):
    def __init__(self, vae):
        super().__init__()
        self.d = vae.d
        layers = []
        seq = list(vae.decoder)
        i = 0
        while i < len(seq):
            m = seq[i]
            if isinstance(m, nn.ConvTranspose2d):
                new = nn.ConvTranspose2d(m.in_channels, m.out_channels, m.kernel_size,
                                         m.stride, m.padding)
                if i + 1 < len(seq) and isinstance(seq[i + 1], nn.BatchNorm2d):
                    w, b = fold(m, seq[i + 1], True)
                    i += 1
                else:
                    w, b = m.weight.detach(), m.bias.detach()
                new.weight.data.copy_(w)
                new.bias.data.copy_(b)
                layers.append(new)
            elif isinstance(m, nn.ReLU):
                layers.append(nn.ReLU())
            elif isinstance(m, nn.Sigmoid):
                layers.append(nn.Sigmoid())
            i += 1
        self.net = nn.Sequential(*layers)

    def forward(self, z):
        return self.net(z.view(-1, self.d, 1, 1))


class PlainEncoder(nn.Module):
    def __init__(self, vae):
        super().__init__()
        layers = []
        seq = list(vae.encoder)
        i = 0
        while i < len(seq):
            m = seq[i]
            if isinstance(m, nn.Conv2d):
                new = nn.Conv2d(m.in_channels, m.out_channels, m.kernel_size, m.stride, m.padding)
                if i + 1 < len(seq) and isinstance(seq[i + 1], nn.BatchNorm2d):
                    w, b = fold(m, seq[i + 1], False)
                    i += 1
                else:
                    w, b = m.weight.detach(), m.bias.detach()
                new.weight.data.copy_(w)
                new.bias.data.copy_(b)
                layers.append(new)
            elif isinstance(m, nn.LeakyReLU):
                layers.append(nn.LeakyReLU(m.negative_slope))
            i += 1
        self.net = nn.Sequential(*layers)
        self.head = nn.Linear(vae.head.in_features, vae.head.out_features)
        self.head.load_state_dict(vae.head.state_dict())
        self.c0 = vae.head.in_features

    def forward(self, x):
        return self.head(self.net(x).view(-1, self.c0))


def finish_onnx(path, out_dims, meta):
    """Give the graph output a fully static shape (but the batch) and add metadata."""
    import onnx
    m = onnx.load(path)
    dims = m.graph.output[0].type.tensor_type.shape.dim
    for dim, v in zip(dims, out_dims):
        if isinstance(v, str):
            dim.dim_param = v
        else:
            dim.dim_value = v
    for k, v in sorted(meta.items()):
        e = m.metadata_props.add()
        e.key, e.value = k, v
    onnx.checker.check_model(m)
    onnx.save(m, path)


# ---- a numpy ONNX runner for the few ops these graphs use -------------------

def np_conv(x, w, b, stride, pad):
    n, c, h, wd = x.shape
    co, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad[0], pad[2]), (pad[1], pad[3])))
    oh = (xp.shape[2] - kh) // stride[0] + 1
    ow = (xp.shape[3] - kw) // stride[1] + 1
    y = np.zeros((n, co, oh, ow), np.float64)
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, :, i:i + stride[0] * oh:stride[0], j:j + stride[1] * ow:stride[1]]
            y += np.einsum("nchw,oc->nohw", patch, w[:, :, i, j])
    return y + b.reshape(1, -1, 1, 1)


def np_conv_transpose(x, w, b, stride, pad):
    n, ci, h, wd = x.shape
    _, co, kh, kw = w.shape
    fh, fw = (h - 1) * stride[0] + kh, (wd - 1) * stride[1] + kw
    y = np.zeros((n, co, fh, fw), np.float64)
    for i in range(kh):
        for j in range(kw):
            y[:, :, i:i + stride[0] * h:stride[0], j:j + stride[1] * wd:stride[1]] += \
                np.einsum("nchw,co->nohw", x, w[:, :, i, j])
    y = y[:, :, pad[0]:fh - pad[2], pad[1]:fw - pad[3]]
    return y + b.reshape(1, -1, 1, 1)


def run_onnx_numpy(path, x):
    """Evaluate an ONNX graph in float64 numpy (only the ops used here)."""
    import onnx
    from onnx import numpy_helper
    m = onnx.load(path)
    g = m.graph
    env = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in g.initializer}
    env[g.input[0].name] = x.astype(np.float64)
    for node in g.node:
        a = {at.name: onnx.helper.get_attribute_value(at) for at in node.attribute}
        ins = [env[i] if i else None for i in node.input]
        op = node.op_type
        if op == "Constant":
            out = numpy_helper.to_array(a["value"])
        elif op == "Reshape":
            shape = [int(s) for s in ins[1]]
            shape = [x.shape[0] if (s == 0 and k == 0) else s for k, s in enumerate(shape)]
            out = ins[0].reshape(shape)
        elif op == "Flatten":
            out = ins[0].reshape(ins[0].shape[0], -1)
        elif op == "ConvTranspose":
            out = np_conv_transpose(ins[0], ins[1], ins[2], a.get("strides", [1, 1]),
                                    a.get("pads", [0, 0, 0, 0]))
        elif op == "Conv":
            out = np_conv(ins[0], ins[1], ins[2], a.get("strides", [1, 1]), a.get("pads", [0, 0, 0, 0]))
        elif op == "Relu":
            out = np.maximum(ins[0], 0)
        elif op == "LeakyRelu":
            out = np.where(ins[0] > 0, ins[0], ins[0] * a.get("alpha", 0.01))
        elif op == "Sigmoid":
            out = 1 / (1 + np.exp(-ins[0]))
        elif op == "Gemm":
            aa, bb = ins[0], ins[1]
            if a.get("transA", 0):
                aa = aa.T
            if a.get("transB", 0):
                bb = bb.T
            out = a.get("alpha", 1.0) * aa @ bb + a.get("beta", 1.0) * (ins[2] if ins[2] is not None else 0)
        elif op == "MatMul":
            out = ins[0] @ ins[1]
        elif op == "Add":
            out = ins[0] + ins[1]
        else:
            raise SystemExit("run_onnx_numpy: op %s not supported" % op)
        env[node.output[0]] = out
    return env[g.output[0].name], [n.op_type for n in g.node]


# ---- training ---------------------------------------------------------------

def to_float(xb):
    return xb.float().div_(255.0)


def recon_mse(model, x_u8, batch=500):
    model.eval()
    tot = 0.0
    with torch.no_grad():
        for i in range(0, x_u8.shape[0], batch):
            xb = to_float(x_u8[i:i + batch])
            mu, _ = model.encode(xb)
            tot += F.mse_loss(model.decode(mu), xb, reduction="sum").item()
    return tot / x_u8[:, :, :, :].numel()


def encode_all(model, x_u8, batch=500):
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, x_u8.shape[0], batch):
            out.append(model.encode(to_float(x_u8[i:i + batch]))[0])
    return torch.cat(out).numpy()


def check_fast():
    g = torch.Generator().manual_seed(1)
    err = 0.0
    for m, x in ((CT(5, 4), torch.randn(3, 5, 6, 7, generator=g)),
                 (CT0(5, 4), torch.randn(3, 5, 1, 1, generator=g))):
        with torch.no_grad():
            CT.fast = True
            a = m(x)
            CT.fast = False
            b = m(x)
        err = max(err, (a - b).abs().max().item())
    CT.fast = True
    if err > 1e-5:
        raise SystemExit("fast transposed convolutions differ from ConvTranspose2d by %g" % err)
    return err


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", help="faces.npz written by tools/make_faces.py")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(here), "assets"))
    ap.add_argument("--scratch", required=True, help="folder for the PyTorch checkpoint")
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--beta", type=float, default=0.5)
    ap.add_argument("--warmup", type=float, default=1.0, help="epochs of linear KL warm-up")
    ap.add_argument("--stop-after", type=int, default=0,
                    help="stop after this many epochs (the schedule still spans --epochs)")
    ap.add_argument("--threads", type=int, default=1,
                    help="torch threads (1: on a busy machine OpenMP spin-waiting made 2 threads"
                         " several times slower)")
    ap.add_argument("--export-only", action="store_true",
                    help="skip training, export the checkpoint in --scratch")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(SEED)
    print("fast ConvTranspose2d formulation agrees to %.1e" % check_fast())

    t_start = time.time()
    data = np.load(args.data)
    images = data["images"]                       # (N, 64, 64, 3) uint8
    factors = data["factors"].astype(np.float32)
    names = [str(s) for s in data["names"]]
    n = images.shape[0]
    x_all = torch.from_numpy(np.ascontiguousarray(images.transpose(0, 3, 1, 2)))  # N,3,64,64 u8
    perm = np.random.RandomState(SEED).permutation(n)
    test_idx, train_idx = np.sort(perm[:N_TEST]), perm[N_TEST:]
    x_test = x_all[torch.from_numpy(test_idx)]
    x_train = x_all[torch.from_numpy(train_idx)]
    print("loaded %d images; %d train / %d held out" % (n, len(train_idx), N_TEST), flush=True)

    os.makedirs(args.scratch, exist_ok=True)
    ckpt = os.path.join(args.scratch, "faces-vae.pt")
    model = VAE()
    n_dec = sum(p.numel() for p in model.decoder.parameters())
    n_enc = sum(p.numel() for p in model.encoder.parameters()) + \
        sum(p.numel() for p in model.head.parameters())
    print("parameters: decoder %d, encoder %d" % (n_dec, n_enc), flush=True)

    log = []
    if args.export_only:
        state = torch.load(ckpt)
        model.load_state_dict(state["model"])
        log = state.get("log", [])
        train_time = state.get("train_time", 0.0)
    else:
        opt = torch.optim.Adam(model.parameters(), lr=args.lr)
        steps_per_epoch = (len(train_idx) + args.batch - 1) // args.batch
        # linear learning-rate warm-up over the first 200 steps, then a cosine
        # decay to lr/10 at the end of --epochs
        total = steps_per_epoch * args.epochs

        def lr_factor(st):
            if st < 200:
                return (st + 1) / 200.0
            return 0.1 + 0.45 * (1 + np.cos(np.pi * min(1.0, (st - 200) / max(1, total - 200))))

        sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_factor)
        g = torch.Generator().manual_seed(SEED + 1)
        m = len(train_idx)
        t0 = time.time()
        step = 0
        for ep in range(args.stop_after or args.epochs):
            model.train()
            CT.fast = True
            p = torch.randperm(m, generator=g)
            rec_tot = kl_tot = 0.0
            for i in range(0, m, args.batch):
                xb = to_float(x_train[p[i:i + args.batch]])
                mu, logvar = model.encode(xb)
                eps = torch.randn(mu.shape, generator=g)
                z = mu + torch.exp(0.5 * logvar) * eps
                logits = model.decode_logits(z)
                rec = F.binary_cross_entropy_with_logits(logits, xb, reduction="sum")
                kl = -0.5 * torch.sum(1 + logvar - mu * mu - logvar.exp())
                w = args.beta * min(1.0, step / (args.warmup * steps_per_epoch)) if args.warmup > 0 else args.beta
                loss = (rec + w * kl) / xb.shape[0]
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                step += 1
                rec_tot += rec.item()
                kl_tot += kl.item()
            mse = recon_mse(model, x_test)
            entry = dict(epoch=ep + 1, bce=rec_tot / m, kl=kl_tot / m, test_mse=mse,
                         seconds=round(time.time() - t0, 1))
            log.append(entry)
            print("  epoch %2d  bce/img %.1f  kl/img %.1f  held-out mse/px %.5f  (%.0fs)"
                  % (ep + 1, rec_tot / m, kl_tot / m, mse, time.time() - t0), flush=True)
            torch.save({"model": model.state_dict(), "log": log,
                        "train_time": time.time() - t0, "epochs_done": ep + 1}, ckpt)
        train_time = time.time() - t0

    model.eval()
    mse = recon_mse(model, x_test)
    mse_train = recon_mse(model, x_train[:5000])
    print("held-out mse/px %.5f (first 5000 training images %.5f)" % (mse, mse_train), flush=True)

    # ---- export -------------------------------------------------------------
    os.makedirs(args.out, exist_ok=True)
    CT.fast = False          # PyTorch's own ConvTranspose2d from here on
    dec, enc = PlainDecoder(model).eval(), PlainEncoder(model).eval()
    zt = torch.from_numpy(np.random.RandomState(SEED).randn(8, D).astype(np.float32))
    xt = to_float(x_test[:8])
    with torch.no_grad():
        e_fold = max((dec(zt) - model.decode(zt)).abs().max().item(),
                     (enc(xt) - torch.cat(model.encode(xt), 1)).abs().max().item())
    print("BatchNorm folding changes outputs by at most %.2e" % e_fold)
    dpath = os.path.join(args.out, "faces-decoder.onnx")
    epath = os.path.join(args.out, "faces-encoder.onnx")
    torch.onnx.export(dec, zt, dpath, opset_version=13, input_names=["z"],
                      output_names=["image"], dynamic_axes={"z": {0: "batch"}, "image": {0: "batch"}},
                      do_constant_folding=True)
    torch.onnx.export(enc, xt, epath, opset_version=13, input_names=["image"],
                      output_names=["mu_logvar"],
                      dynamic_axes={"image": {0: "batch"}, "mu_logvar": {0: "batch"}},
                      do_constant_folding=True)
    common = {"linscope.latent_dim": str(D), "linscope.image": "64x64x3", "linscope.range": "0,1",
              "linscope.layout": "CHW, channels R, G, B",
              "linscope.trained_on": "30,000 procedural cartoon faces of tools/make_faces.py "
                                     "(29,000 train / 1,000 held out, seed %d)" % SEED,
              "linscope.license": "original procedural content of the linscope project"}
    finish_onnx(dpath, ["batch", 3, 64, 64], dict(common, **{
        "linscope.name": "faces-decoder",
        "linscope.note": "VAE decoder: z (batch, 32) -> image (batch, 3, 64, 64) in [0,1]; "
                         "ConvTranspose/Relu only before the final Sigmoid"}))
    finish_onnx(epath, ["batch", 2 * D], dict(common, **{
        "linscope.name": "faces-encoder",
        "linscope.note": "VAE encoder: image (batch, 3, 64, 64) in [0,1] -> (batch, 64): "
                         "first 32 = mean, last 32 = log-variance"}))
    with torch.no_grad():
        yd, ye = model.decode(zt).numpy(), torch.cat(model.encode(xt), 1).numpy()
    od, ops_d = run_onnx_numpy(dpath, zt.numpy())
    oe, ops_e = run_onnx_numpy(epath, xt.numpy())
    err_d, err_e = np.abs(od - yd).max(), np.abs(oe - ye).max()
    print("ONNX (numpy float64 run) vs PyTorch: decoder %.2e, encoder %.2e" % (err_d, err_e))
    print("decoder ops:", " ".join(ops_d))
    print("encoder ops:", " ".join(ops_e))
    if err_d > 1e-4 or err_e > 1e-3:
        raise SystemExit("ONNX export does not reproduce PyTorch")

    CT.fast = True
    # ---- bank, labels, factors ---------------------------------------------
    bank = np.ascontiguousarray(encode_all(model, x_all).astype(np.float32))
    np.save(os.path.join(args.out, "faces.npy"), bank)
    smile, glasses, hlen = factors[:, names.index("smile")], factors[:, names.index("glasses")], \
        factors[:, names.index("hair_length")]
    with open(os.path.join(args.out, "faces-labels.txt"), "w") as f:
        f.write("".join(("frown" if s < -1 / 3 else "smile" if s > 1 / 3 else "neutral") + "\n"
                        for s in smile))
    with open(os.path.join(args.out, "faces-glasses.txt"), "w") as f:
        f.write("".join(("none", "clear", "sunglasses")[int(v)] + "\n" for v in glasses))
    with open(os.path.join(args.out, "faces-hair.txt"), "w") as f:
        f.write("".join(("long" if v >= 0.5 else "short") + "\n" for v in hlen))
    np.save(os.path.join(args.out, "faces-factors.npy"), np.ascontiguousarray(factors))
    with open(os.path.join(args.out, "faces-factors.txt"), "w") as f:
        f.write("".join(s + "\n" for s in names))

    # ---- preview: 3 pairs of rows, 10 held-out originals over reconstructions
    idx = torch.from_numpy(test_idx[:30])
    with torch.no_grad():
        xo = to_float(x_all[idx])
        rec = model.decode(model.encode(xo)[0])
    rows = []
    for r in range(3):
        rows += [xo[r * 10:(r + 1) * 10], rec[r * 10:(r + 1) * 10]]
    imgs = torch.cat(rows).numpy().transpose(0, 2, 3, 1)
    pad = 2
    gh, gw = 6 * (64 + pad) + pad, 10 * (64 + pad) + pad
    grid = np.full((gh, gw, 3), 0.5, np.float32)
    for i, im in enumerate(imgs):
        r, c = divmod(i, 10)
        grid[pad + r * (64 + pad):pad + r * (64 + pad) + 64, pad + c * (64 + pad):pad + c * (64 + pad) + 64] = im
    stio.write_png(os.path.join(args.out, "faces-recon.png"), grid)

    summary = dict(held_out_mse=round(mse, 6), train5000_mse=round(mse_train, 6),
                   decoder_params=n_dec, encoder_params=n_enc, epochs=len(log),
                   train_seconds=round(train_time, 0), total_seconds=round(time.time() - t_start, 0),
                   onnx_err_decoder=float(err_d), onnx_err_encoder=float(err_e),
                   decoder_ops=sorted(set(ops_d)), encoder_ops=sorted(set(ops_e)),
                   torch=torch.__version__, log=log)
    with open(os.path.join(args.scratch, "faces-train.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(json.dumps({k: v for k, v in summary.items() if k != "log"}, indent=1))


if __name__ == "__main__":
    main()
