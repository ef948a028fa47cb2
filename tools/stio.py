"""Minimal safetensors reader/writer and PNG writer (numpy + stdlib only).

The `safetensors` Python package is not needed.  Format written:

    u64 little-endian N | N bytes of JSON header (space-padded to a multiple of 8)
    | raw little-endian tensor data

The JSON header maps each tensor name to {"dtype", "shape", "data_offsets"}
(offsets relative to the start of the data section) and may hold
"__metadata__": {str: str}.  Tensors are laid out in the order given,
back to back with no gaps (the reference implementation rejects holes), so
put wider dtypes first if alignment matters to a reader.
"""

import json
import struct
import zlib

import numpy as np

# numpy dtype <-> safetensors dtype name.  BF16 has no numpy dtype: it is
# passed around as uint16 bit patterns (see f32_to_bf16_bits).
_NP2ST = {
    np.dtype("<f4"): "F32",
    np.dtype("<f2"): "F16",
    np.dtype("<f8"): "F64",
    np.dtype("<i8"): "I64",
    np.dtype("<i4"): "I32",
    np.dtype("<u1"): "U8",
}
_ST2NP = {v: k for k, v in _NP2ST.items()}
_ST2NP["BF16"] = np.dtype("<u2")


def f32_to_bf16_bits(a):
    """Round float32 values to bfloat16 (round to nearest even); return uint16 bits."""
    a = np.ascontiguousarray(a, dtype="<f4")
    u = a.view("<u4").astype(np.uint64)
    rounding = ((u >> 16) & 1) + 0x7FFF
    out = ((u + rounding) >> 16).astype("<u2")
    # keep NaNs NaN
    nan = np.isnan(a)
    out[nan] = 0x7FC0
    return out


def bf16_bits_to_f32(bits):
    """uint16 bfloat16 bit patterns -> float32."""
    b = np.asarray(bits, dtype="<u2").astype("<u4") << 16
    return b.view("<f4")


def write_safetensors(path, tensors, metadata=None):
    """Write tensors to a .safetensors file.

    tensors: list of (name, array) or (name, array, dtype_name) in file order,
             or a dict name -> array.  Arrays are stored little-endian, C order.
             To store BF16, pass (name, uint16_bits, "BF16").
    metadata: dict str -> str, stored as "__metadata__".
    """
    if isinstance(tensors, dict):
        tensors = list(tensors.items())
    header = {}
    if metadata:
        for k, v in metadata.items():
            if not isinstance(k, str) or not isinstance(v, str):
                raise TypeError("metadata must map str to str: %r" % ((k, v),))
        header["__metadata__"] = dict(metadata)
    blobs = []
    off = 0
    for item in tensors:
        if len(item) == 3:
            name, arr, dt = item
            arr = np.asarray(arr)
            if dt == "BF16":
                if arr.dtype != np.uint16:
                    raise TypeError("BF16 tensor %s must be given as uint16 bits" % name)
                arr = arr.astype("<u2")
            else:
                arr = arr.astype(_ST2NP[dt])
        else:
            name, arr = item
            arr = np.asarray(arr)
            le = arr.dtype.newbyteorder("<") if arr.dtype.byteorder == ">" else arr.dtype
            if le not in _NP2ST:
                raise TypeError("unsupported dtype %s for %s" % (arr.dtype, name))
            dt = _NP2ST[le]
            arr = arr.astype(_ST2NP[dt])
        if name in header:
            raise ValueError("duplicate tensor name %s" % name)
        raw = np.ascontiguousarray(arr).tobytes()
        header[name] = {"dtype": dt, "shape": list(arr.shape),
                        "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    hj = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hj += b" " * ((-len(hj)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hj)))
        f.write(hj)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    """Return (dict name -> numpy array, metadata dict).

    BF16 tensors are returned converted to float32."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    base = 8 + n
    out = {}
    for name, e in header.items():
        b, en = e["data_offsets"]
        dt = _ST2NP[e["dtype"]]
        a = np.frombuffer(data[base + b: base + en], dtype=dt).reshape(e["shape"])
        if e["dtype"] == "BF16":
            a = bf16_bits_to_f32(a).reshape(e["shape"])
        out[name] = a.copy()
    return out, meta


def write_png(path, img):
    """Write a grey (H, W) or RGB (H, W, 3) image; float in [0,1] or uint8."""
    a = np.asarray(img)
    if a.dtype != np.uint8:
        a = (np.clip(a, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
    if a.ndim == 2:
        ctype, ch = 0, 1
    elif a.ndim == 3 and a.shape[2] == 3:
        ctype, ch = 2, 3
    else:
        raise ValueError("image must be (H,W) or (H,W,3)")
    h, w = a.shape[:2]
    rows = a.reshape(h, w * ch)
    raw = b"".join(b"\0" + rows[y].tobytes() for y in range(h))

    def chunk(t, d):
        c = struct.pack(">I", len(d)) + t + d
        return c + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, ctype, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 9))
    png += chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


def image_grid(images, h, w, cols, pad=1):
    """Tile N flat images of h*w values into one (H, W) array."""
    images = np.asarray(images).reshape(-1, h, w)
    n = images.shape[0]
    rows = (n + cols - 1) // cols
    g = np.ones((rows * (h + pad) + pad, cols * (w + pad) + pad), dtype=np.float32) * 0.5
    for i in range(n):
        r, c = divmod(i, cols)
        y, x = pad + r * (h + pad), pad + c * (w + pad)
        g[y:y + h, x:x + w] = images[i]
    return g
