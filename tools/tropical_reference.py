#!/usr/bin/env python3
"""tropical_reference.py: brute-force reference for `regions --all` and the
tropical form, independent of linscope's C code.

For a few small random ReLU / LeakyReLU MLPs it enumerates all 2^n on/off
patterns of the n hidden units; a pattern is a region when its polyhedron
{z : s_u (a_u.z + c_u) >= 0} has a non-empty interior (scipy linprog:
maximise the slack t <= 1 over unit-normalised rows, keep t > 1e-7). For
each region: unbounded when the recession cone {y : s_u a_u.y >= 0} holds a
non-zero y (2d LPs over the box |y_i| <= 1). A unit whose pre-activation
is constant under the pattern (all its inputs off) must have the pattern's
sign (on: > 0). Linear regions: regions
sharing a (d-1)-dimensional facet (an LP on both closures, the rows of the
units that differ held at 0) and having the same affine map of the whole
output are merged (union-find). F and G of output 0: the routing of
Zhang-Naitzat-Lim evaluated per region (on: F = H, off: F = G, leaky:
s H + (1 - s) G), distinct forms counted.

Writes tests/fixtures/tropical/netN.json: the layers (w (out, in), b, act,
slope), regions, unbounded, linear_regions, patterns (hex, unit k = bit
k % 8 of byte k // 8, sorted), f_monomials, g_monomials.
Run: /usr/bin/python3 tools/tropical_reference.py [OUTDIR]
"""
import itertools
import json
import os
import sys

import numpy as np
from scipy.optimize import linprog

TOL = 1e-7

NETS = [  # (seed, d, hidden widths, activation, slope, outputs)
    (1, 2, [6], "relu", 0.0, 2),
    (2, 2, [4, 4], "relu", 0.0, 2),
    (3, 3, [7], "relu", 0.0, 2),
    (4, 3, [4, 3], "relu", 0.0, 2),
    (5, 4, [5, 3], "relu", 0.0, 1),
    (6, 2, [4, 3], "leaky", 0.1, 2),
]


def make_net(seed, d, widths, act, slope, nout):
    rng = np.random.default_rng(seed)
    layers, w_in = [], d
    for w in widths + [nout]:
        W = rng.normal(0, 1 / np.sqrt(w_in), (w, w_in))
        b = rng.normal(0, 0.5, w)
        layers.append({"w": W, "b": b, "act": act,
                       "slope": slope})
        w_in = w
    layers[-1]["act"] = "identity"
    layers[-1]["slope"] = 0.0
    return layers


def forms(layers, d, bits):
    """Pre-activation forms (units, d + 1) and output form (out, d + 1)."""
    X = np.hstack([np.eye(d), np.zeros((d, 1))])  # rows: inputs as a.z + c
    rows, u = [], 0
    for L in layers:
        Y = L["w"] @ X
        Y[:, d] += L["b"]
        if L["act"] != "identity":
            for j in range(Y.shape[0]):
                rows.append(Y[j].copy())
                if not bits[u]:
                    Y[j] *= L["slope"] if L["act"] == "leaky" else 0.0
                u += 1
        X = Y
    return np.array(rows), X


def fg_forms(layers, d, bits, k):
    F = np.hstack([np.eye(d), np.zeros((d, 1))])
    G = np.zeros((d, d + 1))
    u = 0
    for L in layers:
        Wp, Wn = np.maximum(L["w"], 0), np.maximum(-L["w"], 0)
        H = Wp @ F + Wn @ G
        H[:, d] += L["b"]
        Gn = Wp @ G + Wn @ F
        if L["act"] != "identity":
            s = L["slope"] if L["act"] == "leaky" else 0.0
            for j in range(H.shape[0]):
                if not bits[u]:
                    H[j] = s * H[j] + (1 - s) * Gn[j]
                u += 1
        F, G = H, Gn
    return F[k], G[k]


def signed_rows(rows, bits):
    s = np.where(np.array(bits, dtype=bool), 1.0, -1.0)
    A = rows[:, :-1] * s[:, None]
    c = rows[:, -1] * s
    n = np.linalg.norm(A, axis=1)
    keep = n > 1e-12
    return A[keep] / n[keep, None], c[keep] / n[keep], keep


def interior(rows, bits, d):
    A, c, keep = signed_rows(rows, bits)
    s = np.where(np.array(bits, dtype=bool), 1.0, -1.0)
    if np.any(s[~keep] * rows[~keep, -1] <= 0):
        return False  # a unit constant on the region, of the other sign
    # max t: A z + c >= t  <=>  -A z + t <= c
    Aub = np.hstack([-A, np.ones((len(A), 1))])
    res = linprog(np.r_[np.zeros(d), -1.0], A_ub=Aub, b_ub=c,
                  bounds=[(None, None)] * d + [(None, 1.0)], method="highs")
    return res.status == 0 and -res.fun > TOL


def unbounded(rows, bits, d):
    A, _, _ = signed_rows(rows, bits)
    for i in range(d):
        for sg in (1.0, -1.0):
            c = np.zeros(d)
            c[i] = -sg
            res = linprog(c, A_ub=-A, b_ub=np.zeros(len(A)), bounds=[(-1, 1)] * d,
                          method="highs")
            if res.status == 0 and -res.fun > 1e-9:
                return True
    return False


def adjacent(rows_p, bp, rows_q, bq, d):
    diff = [u for u in range(len(bp)) if bp[u] != bq[u]]
    Aub, bub, Aeq, beq = [], [], [], []
    for rows, bits in ((rows_p, bp), (rows_q, bq)):
        s = np.where(np.array(bits, dtype=bool), 1.0, -1.0)
        for u in range(len(bits)):
            a, c = rows[u, :-1] * s[u], rows[u, -1] * s[u]
            n = np.linalg.norm(a)
            if n < 1e-12:
                continue
            if u in diff:
                Aeq.append(np.r_[a / n, 0.0])
                beq.append(-c / n)
            else:
                Aub.append(np.r_[-a / n, 1.0])
                bub.append(c / n)
    res = linprog(np.r_[np.zeros(d), -1.0], A_ub=np.array(Aub) if Aub else None,
                  b_ub=np.array(bub) if bub else None, A_eq=np.array(Aeq), b_eq=np.array(beq),
                  bounds=[(None, None)] * d + [(None, 1.0)], method="highs")
    return res.status == 0 and -res.fun > TOL


def distinct(vs):
    out = []
    for v in vs:
        if not any(np.all(np.abs(v - o) <= 1e-7 * (1 + np.abs(v))) for o in out):
            out.append(v)
    return len(out)


def analyse(layers, d):
    n = sum(L["w"].shape[0] for L in layers if L["act"] != "identity")
    regs = []
    for bits in itertools.product((0, 1), repeat=n):
        rows, out = forms(layers, d, bits)
        if interior(rows, bits, d):
            regs.append((bits, rows, out))
    unb = sum(unbounded(r, b, d) for b, r, _ in regs)
    parent = list(range(len(regs)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    for i, j in itertools.combinations(range(len(regs)), 2):
        oi, oj = regs[i][2], regs[j][2]
        if np.max(np.abs(oi - oj)) > 1e-9 * (1 + max(np.max(np.abs(oi)), np.max(np.abs(oj)))):
            continue
        if adjacent(regs[i][1], regs[i][0], regs[j][1], regs[j][0], d):
            parent[find(i)] = find(j)
    nlin = len({find(i) for i in range(len(regs))})
    fg = [fg_forms(layers, d, b, 0) for b, _, _ in regs]
    pats = []
    for b, _, _ in regs:
        by = bytearray((n + 8) // 8)
        for k, v in enumerate(b):
            if v:
                by[k >> 3] |= 1 << (k & 7)
        pats.append(by.hex())
    return {"regions": len(regs), "unbounded": int(unb), "linear_regions": nlin,
            "patterns": sorted(pats), "f_monomials": distinct([f for f, _ in fg]),
            "g_monomials": distinct([g for _, g in fg])}


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/tropical"
    os.makedirs(outdir, exist_ok=True)
    for i, (seed, d, widths, act, slope, nout) in enumerate(NETS):
        layers = make_net(seed, d, widths, act, slope, nout)
        res = analyse(layers, d)
        res["d"] = d
        res["layers"] = [{"w": L["w"].tolist(), "b": L["b"].tolist(), "act": L["act"],
                          "slope": L["slope"]} for L in layers]
        with open(os.path.join(outdir, "net%d.json" % (i + 1)), "w") as f:
            json.dump(res, f, indent=1)
        print("net%d: d=%d %s %s: %d regions, %d unbounded, %d linear, F %d, G %d" % (
            i + 1, d, widths, act, res["regions"], res["unbounded"], res["linear_regions"],
            res["f_monomials"], res["g_monomials"]))


if __name__ == "__main__":
    main()
