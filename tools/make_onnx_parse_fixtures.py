#!/usr/bin/python3
"""make_onnx_parse_fixtures.py: fixtures for the ONNX reader (tests/unit/test-onnx.c).

Run from the top of the source tree with Debian's python3-onnx and
python3-numpy:  /usr/bin/python3 tools/make_onnx_parse_fixtures.py

Writes into tests/fixtures/onnx-parse/:
  * hand-built models (onnx.helper) for what torch.onnx.export never writes
    but the reader must handle: typed tensor fields (float_data, int32_data,
    int64_data, double_data; FLOAT16, BFLOAT16 and BOOL widened into
    int32_data as the spec says), scalars and empty tensors, symbolic and
    missing dimensions, every attribute type, metadata_props, several opset
    domains, graph inputs that are initializers;
  * bad files, each with one defect (listed in BAD below with the words the
    error message must contain);
  * expect.json: what the onnx Python package reads from every good file
    here and in tests/fixtures/onnx/ (made by tools/make_onnx_fixtures.py):
    opset, ir_version, producer, nodes (op, name, domain, inputs, outputs,
    attributes with their types and values), initializers (dtype, dims, and
    the count, sum, first and last of their values as float64), graph
    inputs minus initializers and outputs with symbolic dims as -1, and
    metadata. The C test reads the same files and must agree on all of it.
The output is deterministic (seeded; re-running gives the same bytes).
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper, numpy_helper

OUT = "tests/fixtures/onnx-parse"
ONNX_DIR = "tests/fixtures/onnx"
rng = np.random.default_rng(20261202)

# -- good hand-built models ------------------------------------------------


def typed_model():
    """Every tensor dtype the reader accepts, in typed fields, plus raw ones."""
    w = rng.standard_normal((3, 4)).astype(np.float32)
    inits = [
        helper.make_tensor("w_float", T.FLOAT, [3, 4], w.flatten().tolist()),
        helper.make_tensor("w_raw", T.FLOAT, [2, 2], np.array([1.5, -2, 3, 0.25], np.float32).tobytes(), raw=True),
        helper.make_tensor("i32", T.INT32, [3], [7, -8, 2147483647]),
        helper.make_tensor("i64", T.INT64, [2, 2], [1, -1, 2**40, -(2**62)]),
        helper.make_tensor("f64", T.DOUBLE, [2], [3.141592653589793, -1e300]),
        helper.make_tensor("h16", T.FLOAT16, [4], [1.0, -2.5, 0.1, 65504.0]),
        helper.make_tensor("bf16", T.BFLOAT16, [3], [1.0, -2.5, 3.0e38]),
        helper.make_tensor("flags", T.BOOL, [2, 1], [True, False]),
        helper.make_tensor("scalar", T.FLOAT, [], [0.5]),
        helper.make_tensor("empty", T.FLOAT, [0, 3], []),
        helper.make_tensor("i64_raw", T.INT64, [3], np.array([0, -1, 5], np.int64).tobytes(), raw=True),
    ]
    attrs_node = helper.make_node(
        "Zoo", ["x", "w_float", ""], ["y", "y2"], name="zoo", domain="",
        alpha=0.25, count=-3, mode="nearest", ints=[1, -2, 3], floats=[0.5, -1.5],
        value=helper.make_tensor("", T.INT64, [2], [4, -4]), names=["a", "bc"])
    const = helper.make_node(
        "Constant", [], ["c"], name="const0",
        value=helper.make_tensor("cval", T.FLOAT16, [2], [0.5, -0.25]))
    other = helper.make_node("Relu", ["y"], ["z"], name="", domain="com.example")
    g = helper.make_graph(
        [attrs_node, const, other], "typed",
        [helper.make_tensor_value_info("x", T.FLOAT, ["batch", 4, None]),
         helper.make_tensor_value_info("w_float", T.FLOAT, [3, 4]),
         helper.make_value_info("noshape", helper.make_tensor_type_proto(T.FLOAT, None))],
        [helper.make_tensor_value_info("z", T.FLOAT, ["batch", "n"]),
         helper.make_tensor_value_info("y2", T.INT64, [2, 0])],
        inits)
    m = helper.make_model(g, producer_name="linscope-fixtures", producer_version="1.0",
                          opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid("com.example", 1)])
    helper.set_model_props(m, {"linscope.image": "8x8x3", "author": "fixture"})
    m.ir_version = 7
    return m


def tiny_model(name="tiny", opset=13):
    """A Gemm model: the base of the bad files."""
    w = rng.standard_normal((3, 2)).astype(np.float32)
    b = rng.standard_normal(3).astype(np.float32)
    g = helper.make_graph(
        [helper.make_node("Gemm", ["x", "w", "b"], ["y"], name="gemm", transB=1)], name,
        [helper.make_tensor_value_info("x", T.FLOAT, ["batch", 2])],
        [helper.make_tensor_value_info("y", T.FLOAT, ["batch", 3])],
        [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b")])
    m = helper.make_model(g, producer_name="linscope-fixtures",
                          opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 7
    return m


# -- bad files: (file, bytes, words the error must contain) ----------------


def bad_files():
    out = []
    m = tiny_model()
    good = m.SerializeToString()
    out.append(("bad-truncated.onnx", good[: len(good) * 2 // 3], "truncated"))
    out.append(("bad-random.onnx", rng.integers(0, 256, 700, dtype=np.uint8).tobytes(), "not an ONNX model"))
    out.append(("bad-empty.onnx", b"", "empty"))

    m = tiny_model()
    m.graph.initializer[0].dims[:] = [3, 3]   # 9 floats wanted, 6 present
    out.append(("bad-overread-raw.onnx", m.SerializeToString(), "needs 36 bytes"))

    m = tiny_model()
    t = m.graph.initializer[1]
    t.ClearField("raw_data")
    t.float_data[:] = [1.0, 2.0]               # dims [3]: one value missing
    out.append(("bad-overread-typed.onnx", m.SerializeToString(), "needs 3 values"))

    m = tiny_model()
    m.graph.initializer[0].dims[:] = [-1, 6]
    out.append(("bad-negative-dim.onnx", m.SerializeToString(), "dimension -1"))

    m = tiny_model()
    m.graph.initializer[0].dims[:] = [2**40, 2**40]
    out.append(("bad-huge-dims.onnx", m.SerializeToString(), "too large"))

    m = tiny_model()
    t = m.graph.initializer[0]
    t.data_location = T.EXTERNAL
    t.ClearField("raw_data")
    for k, v in (("location", "weights.bin"), ("offset", "0"), ("length", "24")):
        e = t.external_data.add()
        e.key, e.value = k, v
    out.append(("bad-external.onnx", m.SerializeToString(), "external data"))

    m = tiny_model()
    m.graph.initializer[0].data_location = T.EXTERNAL   # the flag alone
    out.append(("bad-external-flag.onnx", m.SerializeToString(), "external data"))

    then_g = helper.make_graph([helper.make_node("Identity", ["x"], ["t"])], "then", [],
                               [helper.make_tensor_value_info("t", T.FLOAT, None)])
    m = tiny_model()
    m.graph.node.append(helper.make_node("If", ["cond"], ["o"], name="branch",
                                         then_branch=then_g, else_branch=then_g))
    out.append(("bad-graph-attr.onnx", m.SerializeToString(), "subgraph"))

    m = tiny_model()
    m.graph.node.append(helper.make_node("Loop", ["n", "c"], ["o"], name="loop"))
    a = m.graph.node[-1].attribute.add()
    a.name, a.type = "bodies", onnx.AttributeProto.GRAPHS
    a.graphs.append(then_g)
    out.append(("bad-graphs-attr.onnx", m.SerializeToString(), "subgraph"))

    m = tiny_model()
    m.graph.node[0].name = "ge\0mm"
    out.append(("bad-nul-name.onnx", m.SerializeToString(), "NUL"))

    m = tiny_model()
    m.graph.initializer[0].data_type = T.UINT8
    out.append(("bad-dtype.onnx", m.SerializeToString(), "data type 2"))

    m = tiny_model()
    m.graph.initializer[1].name = "w"
    out.append(("bad-dup-init.onnx", m.SerializeToString(), "two initializers"))

    m = tiny_model()
    m.ClearField("graph")
    out.append(("bad-no-graph.onnx", m.SerializeToString(), "no graph"))

    m = tiny_model()
    m.graph.node[0].op_type = ""
    out.append(("bad-no-op.onnx", m.SerializeToString(), "no op_type"))

    m = tiny_model()
    v = m.graph.input[0].type.tensor_type.shape
    for _ in range(8):
        v.dim.add().dim_value = 1
    out.append(("bad-rank.onnx", m.SerializeToString(), "input 0 'x' has 10 dimensions"))

    m = tiny_model()
    s = m.graph.sparse_initializer.add()
    s.values.CopyFrom(helper.make_tensor("sv", T.FLOAT, [1], [1.0]))
    s.indices.CopyFrom(helper.make_tensor("si", T.INT64, [1], [0]))
    s.dims[:] = [4]
    out.append(("bad-sparse.onnx", m.SerializeToString(), "sparse"))
    return out


# -- expectations ----------------------------------------------------------


def tensor_values(t):
    """The values of t as float64, as the C reader widens them."""
    if t.data_type == T.BFLOAT16:
        raw = (np.frombuffer(t.raw_data, np.uint16) if t.raw_data
               else np.array(t.int32_data, np.uint32).astype(np.uint16))
        return (raw.astype(np.uint32) << 16).view(np.float32).astype(np.float64)
    return numpy_helper.to_array(t).astype(np.float64).flatten()


def tensor_facts(t):
    v = tensor_values(t)
    return {"name": t.name, "dtype": t.data_type, "dims": list(t.dims), "nelem": int(v.size),
            # a left-to-right float64 sum, as the C test computes it
            "sum": float(sum(float(x) for x in v)),
            "first": float(v[0]) if v.size else None, "last": float(v[-1]) if v.size else None}


def attr_facts(a):
    f = {"name": a.name, "type": a.type}
    if a.type == onnx.AttributeProto.FLOAT:
        f["f"] = float(np.float32(a.f))
    elif a.type == onnx.AttributeProto.INT:
        f["i"] = a.i
    elif a.type == onnx.AttributeProto.STRING:
        f["s"] = a.s.decode()
    elif a.type == onnx.AttributeProto.TENSOR:
        f["t"] = tensor_facts(a.t)
    elif a.type == onnx.AttributeProto.FLOATS:
        f["floats"] = [float(np.float32(x)) for x in a.floats]
    elif a.type == onnx.AttributeProto.INTS:
        f["ints"] = list(a.ints)
    return f


def value_facts(v):
    tt = v.type.tensor_type
    if not tt.HasField("shape"):
        return {"name": v.name, "dtype": tt.elem_type, "dims": None}
    dims = [d.dim_value if d.HasField("dim_value") else -1 for d in tt.shape.dim]
    return {"name": v.name, "dtype": tt.elem_type, "dims": dims}


def model_facts(path):
    m = onnx.load(path)
    g = m.graph
    inits = {t.name for t in g.initializer}
    opset = [o.version for o in m.opset_import if o.domain in ("", "ai.onnx")]
    return {
        "file": path, "ir_version": m.ir_version, "opset": opset[0] if opset else 0,
        "producer": m.producer_name, "producer_version": m.producer_version,
        "nodes": [{"op": n.op_type, "name": n.name, "domain": n.domain, "in": list(n.input),
                   "out": list(n.output), "attrs": [attr_facts(a) for a in n.attribute]}
                  for n in g.node],
        "inits": [tensor_facts(t) for t in g.initializer],
        "inputs": [value_facts(v) for v in g.input if v.name not in inits],
        "outputs": [value_facts(v) for v in g.output],
        "props": {p.key: p.value for p in m.metadata_props},
    }


def has_subgraph(path):
    m = onnx.load(path)
    return any(a.type in (onnx.AttributeProto.GRAPH, onnx.AttributeProto.GRAPHS)
               for n in m.graph.node for a in n.attribute)


def main():
    os.makedirs(OUT, exist_ok=True)
    good = []
    m = typed_model()
    path = os.path.join(OUT, "typed.onnx")
    with open(path, "wb") as f:
        f.write(m.SerializeToString())
    good.append(path)
    path = os.path.join(OUT, "tiny.onnx")
    with open(path, "wb") as f:
        f.write(tiny_model().SerializeToString())
    good.append(path)
    bad = []
    for name, data, words in bad_files():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        bad.append({"file": os.path.join(OUT, name), "words": words})
    if os.path.isdir(ONNX_DIR):
        for f in sorted(os.listdir(ONNX_DIR)):
            p = os.path.join(ONNX_DIR, f)
            if f.endswith(".onnx") and not f.startswith("bad-") and not has_subgraph(p):
                good.append(p)
    facts = {"generated_by": "tools/make_onnx_parse_fixtures.py", "onnx": onnx.__version__,
             "good": [model_facts(p) for p in good], "bad": bad}
    with open(os.path.join(OUT, "expect.json"), "w") as f:
        json.dump(facts, f, sort_keys=True, separators=(",", ":"))
        f.write("\n")
    print(f"{len(good)} good models, {len(bad)} bad files -> {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
