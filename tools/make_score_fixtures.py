#!/usr/bin/python3
"""Fixtures for `dir score` (tests/unit/test-score.c, tests/e2e/cli-dir-score.sh).

Run from the top of the source tree:  /usr/bin/python3 tools/make_score_fixtures.py
Needs Debian's python3-numpy. Writes tests/fixtures/score-*:

  score-bank.npy          (200, 6) float32 bank
  score-factors.npy       (200, 4) float64 factors: a (moved by the bank's
                          first axes), b, c (noise), k (constant)
  score-factors.txt       their names, one per line
  score-dir.npy           (6,) float32 direction (not unit length)
  score-r.npy             (4,) float64: numpy.corrcoef of the bank's
                          projection on the direction with each factor
                          column (NaN for the constant column)
  score-factors-short.npy (199, 4) float64: one row too few
  score-factors-nan.npy   (200, 4) float64 with a NaN at row 17, column 2
  score-factors-1d.npy    (200,) float64: not a table
  score-badnames.npy/.txt (200, 3) float64 with only two names
"""

import numpy as np

OUT = "tests/fixtures/"


def main():
    rng = np.random.default_rng(12)
    n, d = 200, 6
    z = rng.normal(size=(n, d)).astype("<f4")
    f = np.empty((n, 4))
    f[:, 0] = 2.0 * z[:, 0] - z[:, 1] + 0.5 * rng.normal(size=n)
    f[:, 1] = 0.3 * z[:, 2] + rng.normal(size=n)
    f[:, 2] = rng.uniform(-1, 1, size=n)
    f[:, 3] = 0.25
    u = np.array([2.0, -1.0, 0.1, 0.0, 0.0, 0.3], dtype="<f4")
    zd = z.astype(np.float64)
    p = zd @ u.astype(np.float64) / np.linalg.norm(u.astype(np.float64))
    r = np.array([np.corrcoef(p, f[:, j])[0, 1] if f[:, j].std() > 0 else np.nan
                  for j in range(4)])
    np.save(OUT + "score-bank.npy", z)
    np.save(OUT + "score-factors.npy", f.astype("<f8"))
    with open(OUT + "score-factors.txt", "w") as t:
        t.write("a\nb\nc\nk\n")
    np.save(OUT + "score-dir.npy", u)
    np.save(OUT + "score-r.npy", r.astype("<f8"))
    np.save(OUT + "score-factors-short.npy", f[:199].astype("<f8"))
    bad = f.copy()
    bad[17, 2] = np.nan
    np.save(OUT + "score-factors-nan.npy", bad.astype("<f8"))
    np.save(OUT + "score-factors-1d.npy", f[:, 0].astype("<f8"))
    np.save(OUT + "score-badnames.npy", f[:, :3].astype("<f8"))
    with open(OUT + "score-badnames.txt", "w") as t:
        t.write("a\nb\n")
    print("r =", r)


if __name__ == "__main__":
    main()
