#!/usr/bin/env python3
"""Write the deterministic fixtures of the C test suite into tests/fixtures/.

    python3 tools/make_fixtures.py [--out tests/fixtures]

fwd-*   small networks (safetensors) with inputs and the outputs PyTorch
        computes in float32, for the forward-pass tests;
npy-*   .npy files written by numpy whose values follow closed forms, for
        the .npy reader tests.
See tools/README.md for what each file holds.  Weights come from numpy's
seeded RandomState (stable across numpy versions), not from torch's
initialisers, so regenerating gives the same bytes.
"""

import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stio  # noqa: E402

SEED = 1234
NZ = 8  # rows per input batch


def linear_params(rs, n_in, n_out, bias=True, gain=1.5):
    w = (rs.standard_normal((n_out, n_in)) * gain / np.sqrt(n_in)).astype(np.float32)
    b = (rs.standard_normal(n_out) * 0.3).astype(np.float32) if bias else None
    return w, b


def act(x, tok):
    if tok == "relu":
        return torch.relu(x)
    if tok == "sigmoid":
        return torch.sigmoid(x)
    if tok == "tanh":
        return torch.tanh(x)
    if tok == "identity":
        return x
    if tok.startswith("leaky_relu:"):
        return torch.nn.functional.leaky_relu(x, float(tok.split(":", 1)[1]))
    return None


def run_program(program, params, x):
    """Reference forward pass in torch float32: params maps prefix -> (W, b)."""
    h = torch.from_numpy(np.asarray(x, dtype=np.float32))
    for tok in program.split():
        y = act(h, tok)
        if y is None:
            w, b = params[tok]
            y = torch.nn.functional.linear(
                h, torch.from_numpy(np.asarray(w, dtype=np.float32)),
                None if b is None else torch.from_numpy(np.asarray(b, dtype=np.float32)))
        h = y
    return h.numpy().astype(np.float32)


def torch_module_check(program, params, x, y):
    """Cross-check run_program against an nn.Sequential built from the same weights."""
    mods = []
    for tok in program.split():
        if tok == "relu":
            mods.append(torch.nn.ReLU())
        elif tok == "sigmoid":
            mods.append(torch.nn.Sigmoid())
        elif tok == "tanh":
            mods.append(torch.nn.Tanh())
        elif tok == "identity":
            mods.append(torch.nn.Identity())
        elif tok.startswith("leaky_relu:"):
            mods.append(torch.nn.LeakyReLU(float(tok.split(":", 1)[1])))
        else:
            w, b = params[tok]
            lin = torch.nn.Linear(w.shape[1], w.shape[0], bias=b is not None)
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(np.asarray(w, dtype=np.float32)))
                if b is not None:
                    lin.bias.copy_(torch.from_numpy(np.asarray(b, dtype=np.float32)))
            mods.append(lin)
    with torch.no_grad():
        y2 = torch.nn.Sequential(*mods)(torch.from_numpy(x)).numpy()
    assert np.array_equal(y, y2), program


def save_npy(out, name, a):
    np.save(os.path.join(out, name), a)


def fwd_fixture(out, name, prefixes_params, dtype, meta, z, enc=None):
    """prefixes_params: list of (prefix, W f32, b f32 or None) in file order.

    dtype: "F32", "F16", "BF16" or "F64" storage.  Returns the float32 params
    the stored bytes decode to (what the expected outputs are computed from)."""
    tensors, eff = [], {}
    for prefix, w, b in prefixes_params:
        for suffix, a in (("weight", w), ("bias", b)):
            if a is None:
                continue
            if dtype == "F32":
                st, a32 = a.astype("<f4"), a.astype(np.float32)
                tensors.append((prefix + "." + suffix, st))
            elif dtype == "F16":
                st = a.astype("<f2")
                a32 = st.astype(np.float32)
                tensors.append((prefix + "." + suffix, st))
            elif dtype == "BF16":
                bits = stio.f32_to_bf16_bits(a)
                tb = torch.from_numpy(a.astype(np.float32)).to(torch.bfloat16)
                assert np.array_equal(tb.view(torch.int16).numpy().view(np.uint16), bits)
                a32 = stio.bf16_bits_to_f32(bits).reshape(a.shape)
                assert np.array_equal(tb.to(torch.float32).numpy(), a32)
                tensors.append((prefix + "." + suffix, bits, "BF16"))
            elif dtype == "F64":
                tensors.append((prefix + "." + suffix, a.astype("<f8")))
                a32 = a.astype(np.float64).astype(np.float32)
            eff.setdefault(prefix, [None, None])
            eff[prefix][0 if suffix == "weight" else 1] = a32
    eff = {k: tuple(v) for k, v in eff.items()}
    stio.write_safetensors(os.path.join(out, "fwd-%s.safetensors" % name), tensors, meta)
    y = run_program(meta["linscope.decoder"], eff, z)
    torch_module_check(meta["linscope.decoder"], eff, z, y)
    save_npy(out, "fwd-%s-z.npy" % name, z)
    save_npy(out, "fwd-%s-y.npy" % name, y)
    if enc is not None:
        x, d = enc
        h = run_program(meta["linscope.encoder"], eff, x)
        torch_module_check(meta["linscope.encoder"], eff, x, h)
        save_npy(out, "fwd-%s-x.npy" % name, x)
        save_npy(out, "fwd-%s-zenc.npy" % name, np.ascontiguousarray(h[:, :d]))
    return eff, y


def make_fwd(out):
    rs = np.random.RandomState(SEED)

    # a. relu: VAE-like, d=5, image 3x4x1, with an encoder
    d = 5
    dec = [("dec.0",) + linear_params(rs, d, 32),
           ("dec.2",) + linear_params(rs, 32, 24),
           ("dec.4",) + linear_params(rs, 24, 12)]
    encp = [("enc.0",) + linear_params(rs, 12, 16),
            ("enc.2",) + linear_params(rs, 16, 2 * d)]
    z = rs.standard_normal((NZ, d)).astype(np.float32)
    z[0] = 0.0  # the origin
    x = rs.uniform(0.0, 1.0, (NZ, 12)).astype(np.float32)
    meta = {"linscope.decoder": "dec.0 relu dec.2 relu dec.4 sigmoid",
            "linscope.encoder": "enc.0 relu enc.2",
            "linscope.image": "3x4x1",
            "linscope.range": "0,1",
            "linscope.name": "fwd-relu",
            "linscope.note": "test fixture: F32, biases, relu, sigmoid, VAE encoder"}
    fwd_fixture(out, "relu", dec + encp, "F32", meta, z, enc=(x, d))

    # c, d. the same decoder stored as F16 and BF16 (no encoder)
    for nm, dt in (("relu-f16", "F16"), ("relu-bf16", "BF16")):
        m = {"linscope.decoder": "dec.0 relu dec.2 relu dec.4 sigmoid",
             "linscope.image": "3x4x1",
             "linscope.name": "fwd-" + nm,
             "linscope.note": "test fixture: fwd-relu's decoder stored as %s" % dt}
        fwd_fixture(out, nm, dec, dt, m, z)

    # b. leaky: d=4, no biases, leaky_relu 0.1, tanh; image H=2 W=3 C=2
    d = 4
    layers = [("l1",) + linear_params(rs, d, 16, bias=False),
              ("l2",) + linear_params(rs, 16, 16, bias=False),
              ("l3",) + linear_params(rs, 16, 12, bias=False, gain=0.7)]
    z = rs.standard_normal((NZ, d)).astype(np.float32)
    meta = {"linscope.decoder": "l1 leaky_relu:0.1 l2 leaky_relu:0.1 l3 tanh",
            "linscope.image": "2x3x2",
            "linscope.range": "-1,1",
            "linscope.name": "fwd-leaky",
            "linscope.note": "test fixture: no biases, leaky_relu:0.1, tanh, C=2"}
    fwd_fixture(out, "leaky", layers, "F32", meta, z)

    # e. f64: F64 weights, relu then identity
    d = 3
    layers = [("net.0",) + linear_params(rs, d, 8),
              ("net.2",) + linear_params(rs, 8, 6)]
    # store genuinely double values (not float32 values widened)
    layers = [(p, w.astype(np.float64) + rs.standard_normal(w.shape) * 1e-9,
               b.astype(np.float64) + rs.standard_normal(b.shape) * 1e-9)
              for p, w, b in layers]
    z = rs.standard_normal((NZ, d)).astype(np.float32)
    meta = {"linscope.decoder": "net.0 relu net.2 identity",
            "linscope.image": "2x3x1",
            "linscope.name": "fwd-f64",
            "linscope.note": "test fixture: F64 weights, identity output, no range key"}
    fwd_fixture(out, "f64", layers, "F64", meta, z)

    # f. deep: d=3, five relu layers of width 20, final affine layer, no activation
    d = 3
    layers = [("h.0",) + linear_params(rs, d, 20, gain=1.2)]
    for i in range(1, 5):
        layers.append(("h.%d" % i,) + linear_params(rs, 20, 20, gain=1.2))
    layers.append(("out",) + linear_params(rs, 20, 16, gain=1.0))
    z = rs.standard_normal((NZ, d)).astype(np.float32)
    meta = {"linscope.decoder": "h.0 relu h.1 relu h.2 relu h.3 relu h.4 relu out",
            "linscope.image": "4x4x1",
            "linscope.range": "-4,4",
            "linscope.name": "fwd-deep",
            "linscope.note": "test fixture: 5 relu layers of width 20, ends with an affine layer"}
    fwd_fixture(out, "deep", layers, "F32", meta, z)


def make_npy(out):
    i, j = np.meshgrid(np.arange(7), np.arange(3), indexing="ij")
    f4 = (i * 10 + j + 0.25).astype(np.float32)                 # (7,3)
    save_npy(out, "npy-f4-v1.npy", f4)

    i, j = np.meshgrid(np.arange(5), np.arange(4), indexing="ij")
    f8 = np.empty((5, 4), dtype=np.float64)                     # (5,4)
    for a in range(5):
        for b in range(4):
            f8[a, b] = float(a) + b * 0.125 + 1.0 / 3.0
    save_npy(out, "npy-f8-v1.npy", f8)

    i, j = np.meshgrid(np.arange(4), np.arange(3), indexing="ij")
    v2 = (-(i * 10 + j) - 0.5).astype(np.float32)                # (4,3)
    with open(os.path.join(out, "npy-f4-v2.npy"), "wb") as f:
        np.lib.format.write_array(f, v2, version=(2, 0))

    i, j = np.meshgrid(np.arange(3), np.arange(4), indexing="ij")
    fo = np.asfortranarray((i * 10 + j).astype(np.float32))     # (3,4) Fortran
    assert fo.flags.f_contiguous and not fo.flags.c_contiguous
    save_npy(out, "npy-fortran.npy", fo)

    save_npy(out, "npy-i8.npy", np.array([3, 1, 4, 1, 5, 9], dtype="<i8"))
    save_npy(out, "npy-u1.npy", np.array([2, 7, 1, 8, 2, 8], dtype=np.uint8))
    save_npy(out, "npy-bigendian.npy", f4.astype(">f4"))        # (7,3) big-endian
    c = (np.arange(6).reshape(3, 2) + 0.5j).astype(np.complex64)
    save_npy(out, "npy-c16.npy", c)                             # complex64 '<c8'
    i, j, k = np.meshgrid(np.arange(2), np.arange(3), np.arange(4), indexing="ij")
    save_npy(out, "npy-f4-3d.npy", (i * 100 + j * 10 + k).astype(np.float32))
    # header says (7,3) <f4 but the data stops after 10 values
    p = os.path.join(out, "npy-truncated.npy")
    save_npy(out, "npy-truncated.npy", f4)
    with open(p, "rb") as f:
        raw = f.read()
    with open(p, "wb") as f:
        f.write(raw[:len(raw) - (21 - 10) * 4])


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(here), "tests", "fixtures"))
    args = ap.parse_args()
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    make_fwd(args.out)
    make_npy(args.out)
    total = 0
    for fn in sorted(os.listdir(args.out)):
        if fn.startswith(("fwd-", "npy-")):
            sz = os.path.getsize(os.path.join(args.out, fn))
            total += sz
            print("%8d  %s" % (sz, fn))
    print("%8d  total" % total)


if __name__ == "__main__":
    main()
