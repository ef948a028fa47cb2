/*
 * onnx_wire.c: the protobuf wire format, just enough to split an ONNX file
 * so that its weights are never copied.
 *
 * protobuf-c copies every bytes field it decodes, and nearly all of an ONNX
 * file is the raw_data of its initializers. So the two container levels
 * are walked here instead: ModelProto's fields other than graph (7) are
 * gathered into one small buffer, as are GraphProto's fields other than
 * initializer (5), and each initializer's TensorProto is gathered without
 * its raw_data (9), whose place in the file is recorded instead. protobuf-c
 * then decodes those small buffers (concatenated fields of a message are a
 * valid encoding of it), and raw_data points into the caller's buffer. A
 * field with the right number but the wrong wire type is gathered as is,
 * so protobuf-c refuses it as it would in the whole file. A graph or
 * raw_data given twice (protobuf would merge them) is refused. The gathered
 * buffers live in the arena and are sized exactly (a first pass over each
 * message), so a file costs its own size at most, not a multiple.
 * ls_onnx_sniff() walks ModelProto's top-level fields the same way.
 */
#include <stdlib.h>
#include <string.h>

#include "linscope/onnx.h"
#include "formats/onnx_impl.h"
#include "base/util.h"

int
onnx_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	int shift;

	*v = 0;
	for (shift = 0; shift < 70 && *p < end; shift += 7) {
		unsigned char b = *(*p)++;

		*v |= (uint64_t)(b & 0x7f) << (shift < 64 ? shift : 63);
		if (!(b & 0x80))
			return 0;
	}
	return -1;
}

/* One field at *p: its number, wire type, payload (for wire type 2) and the
 * whole field's span [start, *p). 0, or -1 when malformed or cut short. */
static int
field_next(const unsigned char **p, const unsigned char *end, uint64_t *num, int *wt,
	   const unsigned char **pay, size_t *paylen)
{
	uint64_t tag, v;

	if (onnx_varint(p, end, &tag) || (tag >> 3) == 0 || (tag >> 3) > 0x1fffffff)
		return -1;
	*num = tag >> 3;
	*wt = (int)(tag & 7);
	switch (*wt) {
	case 0: return onnx_varint(p, end, &v);
	case 1: v = 8; break;
	case 5: v = 4; break;
	case 2:
		if (onnx_varint(p, end, &v))
			return -1;
		*pay = *p;
		*paylen = (size_t)v;
		break;
	default: return -1;   /* groups: protobuf-c does not read them either */
	}
	if (v > (uint64_t)(end - *p))
		return -1;
	*p += v;
	return 0;
}

typedef enum ls_status (*skip_fn)(struct onnx_ctx *c, const unsigned char *pay, size_t len,
				  void *arg, char *err);

/* Gathers the fields of the message [p, p + len) into rest, except those
 * numbered skip with wire type 2, whose payloads go to fn instead. Two
 * passes: the first checks the encoding and sizes rest exactly. */
static enum ls_status
split_msg(struct onnx_ctx *c, const unsigned char *p, size_t len, uint64_t skip,
	  struct onnx_buf *rest, skip_fn fn, void *arg, const char *what, char *err)
{
	const unsigned char *q = p, *end = p + len, *start, *pay = NULL;
	size_t paylen = 0, skipped = 0;
	enum ls_status s;
	uint64_t num;
	int wt;

	while (q < end) {
		start = q;
		if (field_next(&q, end, &num, &wt, &pay, &paylen))
			return ls_err(err, LS_EFORMAT, "%s: truncated or corrupt ONNX file (%s does not decode)",
				      c->name, what);
		if (num == skip && wt == 2)
			skipped += (size_t)(q - start);
	}
	rest->data = onnx_alloc_raw(c->arena, len - skipped + 1);
	rest->len = 0;
	for (q = p; q < end;) {
		start = q;
		field_next(&q, end, &num, &wt, &pay, &paylen);
		if (num != skip || wt != 2) {
			memcpy(rest->data + rest->len, start, (size_t)(q - start));
			rest->len += (size_t)(q - start);
		} else if ((s = fn(c, pay, paylen, arg, err))) {
			return s;
		}
	}
	return LS_OK;
}

/* An initializer's raw_data: recorded, not copied. */
static enum ls_status
take_raw(struct onnx_ctx *c, const unsigned char *pay, size_t len, void *arg, char *err)
{
	struct onnx_init_span *t = arg;

	if (t->has_raw)
		return ls_err(err, LS_EFORMAT, "%s: an initializer has raw_data twice", c->name);
	t->has_raw = 1;
	t->raw = pay;
	t->raw_len = len;
	return LS_OK;
}

/* An initializer: its fields but raw_data gathered, raw_data recorded. */
static enum ls_status
take_init(struct onnx_ctx *c, const unsigned char *pay, size_t len, void *arg, char *err)
{
	struct onnx_split *sp = arg;
	struct onnx_init_span *t;

	if (sp->ninits == sp->cap)
		sp->inits = xreallocarray(sp->inits, sp->cap = sp->cap ? 2 * sp->cap : 16,
					  sizeof *sp->inits);
	t = memset(&sp->inits[sp->ninits++], 0, sizeof *t);
	return split_msg(c, pay, len, 9, &t->rest, take_raw, t, "an initializer", err);
}

/* The graph: recorded for the second level. */
static enum ls_status
take_graph(struct onnx_ctx *c, const unsigned char *pay, size_t len, void *arg, char *err)
{
	struct onnx_split *sp = arg;

	if (sp->graph_at)
		return ls_err(err, LS_EFORMAT, "%s: the ONNX model has two graphs", c->name);
	sp->graph_at = pay;
	sp->graph_len = len;
	return LS_OK;
}

enum ls_status
onnx_split(struct onnx_ctx *c, const void *buf, size_t len, struct onnx_split *sp, char *err)
{
	enum ls_status s;

	memset(sp, 0, sizeof *sp);
	if ((s = split_msg(c, buf, len, 7, &sp->model, take_graph, sp, "the model", err)))
		return s;
	if (!sp->graph_at)
		return ls_err(err, LS_EFORMAT, "%s: the ONNX model has no graph", c->name);
	return split_msg(c, sp->graph_at, sp->graph_len, 5, &sp->graph, take_init, sp,
			 "the graph", err);
}

void
onnx_split_free(struct onnx_split *sp)
{
	free(sp->inits);
	sp->inits = NULL;
}

/* The wire type of ModelProto's field f (0 varint, 2 length-delimited), or
 * -1 when ModelProto has no field f. */
static int
model_wire_type(uint64_t f)
{
	switch (f) {
	case 1: case 5: return 0;                  /* ir_version, model_version */
	case 2: case 3: case 4: case 6: case 7:    /* strings, graph */
	case 8: case 14: case 20: case 25: case 26: return 2;
	default: return -1;
	}
}

int
ls_onnx_sniff(const void *buf, size_t len)
{
	const unsigned char *p = buf, *end = p + len;
	int fields = 0, key = 0;
	uint64_t tag, v;

	while (p < end) {
		if (onnx_varint(&p, end, &tag) || model_wire_type(tag >> 3) != (int)(tag & 7))
			return 0;
		if (onnx_varint(&p, end, &v))
			return p == end && fields > 0 && key;   /* cut by the prefix */
		fields++;
		key |= (tag >> 3) == 1 || (tag >> 3) == 7;
		if ((tag & 7) == 2) {
			if (v > (uint64_t)(end - p))
				break;                      /* runs past the prefix */
			p += v;
		}
	}
	return fields > 0 && key;
}
