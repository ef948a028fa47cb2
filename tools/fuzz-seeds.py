#!/usr/bin/env python3
"""Writes the seed corpora of the fuzzing harnesses under tests/fuzz/corpus/.

Seeds come from the small fixtures in tests/fixtures/ (whole, truncated and
edited copies) and from tiny files made here with the standard library only
(PNG through zlib). Run from the top of the source tree:
    python3 tools/fuzz-seeds.py
"""
import os
import struct
import zlib

FIX = "tests/fixtures"
OUT = "tests/fuzz/corpus"


def put(name, fname, data):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, fname), "wb") as f:
        f.write(data)


def fixture(fname):
    with open(os.path.join(FIX, fname), "rb") as f:
        return f.read()


def st_image(header, data=b""):
    h = header.encode()
    return struct.pack("<Q", len(h)) + h + data


def st_seeds():
    for f in sorted(os.listdir(FIX)):
        if f.endswith(".safetensors") and len(fixture(f)) <= 4000:
            b = fixture(f)
            put("st", f, b)
            n = struct.unpack("<Q", b[:8])[0]
            put("st", f + ".hdr-only", b[:8 + n])
            put("st", f + ".cut", b[: 8 + n + (len(b) - 8 - n) // 2])
    put("st", "empty-object", st_image("{}"))
    put("st", "meta", st_image('{"__metadata__":{"a":"b","linscope.format":"directions"}}'))
    put("st", "one-f32", st_image('{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}',
                                  struct.pack("<2f", 1.5, -2)))
    dts = [("F16", 2), ("BF16", 2), ("F64", 8), ("I64", 8), ("I32", 4), ("U8", 1),
           ("I8", 1), ("I16", 2), ("U16", 2), ("U32", 4), ("U64", 8), ("BOOL", 1),
           ("F8_E4M3", 1), ("F8_E5M2", 1)]
    for dt, sz in dts:
        put("st", "dtype-" + dt, st_image(
            '{"a":{"dtype":"%s","shape":[1,2],"data_offsets":[0,%d]}}' % (dt, 2 * sz),
            bytes(range(0x3b, 0x3b + 2 * sz))))
    put("st", "two-scalar", st_image(
        '{"s":{"dtype":"F32","shape":[],"data_offsets":[4,8]},'
        '"z":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]}}', b"\0\0\0\0\0\0\x80\x3f"))
    put("st", "overlap", st_image(
        '{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},'
        '"b":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}}', b"abc"))


def npy_image(descr, shape, data, version=1, order="False"):
    d = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (
        descr, order, "(" + "".join("%d," % s for s in shape) + ")" if len(shape) != 1
        else "(%d,)" % shape[0])
    pre = 10 if version == 1 else 12
    pad = (64 - (pre + len(d) + 1) % 64) % 64
    h = (d + " " * pad + "\n").encode()
    lenf = struct.pack("<H", len(h)) if version == 1 else struct.pack("<I", len(h))
    return b"\x93NUMPY" + bytes([version, 0]) + lenf + h + data


def npy_seeds():
    for f in sorted(os.listdir(FIX)):
        if f.endswith(".npy") and len(fixture(f)) <= 700:
            b = fixture(f)
            put("npy", f, b)
    put("npy", "f4-cut", fixture("npy-f4-v1.npy")[:140])
    put("npy", "i2", npy_image("<i2", [3], struct.pack("<3h", 1, -2, 3)))
    put("npy", "u8", npy_image("<u8", [2], struct.pack("<2Q", 1, 2 ** 63)))
    put("npy", "f8-v2", npy_image("<f8", [1, 2], struct.pack("<2d", 1, 2), version=2))
    put("npy", "v3", npy_image("<f4", [2], struct.pack("<2f", 1, 2), version=3))
    put("npy", "scalar", npy_image("<f4", [], struct.pack("<f", 7)))
    put("npy", "zero-rows", npy_image("<f4", [0, 4], b""))


def label_seeds():
    put("labels", "digits", b"\x05" + b"0\n1\n2\n3\n4\n")
    put("labels", "words-crlf", b"\x03" + b" cat\r\ndog \r\n\tcat\r\n\n")
    put("labels", "too-many", b"\x01" + b"a\nb\nc\n")
    put("labels", "long", b"\x01" + b"x" * 300 + b"\n")
    put("labels", "no-newline", b"\x02" + b"a\nb")
    put("labels", "npy-i8", b"\x03" + npy_image("<i8", [3], struct.pack("<3q", 7, -1, 7)))
    put("labels", "npy-u1", b"\x04" + npy_image("|u1", [4], b"\1\2\1\0"))
    put("labels", "npy-f4", b"\x02" + npy_image("<f4", [2], struct.pack("<2f", 1, 2)))


def png_chunk(kind, data):
    c = kind + data
    return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xffffffff)


def png_image(w, h, depth, ctype, rows, extra=b"", interlace=0):
    ihdr = struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, interlace)
    raw = b"".join(b"\0" + r for r in rows)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + extra +
            png_chunk(b"IDAT", zlib.compress(raw)) + png_chunk(b"IEND", b""))


def png_seeds():
    put("png", "gray8", png_image(3, 2, 8, 0, [b"\0\x80\xff", b"\x10\x20\x30"]) + b"\1")
    put("png", "rgb8", png_image(2, 2, 8, 2, [bytes(range(6)), bytes(range(6, 12))]) + b"\2")
    put("png", "rgba8", png_image(1, 2, 8, 6, [b"\1\2\3\4", b"\5\6\7\x80"]) + b"\0")
    put("png", "gray16", png_image(2, 1, 16, 0, [b"\x12\x34\xff\xff"]) + b"\0")
    put("png", "gray-alpha", png_image(2, 1, 8, 4, [b"\x80\x40\x20\xff"]) + b"\2")
    put("png", "gray1", png_image(9, 1, 1, 0, [b"\xa5\x80"]) + b"\1")
    pal = png_chunk(b"PLTE", b"\0\0\0\xff\0\0\0\xff\0") + png_chunk(b"tRNS", b"\xff\x80")
    put("png", "palette", png_image(3, 1, 8, 3, [b"\0\1\2"], extra=pal) + b"\0")
    put("png", "interlaced", png_image(1, 1, 8, 0, [b"\x7f"], interlace=1) + b"\1")
    g = png_image(4, 4, 8, 0, [bytes(4)] * 4)
    put("png", "truncated", g[:40])
    put("png", "gamma", png_image(1, 1, 8, 2, [b"\1\2\3"],
                                  extra=png_chunk(b"gAMA", struct.pack(">I", 45455))) + b"\2")


def program_seeds():
    progs = ["a.weight", "a relu b", "a tanh b sigmoid", "c leaky_relu c identity",
             "e leaky_relu:0.2 e", "a  relu\tb\nrelu", "n", "bad", "mm", "z", "i",
             "x:y", "relu", "leaky_relu:abc", "b", "a relu a", "leaky_relu:1e300 c",
             ""]
    for k, p in enumerate(progs):
        put("program", "fixed-%02d" % k, b"\0" + p.encode())
    for f in sorted(os.listdir(FIX)):
        if f.endswith(".safetensors") and len(fixture(f)) <= 4000:
            put("program", "own-" + f, b"\x80" + fixture(f))


def dirfile_seeds():
    vec = struct.pack("<3f", 1, 0, -1) + struct.pack("<3f", 0.5, 0.5, 0)
    meta = ('"__metadata__":{"linscope.format":"directions",'
            '"linscope.dir.smile.method":"pca","linscope.dir.smile.sigma":"1.25",'
            '"linscope.dir.age.note":"x","other.key":"kept"}')
    put("dirfile", "two", st_image(
        '{%s,"smile":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},'
        '"age":{"dtype":"F32","shape":[3],"data_offsets":[12,24]}}' % meta, vec))
    put("dirfile", "f16", st_image(
        '{"u":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}', b"\0\x3c\0\xbc"))
    put("dirfile", "f64", st_image(
        '{"u":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}', struct.pack("<d", 2)))
    put("dirfile", "matrix", st_image(
        '{"m":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]}}', bytes(8)))
    put("dirfile", "empty", st_image('{"__metadata__":{"linscope.format":"directions"}}'))
    put("dirfile", "dotted", st_image(
        '{"__metadata__":{"linscope.dir.a.b.c":"v"},'
        '"a.b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', bytes(4)))


def factors_seeds():
    """Row count, names length, names, then the .npy (fuzz-factors.c)."""
    def seed(fname, rows, names, npy):
        put("factors", fname, bytes([rows, len(names)]) + names + npy)
    two = npy_image("<f8", [2, 2], struct.pack("<4d", 1, 2, 3, 4))
    seed("f8-named", 2, b"a\nb\n", two)
    seed("f8-unnamed", 2, b"", two)
    seed("any-rows", 255, b"x\ny\n", two)
    seed("wrong-rows", 3, b"a\nb\n", two)
    seed("few-names", 2, b"a\n", two)
    seed("f4", 1, b"", npy_image("<f4", [1, 3], struct.pack("<3f", 0.5, -1, 2)))
    seed("nan", 1, b"", npy_image("<f4", [1, 2], struct.pack("<2f", 1, float("nan"))))
    seed("inf", 1, b"", npy_image("<f8", [1, 1], struct.pack("<d", float("inf"))))
    seed("one-d", 2, b"", npy_image("<f8", [2], struct.pack("<2d", 1, 2)))
    seed("ints", 2, b"", npy_image("<i8", [2, 1], struct.pack("<2q", 1, 2)))
    seed("cut", 2, b"", two[:-5])


if __name__ == "__main__":
    factors_seeds()
    dirfile_seeds()
    st_seeds()
    npy_seeds()
    label_seeds()
    png_seeds()
    program_seeds()
