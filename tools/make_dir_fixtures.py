#!/usr/bin/python3
"""Fixtures for the directions tests (tests/test-dirs.c, tests/cli-dir.sh).

Run from the top of the source tree:  /usr/bin/python3 tools/make_dir_fixtures.py
Needs Debian's python3-numpy and python3-sklearn. Writes tests/fixtures/dir-*:

  dir-logreg-x.npy      (300, 5) float32 bank: two overlapping Gaussian classes
  dir-logreg-y.txt      its labels, "a" (positive) or "b", one per line
  dir-logreg-coef.npy   (6,) float64: scikit-learn's LogisticRegression(C=0.5)
                        coef_ (5) then intercept_, fitted on all 300 rows
  dir-sefa.safetensors  a small decoder (decoder.0 Linear(6, 20) relu
                        decoder.2 Linear(20, 4) sigmoid, image 2x2x1)
  dir-sefa-eig.npy      (3, 7) float64: the top 3 eigenpairs of W^T W for
                        W = decoder.0.weight from numpy.linalg.eigh, each row
                        the eigenvector (signed: largest |component| > 0)
                        followed by its eigenvalue
"""

import os
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stio  # noqa: E402

OUT = "tests/fixtures"


def logreg(rng):
    n, d = 150, 5
    shift = np.array([1.0, -0.5, 0.3, 0.0, 0.8])
    a = rng.normal(size=(n, d)) * [1.0, 2.0, 0.5, 1.0, 1.5] + shift
    b = rng.normal(size=(n, d)) * [1.0, 2.0, 0.5, 1.0, 1.5] - shift
    x = np.vstack([a, b]).astype("<f4")
    y = np.array([1] * n + [0] * n)
    perm = rng.permutation(2 * n)
    x, y = x[perm], y[perm]
    clf = LogisticRegression(C=0.5, tol=1e-12, max_iter=100000)
    clf.fit(x.astype(np.float64), y)
    coef = np.concatenate([clf.coef_[0], clf.intercept_]).astype("<f8")
    np.save(os.path.join(OUT, "dir-logreg-x.npy"), x)
    np.save(os.path.join(OUT, "dir-logreg-coef.npy"), coef)
    with open(os.path.join(OUT, "dir-logreg-y.txt"), "w") as f:
        f.write("".join("a\n" if v else "b\n" for v in y))


def sefa(rng):
    w0 = rng.normal(size=(20, 6)).astype("<f4") * [3.0, 1.0, 0.3, 2.0, 0.1, 1.5]
    w0 = w0.astype("<f4")
    b0 = rng.normal(size=20).astype("<f4")
    w2 = rng.normal(size=(4, 20)).astype("<f4")
    b2 = rng.normal(size=4).astype("<f4")
    meta = {"linscope.decoder": "decoder.0 relu decoder.2 sigmoid",
            "linscope.image": "2x2x1"}
    stio.write_safetensors(os.path.join(OUT, "dir-sefa.safetensors"),
                           [("decoder.0.weight", w0), ("decoder.0.bias", b0),
                            ("decoder.2.weight", w2), ("decoder.2.bias", b2)], meta)
    w = w0.astype(np.float64)
    vals, vecs = np.linalg.eigh(w.T @ w)
    rows = []
    for i in range(3):
        v = vecs[:, -1 - i]
        if v[np.argmax(np.abs(v))] < 0:
            v = -v
        rows.append(np.concatenate([v, [vals[-1 - i]]]))
    np.save(os.path.join(OUT, "dir-sefa-eig.npy"), np.array(rows, dtype="<f8"))


def main():
    rng = np.random.default_rng(20240607)
    logreg(rng)
    sefa(rng)


if __name__ == "__main__":
    main()
