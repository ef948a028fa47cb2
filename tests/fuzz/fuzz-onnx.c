/*
 * fuzz-onnx.c: libFuzzer harness for the ONNX reader (protobuf decoding
 * through protobuf-c, then the walk into linscope/onnx.h) through
 * ls_onnx_parse(), and for the content sniffers. Every promise of a model
 * that opens is checked: each tensor's data is read to its last byte, each
 * string to its NUL, each attribute's array to its end, and every look-up
 * finds what it should, so a bad size or pointer shows up as an ASan report.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/onnx.h"
#include "linscope/sniff.h"
#include "base/util.h"
#include "fuzz.h"

static volatile unsigned sink;

static void
touch_str(const char *s)
{
	if (!s)
		abort();
	sink += (unsigned)strlen(s);
}

static void
touch_tensor(const struct ls_onnx_tensor *t)
{
	const unsigned char *p = t->data;
	int64_t n = 1;
	int i;

	touch_str(t->name);
	for (i = 0; i < t->ndim; i++) {
		if (t->dims[i] < 0)
			abort();
		n *= t->dims[i];
	}
	if (t->ndim < 0 || t->ndim > LS_ONNX_MAX_DIMS || n != t->nelem ||
	    t->nbytes != t->nelem * ls_onnx_dtype_size(t->dtype) || (t->nelem && !p) ||
	    ((uintptr_t)p & 15))
		abort();
	if (t->nbytes)
		sink += p[0] + p[t->nbytes - 1];
}

static void
touch_node(const struct ls_onnx_node *n)
{
	int i, k;

	touch_str(n->name);
	touch_str(n->op);
	touch_str(n->domain);
	for (i = 0; i < n->nin; i++)
		touch_str(n->in[i]);
	for (i = 0; i < n->nout; i++)
		touch_str(n->out[i]);
	for (i = 0; i < n->nattr; i++) {
		const struct ls_onnx_attr *a = &n->attrs[i];

		touch_str(a->name);
		if (ls_onnx_attr(n, a->name) == NULL)
			abort();
		if (a->type == LS_ONNX_ATTR_STRING)
			touch_str(a->s);
		if (a->type == LS_ONNX_ATTR_TENSOR)
			touch_tensor(a->t);
		for (k = 0; k < a->n; k++)
			sink += a->type == LS_ONNX_ATTR_INTS ? (unsigned)a->ints[k] : (unsigned)a->floats[k];
	}
}

static void
touch_value(const struct ls_onnx_value *v)
{
	touch_str(v->name);
	if (v->ndim < -1 || v->ndim > LS_ONNX_MAX_DIMS)
		abort();
}

static void
onnx_walk(const struct ls_onnx *o)
{
	int i;

	touch_str(o->path);
	touch_str(o->producer);
	touch_str(o->producer_version);
	for (i = 0; i < o->nnodes; i++)
		touch_node(&o->nodes[i]);
	for (i = 0; i < o->ninits; i++) {
		touch_tensor(&o->inits[i]);
		if (ls_onnx_init(o, o->inits[i].name) != &o->inits[i])
			abort();
	}
	for (i = 0; i < o->ninputs; i++)
		touch_value(&o->inputs[i]);
	for (i = 0; i < o->noutputs; i++)
		touch_value(&o->outputs[i]);
	for (i = 0; i < o->nprops; i++)
		if (ls_onnx_prop(o, o->prop_keys[i]) != o->prop_values[i])
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ls_onnx *o = NULL;
	char err[LS_ERR_MAX] = "";
	enum ls_status s;
	/* a private copy, so reads past the end are caught exactly */
	uint8_t *buf = malloc(size ? size : 1);

	memcpy(buf, data, size);
	sink += (unsigned)ls_sniff(buf, size) + (unsigned)ls_onnx_sniff(buf, size);
	s = ls_onnx_parse(buf, size, "fuzz.onnx", &o, err);
	fuzz_check_err(s, err);
	free(buf);   /* nothing of o may point into it */
	if (s == LS_OK) {
		onnx_walk(o);
		ls_onnx_free(o);
	}
	return 0;
}
