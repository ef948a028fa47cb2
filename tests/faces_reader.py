"""Independent attribute reader for linscope's `faces` model (numpy only).

A small MLP trained by tools/train_faces_reader.py on the ground-truth images
of tools/make_faces.py (and on the VAE's reconstructions of them), that tells
whether a 64x64 cartoon face is smiling and whether it wears sunglasses. It
knows nothing of the VAE's latent space, so it can judge a steering test.

    import faces_reader
    p_smile, p_sun = faces_reader.read(images)   # images: float32 (N, 3, 64, 64) in [0, 1]

Features: luminance (0.299 R + 0.587 G + 0.114 B), averaged over 2x2 blocks
to 32x32, standardised per pixel; one hidden layer of ReLUs; two sigmoid
outputs. "Smiling" means the generator's smile factor is above 1/3 (the
`smile` label of assets/faces-labels.txt).
"""

import os

import numpy as np

_HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_WEIGHTS = os.path.join(_HERE, "fixtures", "faces-reader.npz")
_cache = {}


def load(path=DEFAULT_WEIGHTS):
    if path not in _cache:
        with np.load(path) as z:
            _cache[path] = {k: z[k].astype(np.float32) for k in ("mean", "std", "w1", "b1", "w2", "b2")}
    return _cache[path]


def features(images):
    """(N, 3, 64, 64) in [0, 1] -> (N, 1024) pooled luminance (not standardised)."""
    x = np.asarray(images, dtype=np.float32)
    if x.ndim == 3:
        x = x[None]
    if x.shape[1:] != (3, 64, 64):
        raise ValueError("faces_reader: images must be (N, 3, 64, 64), got %r" % (x.shape,))
    grey = 0.299 * x[:, 0] + 0.587 * x[:, 1] + 0.114 * x[:, 2]
    n = grey.shape[0]
    return grey.reshape(n, 32, 2, 32, 2).mean(axis=(2, 4)).reshape(n, 1024)


def logits(images, path=DEFAULT_WEIGHTS):
    p = load(path)
    f = (features(images) - p["mean"]) / p["std"]
    h = np.maximum(f @ p["w1"] + p["b1"], 0.0)
    return h @ p["w2"] + p["b2"]


def read(images, path=DEFAULT_WEIGHTS):
    """Return (P(smile), P(sunglasses)), two float32 arrays of length N."""
    z = logits(images, path)
    pr = 1.0 / (1.0 + np.exp(-z))
    return pr[:, 0].astype(np.float32), pr[:, 1].astype(np.float32)


if __name__ == "__main__":
    import sys
    if len(sys.argv) != 2:
        sys.exit("usage: faces_reader.py IMAGES.npy   (float32 (N, 3, 64, 64) in [0, 1])")
    s, g = read(np.load(sys.argv[1]))
    for i in range(len(s)):
        print("%d smile %.3f sunglasses %.3f" % (i, s[i], g[i]))
    print("smiling (P > 0.5): %d of %d" % (int((s > 0.5).sum()), len(s)))
