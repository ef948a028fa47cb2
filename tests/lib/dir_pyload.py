"""Reads a linscope directions file with nothing but the standard library
(struct and json), as linscope-files(5) promises, and checks it.

usage: dir_pyload.py FILE                       list: NAME D NORM METHOD
       dir_pyload.py FILE --meandiff NAME BANK.npy LABELS.txt POS NEG
              checks that NAME is mean(rows labeled POS) - mean(NEG), where
              POS and NEG are comma-separated label sets (the .npy is read
              with struct too: '<f4', C order)
Exit status 0 when every check passes, 1 otherwise.
"""

import json
import math
import struct
import sys


def load_directions(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    meta = header.pop("__metadata__", {})
    dirs = {}
    for name, t in header.items():
        assert t["dtype"] == "F32" and len(t["shape"]) == 1, name
        b, e = t["data_offsets"]
        assert e - b == 4 * t["shape"][0], name
        dirs[name] = list(struct.unpack("<%df" % t["shape"][0], data[b:e]))
    return dirs, meta


def load_npy_f4(path):
    with open(path, "rb") as f:
        raw = f.read()
    assert raw[:6] == b"\x93NUMPY"
    if raw[6] == 1:
        (hl,) = struct.unpack("<H", raw[8:10])
        start = 10
    else:
        (hl,) = struct.unpack("<I", raw[8:12])
        start = 12
    hdr = raw[start:start + hl].decode("latin1")
    assert "'<f4'" in hdr and "'fortran_order': False" in hdr, hdr
    shape = tuple(int(x) for x in hdr.split("(")[1].split(")")[0].split(",") if x.strip())
    n, d = shape
    vals = struct.unpack("<%df" % (n * d), raw[start + hl:start + hl + 4 * n * d])
    return [vals[i * d:(i + 1) * d] for i in range(n)]


def check_meandiff(dirs, name, bank, labels, pos, neg):
    rows = load_npy_f4(bank)
    with open(labels) as f:
        labs = [line.strip() for line in f]
    d = len(rows[0])

    def mean(sel):
        picked = [r for r, lab in zip(rows, labs) if lab in sel]
        return [sum(r[k] for r in picked) / len(picked) for k in range(d)]

    mp, mn = mean(pos.split(",")), mean(neg.split(","))
    want = [a - b for a, b in zip(mp, mn)]
    diff = max(abs(a - b) for a, b in zip(dirs[name], want))
    print("meandiff max |diff| %.3g" % diff)
    return diff < 1e-4


def main():
    dirs, meta = load_directions(sys.argv[1])
    assert meta.get("linscope.format") == "directions"
    for name, v in dirs.items():
        method = meta.get("linscope.dir.%s.method" % name, "-")
        print("%s %d %.6f %s" % (name, len(v), math.sqrt(sum(x * x for x in v)), method))
    if len(sys.argv) > 2 and sys.argv[2] == "--meandiff":
        return 0 if check_meandiff(dirs, *sys.argv[3:8]) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
