/*
 * onnx_tensor.c: ONNX tensors and graph values, from the decoded protobuf
 * into the plain structs of linscope/onnx.h.
 *
 * A tensor is accepted only when it is whole: a dtype linscope knows, at
 * most LS_ONNX_MAX_DIMS non-negative dims whose product (times the element
 * size) does not overflow, its data in exactly one place (raw_data, or the
 * typed field the spec assigns to the dtype) holding exactly nelem values,
 * and no external data. data then points at those bytes in the arena (no
 * copy), except for the dtypes the spec stores widened in int32_data
 * (FLOAT16, BFLOAT16, BOOL), which are narrowed into a new arena buffer, and
 * typed fields on a big-endian host, which are copied as little-endian.
 */
#include <stdio.h>
#include <string.h>

#include "formats/onnx_impl.h"
#include "base/util.h"

/* Where a dtype's values live when they are not in raw_data. */
enum src { SRC_FLOAT, SRC_INT32, SRC_INT64, SRC_DOUBLE };

struct dtype_info {
	int dtype, size;
	enum src src;
	const char *name;
};

static const struct dtype_info dtypes[] = {
	{ LS_ONNX_FLOAT, 4, SRC_FLOAT, "FLOAT" },
	{ LS_ONNX_INT32, 4, SRC_INT32, "INT32" },
	{ LS_ONNX_INT64, 8, SRC_INT64, "INT64" },
	{ LS_ONNX_BOOL, 1, SRC_INT32, "BOOL" },
	{ LS_ONNX_FLOAT16, 2, SRC_INT32, "FLOAT16" },
	{ LS_ONNX_DOUBLE, 8, SRC_DOUBLE, "DOUBLE" },
	{ LS_ONNX_BFLOAT16, 2, SRC_INT32, "BFLOAT16" },
};

static const struct dtype_info *
dtype_find(int t)
{
	size_t i;

	for (i = 0; i < sizeof dtypes / sizeof dtypes[0]; i++)
		if (dtypes[i].dtype == t)
			return &dtypes[i];
	return NULL;
}

int
ls_onnx_dtype_size(enum ls_onnx_dtype t)
{
	const struct dtype_info *d = dtype_find((int)t);

	return d ? d->size : 0;
}

static int
host_le(void)
{
	const uint16_t one = 1;

	return *(const unsigned char *)&one == 1;
}

/* The n elements of size sz at p, as little-endian bytes: p itself on a
 * little-endian host, else a byte-swapped arena copy. */
static const void *
typed_le(struct onnx_ctx *c, const void *p, size_t n, int sz)
{
	unsigned char *q;
	size_t i;
	int k;

	if (host_le() || n == 0)
		return p;
	q = onnx_alloc(c->arena, n * (size_t)sz);
	for (i = 0; i < n; i++)
		for (k = 0; k < sz; k++)
			q[i * sz + k] = ((const unsigned char *)p)[i * sz + sz - 1 - k];
	return q;
}

/* FLOAT16/BFLOAT16 (one uint16 per int32) and BOOL (0/1 per int32), packed. */
static enum ls_status
narrow(struct onnx_ctx *c, const int32_t *v, size_t n, int sz, const void **out, char *err)
{
	unsigned char *q = onnx_alloc(c->arena, n * (size_t)sz + 1);
	size_t i;

	for (i = 0; i < n; i++) {
		if (sz == 1) {
			q[i] = v[i] != 0;
			continue;
		}
		if (v[i] < 0 || v[i] > 0xffff)
			return ls_err(err, LS_EFORMAT, "%s: %s: value %d in int32_data is not a 16-bit float",
				      c->name, c->where, (int)v[i]);
		q[2 * i] = (unsigned char)(v[i] & 0xff);
		q[2 * i + 1] = (unsigned char)(v[i] >> 8);
	}
	*out = q;
	return LS_OK;
}

/* The typed field of dtype d: its count and values. */
static size_t
typed_field(const LsPb__TensorProto *t, const struct dtype_info *d, const void **v)
{
	switch (d->src) {
	case SRC_FLOAT: *v = t->float_data; return t->n_float_data;
	case SRC_INT32: *v = t->int32_data; return t->n_int32_data;
	case SRC_INT64: *v = t->int64_data; return t->n_int64_data;
	case SRC_DOUBLE: *v = t->double_data; return t->n_double_data;
	}
	*v = NULL;
	return 0;
}

/* How many places hold data: raw_data and each typed field. */
static int
data_places(const LsPb__TensorProto *t)
{
	return (t->has_raw_data && t->raw_data.len > 0) + (t->n_float_data > 0) +
	       (t->n_int32_data > 0) + (t->n_int64_data > 0) + (t->n_double_data > 0);
}

/* dims -> out->dims, nelem, nbytes, with the overflow checks. */
static enum ls_status
tensor_shape(struct onnx_ctx *c, const LsPb__TensorProto *t, int sz,
	     struct ls_onnx_tensor *out, char *err)
{
	const int64_t cap = INT64_C(1) << 56;   /* far above any file, far below overflow */
	size_t i;

	if (t->n_dims > LS_ONNX_MAX_DIMS)
		return ls_err(err, LS_EFORMAT, "%s: %s has %zu dimensions (at most %d)", c->name,
			      c->where, t->n_dims, LS_ONNX_MAX_DIMS);
	out->ndim = (int)t->n_dims;
	out->nelem = 1;
	for (i = 0; i < t->n_dims; i++) {
		if (t->dims[i] < 0 || t->dims[i] > cap)
			return ls_err(err, LS_EFORMAT, "%s: %s has dimension %lld", c->name,
				      c->where, (long long)t->dims[i]);
		out->dims[i] = t->dims[i];
		if (t->dims[i] != 0 && out->nelem > cap / t->dims[i])
			return ls_err(err, LS_EFORMAT, "%s: %s is too large", c->name, c->where);
		out->nelem *= t->dims[i];
	}
	out->nbytes = out->nelem * sz;
	return LS_OK;
}

/* Finds the data of an accepted tensor and points out->data at it. */
static enum ls_status
tensor_data(struct onnx_ctx *c, const LsPb__TensorProto *t, const struct dtype_info *d,
	    struct ls_onnx_tensor *out, char *err)
{
	const void *v;
	size_t n;

	if (data_places(t) > 1)
		return ls_err(err, LS_EFORMAT, "%s: %s holds its data in more than one field",
			      c->name, c->where);
	if (out->nelem == 0)
		return data_places(t) ? ls_err(err, LS_EFORMAT, "%s: %s is empty but holds data",
					       c->name, c->where) : LS_OK;
	if (t->has_raw_data && t->raw_data.len > 0) {
		if ((int64_t)t->raw_data.len != out->nbytes)
			return ls_err(err, LS_EFORMAT, "%s: %s needs %lld bytes of raw_data but has %zu",
				      c->name, c->where, (long long)out->nbytes, t->raw_data.len);
		out->data = t->raw_data.data;
		return LS_OK;
	}
	n = typed_field(t, d, &v);
	if (n == 0)
		return ls_err(err, LS_EFORMAT, "%s: %s has no data", c->name, c->where);
	if ((int64_t)n != out->nelem)
		return ls_err(err, LS_EFORMAT, "%s: %s needs %lld values but has %zu", c->name,
			      c->where, (long long)out->nelem, n);
	if (d->src == SRC_INT32 && d->size != 4)
		return narrow(c, v, n, d->size, &out->data, err);
	out->data = typed_le(c, v, n, d->size);
	return LS_OK;
}

/* Refuses tensors whose data lives in another file. */
static enum ls_status
tensor_external(struct onnx_ctx *c, const LsPb__TensorProto *t, char *err)
{
	if (t->n_external_data > 0 || (t->has_data_location && t->data_location == 1))
		return ls_err(err, LS_EFORMAT,
			      "%s: %s keeps its data in a separate file (ONNX external data), which linscope does not read; "
			      "save the model as one file (onnx.save_model(m, path, save_as_external_data=False))",
			      c->name, c->where);
	if (t->has_data_location && t->data_location != 0)
		return ls_err(err, LS_EFORMAT, "%s: %s has data_location %d", c->name, c->where,
			      (int)t->data_location);
	return LS_OK;
}

enum ls_status
onnx_tensor(struct onnx_ctx *c, const LsPb__TensorProto *t, struct ls_onnx_tensor *out,
	    char *err)
{
	const struct dtype_info *d;
	enum ls_status s;

	memset(out, 0, sizeof *out);
	if ((s = onnx_cstr(c, &t->name, t->has_name, "tensor name", &out->name, err)))
		return s;
	if (out->name[0]) {
		size_t l = strlen(c->where);
		snprintf(c->where + l, sizeof c->where - l, " '%s'", out->name);
	}
	if ((s = tensor_external(c, t, err)))
		return s;
	if (!(d = dtype_find(t->data_type)))
		return ls_err(err, LS_EFORMAT,
			      "%s: %s has data type %d, which linscope does not read "
			      "(FLOAT, DOUBLE, FLOAT16, BFLOAT16, INT32, INT64, BOOL)",
			      c->name, c->where, (int)t->data_type);
	out->dtype = (enum ls_onnx_dtype)d->dtype;
	if ((s = tensor_shape(c, t, d->size, out, err)))
		return s;
	return tensor_data(c, t, d, out, err);
}

/* The shape of a tensor-typed value; ndim -1 when there is none. */
static enum ls_status
value_shape(struct onnx_ctx *c, const LsPb__TypeProto__Tensor *tt, struct ls_onnx_value *out,
	    char *err)
{
	const LsPb__TensorShapeProto *sh = tt->shape;
	size_t i;

	out->dtype = (enum ls_onnx_dtype)tt->elem_type;
	out->ndim = -1;
	if (!sh)
		return LS_OK;
	if (sh->n_dim > LS_ONNX_MAX_DIMS)
		return ls_err(err, LS_EFORMAT, "%s: %s has %zu dimensions (at most %d)", c->name,
			      c->where, sh->n_dim, LS_ONNX_MAX_DIMS);
	out->ndim = (int)sh->n_dim;
	for (i = 0; i < sh->n_dim; i++) {
		const LsPb__TensorShapeProto__Dimension *dm = sh->dim[i];

		out->dims[i] = -1;
		if (dm->value_case != LS_PB__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE)
			continue;
		if (dm->dim_value < 0)
			return ls_err(err, LS_EFORMAT, "%s: %s has dimension %lld", c->name,
				      c->where, (long long)dm->dim_value);
		out->dims[i] = dm->dim_value;
	}
	return LS_OK;
}

enum ls_status
onnx_value(struct onnx_ctx *c, const LsPb__ValueInfoProto *v, struct ls_onnx_value *out,
	   char *err)
{
	enum ls_status s;
	size_t l;

	memset(out, 0, sizeof *out);
	out->ndim = -1;
	if ((s = onnx_cstr(c, &v->name, v->has_name, "value name", &out->name, err)))
		return s;
	if (!out->name[0])
		return ls_err(err, LS_EFORMAT, "%s: %s has no name", c->name, c->where);
	l = strlen(c->where);
	snprintf(c->where + l, sizeof c->where - l, " '%s'", out->name);
	if (v->type && v->type->value_case == LS_PB__TYPE_PROTO__VALUE_TENSOR_TYPE)
		return value_shape(c, v->type->tensor_type, out, err);
	return LS_OK;
}
