#!/usr/bin/env python3
"""Generate the procedural cartoon-face data set behind linscope's `faces` assets.

Every image is a 64x64 RGB cartoon face drawn with PIL at 4x (256x256) and
averaged down 4x4 (anti-aliasing). Ten factors are drawn independently per
image from one seeded numpy RNG, so the data set is the same on every run:

    smile           uniform [-1, 1]     mouth curvature: -1 frown ... 0 flat ... +1 open grin
    glasses         0, 1, 2 (1/3 each)  none / clear (frames only) / sunglasses
    hair_hue        uniform [0, 1)      hue of the hair (HLS hue, circular)
    hair_lightness  uniform [0, 1]      0 = near black ... 1 = pale (HLS lightness 0.18 .. 0.78)
    hair_length     uniform [0, 1]      0 = short crop ... 1 = hair down past the chin
    skin_tone       uniform [0, 1]      0 = light ... 1 = dark
    face_x          uniform [-1, 1]     horizontal offset, x 3 px
    face_y          uniform [-1, 1]     vertical offset, x 3 px
    face_size       uniform [-1, 1]     head scale 1 + 0.08 * face_size
    bg_hue          uniform [0, 1)      hue of the plain background (circular)

    python3 tools/make_faces.py --out SCRATCH [--n 30000] [--preview grid.png]

writes SCRATCH/faces.npz with
    images   uint8 (N, 64, 64, 3), HWC, RGB
    factors  float32 (N, 10), columns in the order above
    names    the 10 column names
The file is not part of the repository: this script regenerates it
byte-identically (same NumPy and Pillow versions).
"""

import argparse
import colorsys
import os
import sys
import time

import numpy as np
from PIL import Image, ImageDraw

SEED = 20240615
S = 64            # output size
U = 4             # supersampling factor
FACTORS = ["smile", "glasses", "hair_hue", "hair_lightness", "hair_length",
           "skin_tone", "face_x", "face_y", "face_size", "bg_hue"]

SKIN_LIGHT = np.array([250, 222, 196], np.float64)
SKIN_DARK = np.array([122, 80, 54], np.float64)


def sample_factors(n, seed=SEED):
    rng = np.random.RandomState(seed)
    f = np.zeros((n, len(FACTORS)), np.float32)
    f[:, 0] = rng.uniform(-1, 1, n)
    f[:, 1] = rng.randint(0, 3, n)
    f[:, 2] = rng.uniform(0, 1, n)
    f[:, 3] = rng.uniform(0, 1, n)
    f[:, 4] = rng.uniform(0, 1, n)
    f[:, 5] = rng.uniform(0, 1, n)
    f[:, 6] = rng.uniform(-1, 1, n)
    f[:, 7] = rng.uniform(-1, 1, n)
    f[:, 8] = rng.uniform(-1, 1, n)
    f[:, 9] = rng.uniform(0, 1, n)
    return f


def rgb(c):
    return tuple(int(round(v)) for v in np.clip(c, 0, 255))


def hls(h, l, s):
    return rgb(np.array(colorsys.hls_to_rgb(h % 1.0, l, s)) * 255.0)


def mouth_polygon(cx, my, half_w, smile, k):
    """Closed polygon of the mouth (coordinates already scaled by k).

    The centre line is a parabola whose corners rise by `smile` (fall for a
    frown); for a smile the lower lip opens downwards (an open grin)."""
    u = np.linspace(-1.0, 1.0, 41)
    x = cx + u * half_w
    bend = smile * 5.0 * k                 # corner lift relative to the centre
    centre = my - bend * (u * u - 0.5)     # corners up for a smile
    thick = (1.3 + 4.0 * max(smile, 0.0) + 0.6 * max(-smile, 0.0)) * k
    top = centre - 0.55 * k * (1 - u * u)
    bot = centre + thick * (1 - u * u) + 0.35 * k
    pts = list(zip(x, top)) + list(zip(x[::-1], bot[::-1]))
    return [(float(a), float(b)) for a, b in pts]


def draw_face(f):
    smile, glasses, hh, hl, hlen, skin, fx, fy, fs, bgh = [float(v) for v in f]
    k = U * (1.0 + 0.08 * fs)        # pixels of the big canvas per output pixel (x scale)
    cx = (S / 2 + 3.0 * fx) * U
    cy = (S / 2 + 2.0 + 3.0 * fy) * U
    rx, ry = 15.5 * k, 19.0 * k       # face half-width, half-height

    bg = hls(bgh, 0.80, 0.45)
    skin_c = SKIN_LIGHT + (SKIN_DARK - SKIN_LIGHT) * skin
    skin_rgb = rgb(skin_c)
    skin_shade = rgb(skin_c * 0.80)
    hair = hls(hh, 0.18 + 0.60 * hl, 0.70)

    im = Image.new("RGB", (S * U, S * U), bg)
    d = ImageDraw.Draw(im)

    # hair behind the head: a cap plus, for long hair, side curtains that
    # reach from ear level (hair_length 0) to well below the chin (1)
    hr_x = rx + 2.2 * k + 1.4 * k * hlen
    top = cy - ry - 3.6 * k
    mid = cy - 3.0 * k                 # the cap ends a little above the ears
    d.chord([cx - hr_x, top, cx + hr_x, top + 2 * (mid - top)], start=180, end=360, fill=hair)
    bottom = mid + hlen * (ry + 14.0 * k)
    if bottom > mid + 1.5 * k:
        d.rounded_rectangle([cx - hr_x, mid - 3 * k, cx + hr_x, bottom],
                            radius=int(3 * k), fill=hair)

    # neck and shoulders
    d.rectangle([cx - 5.5 * k, cy + ry - 5 * k, cx + 5.5 * k, cy + ry + 8 * k], fill=skin_shade)
    d.ellipse([cx - 20 * k, cy + ry + 4 * k, cx + 20 * k, cy + ry + 30 * k], fill=hls(bgh + 0.5, 0.35, 0.35))

    # ears and face
    for sgn in (-1, 1):
        ex = cx + sgn * rx
        d.ellipse([ex - 2.6 * k, cy - 3 * k, ex + 2.6 * k, cy + 4 * k], fill=skin_shade)
    d.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=skin_rgb)

    # fringe over the forehead (a chord of an ellipse), longer hair covers the ears
    d.chord([cx - rx - 1.0 * k, cy - ry - 2.5 * k, cx + rx + 1.0 * k, cy - ry + 15 * k],
            start=180, end=360, fill=hair)
    if hlen > 0.4:
        for sgn in (-1, 1):
            ex = cx + sgn * (rx + 0.4 * k)
            d.ellipse([ex - 3.4 * k, cy - 9 * k, ex + 3.4 * k, cy + 5 * k], fill=hair)

    # eyes
    ey = cy - 3.0 * k
    for sgn in (-1, 1):
        ex = cx + sgn * 6.5 * k
        d.ellipse([ex - 3.0 * k, ey - 2.2 * k, ex + 3.0 * k, ey + 2.2 * k], fill=(255, 255, 255))
        d.ellipse([ex - 1.5 * k, ey - 1.6 * k, ex + 1.5 * k, ey + 1.6 * k], fill=(30, 30, 40))
        # eyebrow
        d.line([ex - 3.2 * k, ey - 4.6 * k, ex + 3.2 * k, ey - 4.9 * k], fill=rgb(np.array(hair) * 0.7), width=int(1.2 * k))

    # glasses: frames around the eyes with a bridge; sunglasses have dark lenses
    if glasses >= 0.5:
        frame = (20, 20, 24)
        for sgn in (-1, 1):
            ex = cx + sgn * 6.5 * k
            box = [ex - 4.8 * k, ey - 3.9 * k, ex + 4.8 * k, ey + 3.9 * k]
            if glasses >= 1.5:
                d.rounded_rectangle(box, radius=int(2.2 * k), fill=(16, 16, 22), outline=frame, width=int(1.0 * k))
            else:
                d.rounded_rectangle(box, radius=int(2.2 * k), outline=frame, width=int(1.0 * k))
        d.line([cx - 1.7 * k, ey - 1.0 * k, cx + 1.7 * k, ey - 1.0 * k], fill=frame, width=int(1.0 * k))
        for sgn in (-1, 1):
            d.line([cx + sgn * 11.3 * k, ey - 1.5 * k, cx + sgn * rx, ey - 2.3 * k], fill=frame, width=int(0.9 * k))

    # nose
    d.line([cx, cy + 1.0 * k, cx - 1.2 * k, cy + 4.8 * k, cx + 0.6 * k, cy + 5.2 * k],
           fill=skin_shade, width=int(0.9 * k))

    # mouth
    my = cy + 10.5 * k
    d.polygon(mouth_polygon(cx, my, 7.0 * k, smile, k), fill=(92, 14, 30))

    return np.asarray(im.resize((S, S), Image.BOX), dtype=np.uint8)


def grid(images, cols, pad=2):
    n = images.shape[0]
    rows = (n + cols - 1) // cols
    g = np.full((rows * (S + pad) + pad, cols * (S + pad) + pad, 3), 128, np.uint8)
    for i in range(n):
        r, c = divmod(i, cols)
        g[pad + r * (S + pad):pad + r * (S + pad) + S, pad + c * (S + pad):pad + c * (S + pad) + S] = images[i]
    return g


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="scratch folder for faces.npz")
    ap.add_argument("--n", type=int, default=30000)
    ap.add_argument("--preview", help="also write a PNG grid of the first 64 faces")
    args = ap.parse_args()

    t0 = time.time()
    f = sample_factors(args.n)
    images = np.zeros((args.n, S, S, 3), np.uint8)
    for i in range(args.n):
        images[i] = draw_face(f[i])
        if i % 5000 == 4999:
            print("  %d images (%.0fs)" % (i + 1, time.time() - t0), flush=True)
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "faces.npz")
    np.savez_compressed(path, images=images, factors=f, names=np.array(FACTORS))
    print("wrote %s: %d images, %d factors (%.0fs)" % (path, args.n, len(FACTORS), time.time() - t0))
    if args.preview:
        Image.fromarray(grid(images[:64], 8)).save(args.preview)


if __name__ == "__main__":
    sys.exit(main())
