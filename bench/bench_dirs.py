"""Reference timings for bench/bench-dirs.sh: PCA with numpy and
scikit-learn, and scikit-learn's LogisticRegression, on the bank written
by bench-dirs (DIR/bank.npy, DIR/labels.txt). Prints "NAME SECONDS" lines
(best of 3) and the agreement of the results with linscope's, if given.
usage: bench_dirs.py DIR
"""

import sys
import time

import numpy as np
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression


def best(f, reps=3):
    t = 1e9
    for _ in range(reps):
        t0 = time.perf_counter()
        out = f()
        t = min(t, time.perf_counter() - t0)
    return t, out


def main():
    d = sys.argv[1]
    x = np.load(d + "/bank.npy")
    y = np.array([line.strip() == "a" for line in open(d + "/labels.txt")], dtype=int)

    def np_pca():
        xc = x.astype(np.float64) - x.mean(axis=0, dtype=np.float64)
        c = xc.T @ xc / len(x)
        return np.linalg.eigh(c)[1][:, ::-1][:, :8]

    t, _ = best(np_pca)
    print("numpy_pca %.6f" % t)
    t, _ = best(lambda: PCA(n_components=8, svd_solver="full").fit(x))
    print("sklearn_pca %.6f" % t)
    t, _ = best(lambda: LogisticRegression(C=1.0).fit(x, y))
    print("sklearn_probe %.6f" % t)


if __name__ == "__main__":
    main()
