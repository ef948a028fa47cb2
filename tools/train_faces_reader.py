#!/usr/bin/env python3
"""Train the independent attribute reader used by the faces steering test, and
run that steering experiment once in Python as a sanity check.

    python3 tools/make_faces.py --out SCRATCH
    python3 tools/train_faces.py SCRATCH/faces.npz --out assets --scratch SCRATCH
    python3 tools/train_faces_reader.py SCRATCH/faces.npz --scratch SCRATCH

Writes tests/fixtures/faces-reader.npz, the weights that the numpy-only
tests/faces_reader.py runs: features = 2x2-pooled luminance (32x32 = 1024
values) standardised per pixel (`mean`, `std`), one hidden layer
(`w1` (1024, H), `b1`), ReLU, two outputs (`w2` (H, 2), `b2`): the logits of
"smiling" (smile factor > 1/3) and "sunglasses" (glasses == 2).

Training images: the VAE's 29,000 training images (same split as
tools/train_faces.py) and, for the first 10,000 of them, also the VAE's
reconstructions (decoder of the encoder mean), so that the reader judges
decoded faces as well as drawn ones. Held out: the VAE's 1,000 held-out
images and their reconstructions.

The steering experiment: the bank assets/faces.npy and assets/faces-labels.txt;
direction u = mean(bank[smile]) - mean(bank[frown]), normalised; sigma = std
of the bank's projections on u; the first 100 bank rows not labelled `smile`
are moved by +k sigma along u, decoded by the PyTorch decoder and read.
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

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests"))
import train_faces  # noqa: E402
import faces_reader  # noqa: E402

SEED = 20240617
HIDDEN = 64
N_RECON = 10000


def feats_of(x_u8, batch=1000):
    out = []
    for i in range(0, x_u8.shape[0], batch):
        out.append(faces_reader.features(x_u8[i:i + batch].astype(np.float32) / 255.0))
    return np.concatenate(out)


def recon_feats(model, x_u8, batch=250):
    out = []
    with torch.no_grad():
        for i in range(0, x_u8.shape[0], batch):
            xb = torch.from_numpy(x_u8[i:i + batch].astype(np.float32) / 255.0)
            rec = model.decode(model.encode(xb)[0]).numpy()
            out.append(faces_reader.features(rec))
    return np.concatenate(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", help="faces.npz written by tools/make_faces.py")
    ap.add_argument("--scratch", required=True, help="folder holding faces-vae.pt")
    ap.add_argument("--assets", default=os.path.join(ROOT, "assets"))
    ap.add_argument("--out", default=os.path.join(ROOT, "tests", "fixtures", "faces-reader.npz"))
    ap.add_argument("--epochs", type=int, default=40)
    args = ap.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    t0 = time.time()
    data = np.load(args.data)
    images = np.ascontiguousarray(data["images"].transpose(0, 3, 1, 2))   # N,3,64,64 u8
    factors = data["factors"]
    names = [str(s) for s in data["names"]]
    smile = factors[:, names.index("smile")]
    glasses = factors[:, names.index("glasses")]
    y_all = np.stack([smile > 1 / 3, glasses == 2], 1).astype(np.float32)
    n = images.shape[0]
    perm = np.random.RandomState(train_faces.SEED).permutation(n)
    test_idx, train_idx = np.sort(perm[:train_faces.N_TEST]), perm[train_faces.N_TEST:]
    rec_idx = np.sort(train_idx[:N_RECON])

    model = train_faces.VAE()
    model.load_state_dict(torch.load(os.path.join(args.scratch, "faces-vae.pt"))["model"])
    model.eval()

    cache = os.path.join(args.scratch, "faces-reader-feats.npz")
    if os.path.exists(cache):
        c = np.load(cache)
        f_real, f_rec_tr, f_rec_te = c["real"], c["rec_train"], c["rec_test"]
    else:
        f_real = feats_of(images)
        f_rec_te = recon_feats(model, images[test_idx])
        f_rec_tr = recon_feats(model, images[rec_idx])
        np.savez(cache, real=f_real, rec_train=f_rec_tr, rec_test=f_rec_te)
    print("features ready (%.0fs)" % (time.time() - t0), flush=True)

    xtr = np.concatenate([f_real[train_idx], f_rec_tr])
    ytr = np.concatenate([y_all[train_idx], y_all[rec_idx]])
    mean = xtr.mean(0).astype(np.float32)
    std = (xtr.std(0) + 0.02).astype(np.float32)

    def norm(f):
        return torch.from_numpy(((f - mean) / std).astype(np.float32))

    Xtr, Ytr = norm(xtr), torch.from_numpy(ytr)
    net = nn.Sequential(nn.Linear(1024, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 2))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=1e-4)
    g = torch.Generator().manual_seed(SEED)
    for ep in range(args.epochs):
        p = torch.randperm(Xtr.shape[0], generator=g)
        net.train()
        for i in range(0, Xtr.shape[0], 128):
            b = p[i:i + 128]
            xb = Xtr[b] + 0.1 * torch.randn(len(b), 1024, generator=g)
            loss = F.binary_cross_entropy_with_logits(net(xb), Ytr[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
        if ep % 10 == 9:
            with torch.no_grad():
                acc = ((net(norm(f_real[test_idx])) > 0).float() == torch.from_numpy(y_all[test_idx])).float().mean(0)
            print("  epoch %d  loss %.4f  held-out real acc smile %.4f sunglasses %.4f"
                  % (ep + 1, loss.item(), acc[0], acc[1]), flush=True)

    w = {"mean": mean, "std": std,
         "w1": net[0].weight.detach().numpy().T.copy(), "b1": net[0].bias.detach().numpy().copy(),
         "w2": net[2].weight.detach().numpy().T.copy(), "b2": net[2].bias.detach().numpy().copy()}
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    np.savez_compressed(args.out, **{k: v.astype(np.float32) for k, v in w.items()})
    faces_reader._cache.clear()

    # ---- accuracy with the numpy reader itself -------------------------------
    def acc_of(x_float, y):
        s, gl = faces_reader.read(x_float, args.out)
        return float(((s > 0.5) == (y[:, 0] > 0.5)).mean()), float(((gl > 0.5) == (y[:, 1] > 0.5)).mean())

    x_te = images[test_idx].astype(np.float32) / 255.0
    with torch.no_grad():
        r_te = model.decode(model.encode(torch.from_numpy(x_te))[0]).numpy()
    yte = y_all[test_idx]
    res = {"real": acc_of(x_te, yte), "reconstruction": acc_of(r_te, yte)}
    # accuracy away from the smile threshold (|smile - 1/3| > 0.1)
    far = np.abs(smile[test_idx] - 1 / 3) > 0.1
    res["real_far_from_threshold"] = acc_of(x_te[far], yte[far])
    res["reconstruction_far_from_threshold"] = acc_of(r_te[far], yte[far])
    with torch.no_grad():
        tl = net(norm(faces_reader.features(x_te[:50]))).numpy()
    res["numpy_vs_torch_logit_diff"] = float(np.abs(faces_reader.logits(x_te[:50], args.out) - tl).max())
    print("held-out accuracy (smile, sunglasses):", json.dumps(res), flush=True)

    # ---- steering sanity check ----------------------------------------------
    bank = np.load(os.path.join(args.assets, "faces.npy"))
    labels = np.array(open(os.path.join(args.assets, "faces-labels.txt")).read().split())
    u = bank[labels == "smile"].mean(0) - bank[labels == "frown"].mean(0)
    u /= np.linalg.norm(u)
    proj = bank @ u
    sigma = float(proj.std())
    steer = {"sigma": sigma}
    groups = {"not_smile": np.flatnonzero(labels != "smile")[:100],
              "neutral": np.flatnonzero(labels == "neutral")[:100],
              "frown": np.flatnonzero(labels == "frown")[:100]}
    for gname, rows in groups.items():
        for k in (0.0, 1.0, 2.0, 3.0):
            z = torch.from_numpy((bank[rows] + k * sigma * u).astype(np.float32))
            with torch.no_grad():
                img = model.decode(z).numpy()
            s, _ = faces_reader.read(img, args.out)
            steer["%s_+%gsigma" % (gname, k)] = float((s > 0.5).mean())
    # the same images through the exported ONNX decoder (numpy float64 run)
    rows = groups["not_smile"]
    z = (bank[rows] + 2.0 * sigma * u).astype(np.float32)
    onnx_img, _ = train_faces.run_onnx_numpy(os.path.join(args.assets, "faces-decoder.onnx"), z)
    s_onnx, _ = faces_reader.read(onnx_img.astype(np.float32), args.out)
    steer["not_smile_+2sigma_onnx_decoder"] = float((s_onnx > 0.5).mean())
    print("steering (fraction read as smiling):", json.dumps(steer, indent=1))
    with open(os.path.join(args.scratch, "faces-reader.json"), "w") as f:
        json.dump({"accuracy": res, "steering": steer, "seconds": round(time.time() - t0)}, f, indent=1)
    print("wrote %s (%d bytes, %.0fs)" % (args.out, os.path.getsize(args.out), time.time() - t0))


if __name__ == "__main__":
    main()
