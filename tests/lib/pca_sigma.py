"""Checks the sigma that `linscope dir pca` records (from the eigenvalues)
against numpy: the population standard deviation (ddof 0) of the bank's
projections on each unit direction.

usage: pca_sigma.py DIRS.safetensors BANK.npy NAME...
Exit status 0 when every sigma agrees to 1e-5 relative, 1 otherwise,
77 without numpy.
"""
import os
import sys

try:
    import numpy as np
except ImportError:
    sys.exit(77)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dir_pyload  # noqa: E402


def main():
    dirs, meta = dir_pyload.load_directions(sys.argv[1])
    bank = np.load(sys.argv[2]).astype(np.float64)
    bad = 0
    for name in sys.argv[3:]:
        u = np.array(dirs[name], dtype=np.float64)
        want = np.std(bank @ (u / np.linalg.norm(u)))
        got = float(meta["linscope.dir.%s.sigma" % name])
        rel = abs(got - want) / want
        print("%s sigma %.9g numpy %.9g rel %.2g" % (name, got, want, rel))
        bad |= not rel < 1e-5
    return bad


if __name__ == "__main__":
    sys.exit(main())
