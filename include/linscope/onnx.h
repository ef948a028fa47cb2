/*
 * onnx.h: an ONNX model file, parsed (formats layer: no network semantics).
 *
 * ls_onnx_open() maps the file and decodes the protobuf (ModelProto, as
 * written by torch.onnx.export, opsets 11..17) into the plain structures
 * below. Nothing here knows what an operator computes: the model layer
 * (src/model/) turns a graph into a network of node kinds, infers shapes and
 * folds shape subgraphs. Every string and array is owned by the struct
 * ls_onnx (one arena, freed by ls_onnx_free()). Tensor data points into the
 * decoded protobuf: protobuf-c copies raw_data out of the file once while
 * decoding (so weights are copied exactly once, and every tensor's data is
 * aligned to 16 bytes); typed fields (float_data, int64_data, ...) are used
 * in place, except FLOAT16/BFLOAT16/BOOL, which the spec stores one per
 * int32 and the parser narrows into a packed buffer. The file itself is
 * unmapped before ls_onnx_open() returns. External data is refused at open.
 *
 * Limits (checked at open, errors name the file): LS_ONNX_MAX_NODES nodes,
 * LS_ONNX_MAX_DIMS dimensions per tensor, every tensor's data present in
 * full (exactly nelem values), at most twice the file size plus 64 MiB of
 * memory for the decoded protobuf, LS_ONNX_MAX_NEST nesting of messages (the
 * schema cannot recurse: subgraphs in attributes are refused, so no
 * If/Loop/Scan). Strings must not hold a NUL byte.
 */
#ifndef LINSCOPE_ONNX_H
#define LINSCOPE_ONNX_H

#include <stddef.h>
#include <stdint.h>

#include "linscope/status.h"

#define LS_ONNX_MAX_NODES 100000
#define LS_ONNX_MAX_DIMS 8
#define LS_ONNX_MAX_NEST 16

/* ONNX TensorProto.DataType values linscope accepts. */
enum ls_onnx_dtype {
	LS_ONNX_FLOAT = 1,
	LS_ONNX_INT32 = 6,
	LS_ONNX_INT64 = 7,
	LS_ONNX_BOOL = 9,
	LS_ONNX_FLOAT16 = 10,
	LS_ONNX_DOUBLE = 11,
	LS_ONNX_BFLOAT16 = 16
};

/* A constant tensor (initializer, Constant node value, tensor attribute). */
struct ls_onnx_tensor {
	char *name;
	enum ls_onnx_dtype dtype;
	int ndim;
	int64_t dims[LS_ONNX_MAX_DIMS];
	int64_t nelem;        /* product of dims (1 for a scalar) */
	int64_t nbytes;       /* nelem * ls_onnx_dtype_size(dtype) */
	const void *data;     /* nelem elements of dtype, little-endian, packed,
				 16-byte aligned; NULL when nelem is 0 */
};

/* Bytes per element of a dtype above (BOOL: 1); 0 for any other value. */
int ls_onnx_dtype_size(enum ls_onnx_dtype t);

enum ls_onnx_attr_type {
	LS_ONNX_ATTR_FLOAT = 1,
	LS_ONNX_ATTR_INT = 2,
	LS_ONNX_ATTR_STRING = 3,
	LS_ONNX_ATTR_TENSOR = 4,
	LS_ONNX_ATTR_FLOATS = 6,
	LS_ONNX_ATTR_INTS = 7,
	/* Kept by name and ONNX type number with no payload, so a node kind
	 * that looks one up sees a type it does not expect: STRINGS, TENSORS,
	 * and SPARSE_TENSOR(S), TYPE_PROTO(S) (11..14). GRAPH (5) and GRAPHS
	 * (10) are refused at open. */
	LS_ONNX_ATTR_STRINGS = 8,
	LS_ONNX_ATTR_TENSORS = 9
};

struct ls_onnx_attr {
	char *name;
	enum ls_onnx_attr_type type;
	float f;
	int64_t i;
	char *s;                       /* NUL-terminated copy */
	float *floats;
	int64_t *ints;
	int n;                         /* count of floats or ints */
	struct ls_onnx_tensor *t;      /* TENSOR */
};

struct ls_onnx_node {
	char *name;                    /* may be "" */
	char *op;                      /* op_type, e.g. "Conv" */
	char *domain;                  /* "" or "ai.onnx" */
	int nin, nout, nattr;
	char **in;                     /* "" for an omitted optional input */
	char **out;
	struct ls_onnx_attr *attrs;
};

/* A graph input or output: name, element type and shape; a dimension is
 * -1 when it is symbolic (dim_param) or missing. ndim -1: no shape at all. */
struct ls_onnx_value {
	char *name;
	enum ls_onnx_dtype dtype;
	int ndim;
	int64_t dims[LS_ONNX_MAX_DIMS];
};

struct ls_onnx {
	char *path;
	int64_t ir_version;
	int64_t opset;                 /* of the default ("" / ai.onnx) domain;
					  0 when the file names none */
	char *producer;                /* producer_name, e.g. "pytorch" ("" if none) */
	char *producer_version;        /* e.g. "1.13.0" ("" if none) */
	int nnodes, ninits, ninputs, noutputs, nprops;
	struct ls_onnx_node *nodes;    /* in file order (topologically sorted) */
	struct ls_onnx_tensor *inits;  /* initializers */
	struct ls_onnx_value *inputs;  /* graph inputs that are not initializers */
	struct ls_onnx_value *outputs;
	char **prop_keys, **prop_values;   /* metadata_props */
	/* private: the arena holding everything above, the sorted initializer
	 * index */
	void *owned;
};

/* Is the buffer an ONNX model? buf holds the first len bytes of a file (a
 * prefix is enough: 4096 bytes, or all of a short file). 1 when they are a
 * well-formed run of ModelProto fields (known field numbers with their wire
 * types) that includes ir_version or the graph; a cheap test, for
 * recognising files by content. */
int ls_onnx_sniff(const void *buf, size_t len);

/* Parses path. Returns LS_OK and *o; free with ls_onnx_free() (NULL: no-op).
 * Errors:
 * LS_EIO (cannot read), LS_EFORMAT (not ONNX, truncated, external data,
 * nested graphs, limits), with err naming the file. */
enum ls_status ls_onnx_open(const char *path, struct ls_onnx **o, char *err);
/* The same over a buffer in memory (the fuzz target); name is the subject of
 * error messages. Nothing in *o points into buf, which may be freed once
 * this returns. */
enum ls_status ls_onnx_parse(const void *buf, size_t len, const char *name,
			     struct ls_onnx **o, char *err);
void ls_onnx_free(struct ls_onnx *o);

/* Look-ups: NULL when absent. */
const struct ls_onnx_tensor *ls_onnx_init(const struct ls_onnx *o, const char *name);
const struct ls_onnx_attr *ls_onnx_attr(const struct ls_onnx_node *n, const char *name);
const char *ls_onnx_prop(const struct ls_onnx *o, const char *key);

#endif
