"""pane_match.py: does the explorer's preview pane, in a screenshot of the
terminal, show the decoded image?  (numpy only; used by ui-xterm.sh)

  pane_match.py SHOT.ppm PREVIEW.pgm COLS ROWS match   the image of z in the
      pane correlates with PREVIEW (scaled to the box it takes) above 0.95,
      and nothing else dark lies in the pane (no ghost of an older image)
  pane_match.py SHOT.ppm PREVIEW.pgm COLS ROWS match OLD.pgm   also: it
      correlates with PREVIEW better than with OLD (by 0.02 at least)
  pane_match.py SHOT.ppm - COLS ROWS blank   the pane shows no image
  pane_match.py SHOT.ppm - COLS ROWS colour  a coloured picture (a map,
      the histogram) covers a fifth of the pane: pixels whose channels
      differ by more than 40 (the digits are gray)

The pane's cells follow ui/layout.c (bank and directions columns, the
slider above the info line and the strip). The image's box is found as
the first run of non-white columns in the pane (the digits have a black
background on xterm's white one). Prints what it measured; exit 0 when
the condition holds, 1 when not. The preview PNG's frame (the gutter of
the grid layout, one value all round) is cut off first.
"""
import sys

import numpy as np


def read_pnm(path):
    """A binary PPM (P6) or PGM (P5) as a float array (h, w[, 3])."""
    data = open(path, "rb").read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    pos += 1
    magic, w, h, maxv = fields[0], int(fields[1]), int(fields[2]), int(fields[3])
    ch = 3 if magic == b"P6" else 1
    dt = np.uint8 if maxv < 256 else np.dtype(">u2")
    a = np.frombuffer(data, dt, w * h * ch, pos).astype(np.float64) * (255.0 / maxv)
    return a.reshape(h, w, ch) if ch == 3 else a.reshape(h, w)


def pane_box(cols, rows):
    """The preview pane's inside in cells: y0, y1, x0, x1 (ui/layout.c)."""
    bw = 26 if cols >= 140 else 22 if cols >= 100 else 18
    dw = 44 if cols >= 140 else 34 if cols >= 100 else 24
    sh = 7 if rows >= 40 else 6 if rows >= 30 else 5
    top = rows - 2 - sh - 1 - 2
    return 1, top, bw + dw + 1, cols


def runs(mask):
    """[start, end) of the runs of True in a 1-D mask."""
    m = np.concatenate([[False], mask, [False]]).astype(int)
    d = np.diff(m)
    return list(zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1)))


def unpad(a):
    """The image without the frame `linscope decode -o` puts around it
    (rows and columns all of the corner's value)."""
    v = a[0, 0]
    while a.shape[0] > 2 and (a[0] == v).all() and (a[-1] == v).all():
        a = a[1:-1]
    while a.shape[1] > 2 and (a[:, 0] == v).all() and (a[:, -1] == v).all():
        a = a[:, 1:-1]
    return a


def correlation(box, path):
    """Normalised correlation of box with the PNM at path scaled to it."""
    ref = read_pnm(path)
    if ref.ndim == 3:
        ref = ref.mean(axis=2)
    ref = unpad(ref)
    h, w = box.shape
    iy = np.minimum((np.arange(h) + 0.5) * ref.shape[0] / h, ref.shape[0] - 1).astype(int)
    ix = np.minimum((np.arange(w) + 0.5) * ref.shape[1] / w, ref.shape[1] - 1).astype(int)
    scaled = ref[iy][:, ix]
    u, v = box - box.mean(), scaled - scaled.mean()
    return float((u * v).sum() / np.sqrt((u * u).sum() * (v * v).sum() + 1e-12))


def main():
    rgb = read_pnm(sys.argv[1])
    shot = rgb.mean(axis=2)
    cols, rows, what = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    border = 2   # xterm's internal border
    cw = (shot.shape[1] - 2 * border) // cols
    chh = (shot.shape[0] - 2 * border) // rows
    y0, y1, x0, x1 = pane_box(cols, rows)
    pane = shot[border + y0 * chh:border + y1 * chh, border + x0 * cw:border + x1 * cw]
    dark = pane < 200
    if what == "colour":
        prgb = rgb[border + y0 * chh:border + y1 * chh, border + x0 * cw:border + x1 * cw]
        frac = ((prgb.max(axis=2) - prgb.min(axis=2)) > 40).mean()
        print("coloured share of the pane %.4f" % frac)
        return 0 if frac > 0.2 else 1
    if what == "blank":
        frac = dark.mean()
        print("dark share of the pane %.4f" % frac)
        return 0 if frac < 0.06 else 1
    colruns = runs(dark.any(axis=0))
    if not colruns:
        print("no image in the pane")
        return 1
    a, b = colruns[0]
    rr = runs(dark[:, a:b].any(axis=1))
    c, d = rr[0]
    box = pane[c:d, a:b]
    h, w = box.shape
    corr = correlation(box, sys.argv[2])
    old = correlation(box, sys.argv[6]) if len(sys.argv) > 6 else -1.0
    # Ghosts: dark pixels in the pane outside the image boxes (z and z0).
    other = dark.copy()
    for a2, b2 in colruns[:2]:
        for c2, d2 in runs(dark[:, a2:b2].any(axis=1))[:2]:
            other[c2:d2, a2:b2] = False
    ghost = other.mean()
    print("box %dx%d at (%d,%d) px, cell %dx%d, correlation %.4f (old image %.4f), "
          "other dark %.4f" % (w, h, a, c, cw, chh, corr, old, ghost))
    return 0 if corr > 0.95 and corr > old + 0.02 and ghost < 0.01 and w > 20 else 1


if __name__ == "__main__":
    sys.exit(main())
