#!/usr/bin/env python3
"""Fixtures for the approximate k-NN gauge (tests/unit/test-linearity.c):
a 6000 x 8 bank (a seeded mixture of three anisotropic Gaussians), 20 query
latents (held-out draws of the same mixture), and numpy brute-force exact values over the whole bank: for each
query the mean distance to its k = 5 nearest rows and its percentile among
every row's own k-NN mean distance (each row against the rest), 100 * the
share of rows whose own distance is <= the query's.

usage: make_knn_fixtures.py OUTDIR
"""
import os
import sys

import numpy as np

K = 5


def knn_mean(x, q, skip_self):
    d2 = (q * q).sum(1)[:, None] + (x * x).sum(1)[None, :] - 2 * q @ x.T
    if skip_self:
        np.fill_diagonal(d2, np.inf)
    idx = np.argsort(d2, axis=1)[:, :K]
    d = np.sqrt(((x[idx] - q[:, None, :]) ** 2).sum(2))
    return d.mean(1)


def main():
    out = sys.argv[1]
    rng = np.random.default_rng(5)
    parts = []
    for c in range(3):
        a = rng.standard_normal((8, 8)) * 0.4
        parts.append(rng.standard_normal((2010, 8)) @ a + rng.standard_normal(8) * 2)
    x = np.concatenate(parts).astype(np.float32)
    rng.shuffle(x)
    x, q = x[:6000], x[6000:6020]   # queries: held-out draws of the same mixture
    xd, qd = x.astype(np.float64), q.astype(np.float64)
    own = []
    for i in range(0, 6000, 1000):
        blk = xd[i:i + 1000]
        d2 = (blk * blk).sum(1)[:, None] + (xd * xd).sum(1)[None, :] - 2 * blk @ xd.T
        d2[np.arange(len(blk)), np.arange(i, i + len(blk))] = np.inf
        idx = np.argsort(d2, axis=1)[:, :K]
        own.append(np.sqrt(((xd[idx] - blk[:, None, :]) ** 2).sum(2)).mean(1))
    own = np.sort(np.concatenate(own))
    dist = knn_mean(xd, qd, False)
    pct = 100.0 * np.searchsorted(own, dist, side="right") / len(own)
    np.save(os.path.join(out, "knn-bank.npy"), x)
    np.save(os.path.join(out, "knn-q.npy"), q)
    np.save(os.path.join(out, "knn-exact.npy"), np.stack([dist, pct], 1))


if __name__ == "__main__":
    main()
