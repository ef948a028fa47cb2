"""Reference timings for bench/bench-dirs.sh: PCA with numpy and
scikit-learn, and scikit-learn's LogisticRegression, on the bank written
by bench-dirs (DIR/bank.npy, DIR/labels.txt). Prints "NAME SECONDS" lines
(best of 5; file loading excluded, as on linscope's side) and the
agreement of the answers with linscope's (DIR/ls-pca.npy, DIR/ls-probe.npy):
the smallest |cos| between matching principal directions, and the cosine
and largest coefficient difference between the probes.
usage: bench_dirs.py DIR
"""

import sys
import time

import numpy as np
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression

K = 8


def best(f, reps=5):
    t = 1e9
    for _ in range(reps):
        t0 = time.perf_counter()
        out = f()
        t = min(t, time.perf_counter() - t0)
    return t, out


def min_abs_cos(a, b):
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return float(np.min(np.abs(np.sum(a * b, axis=1))))


def main():
    d = sys.argv[1]
    x = np.load(d + "/bank.npy")
    y = np.array([line.strip() == "a" for line in open(d + "/labels.txt")], dtype=int)
    ls_pca = np.load(d + "/ls-pca.npy").astype(np.float64)
    ls_probe = np.load(d + "/ls-probe.npy").astype(np.float64)

    def np_pca():
        xc = x.astype(np.float64) - x.mean(axis=0, dtype=np.float64)
        c = xc.T @ xc / len(x)
        return np.linalg.eigh(c)[1][:, ::-1][:, :K]

    t, u = best(np_pca)
    print("numpy_pca %.6f" % t)
    print("numpy_pca_cos %.9f" % min_abs_cos(ls_pca, u.T))
    t, p = best(lambda: PCA(n_components=K, svd_solver="full").fit(x))
    print("sklearn_pca %.6f" % t)
    print("sklearn_pca_cos %.9f" % min_abs_cos(ls_pca, p.components_))
    t, m = best(lambda: LogisticRegression(C=1.0).fit(x, y))
    print("sklearn_probe %.6f" % t)
    w = m.coef_[0]
    lw = ls_probe[:-1]
    print("sklearn_probe_cos %.9f" % (w @ lw / np.linalg.norm(w) / np.linalg.norm(lw)))
    print("sklearn_probe_maxdiff %.3g" % max(np.max(np.abs(w - lw)),
                                             abs(m.intercept_[0] - ls_probe[-1])))
    print("sklearn_probe_iters %d" % m.n_iter_[0])


if __name__ == "__main__":
    main()
