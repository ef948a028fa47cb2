/*
 * onnx.c: the ONNX reader (formats layer: a file, no network semantics).
 *
 * ls_onnx_parse() decodes a ModelProto with protobuf-c (the schema is the
 * subset in onnx.proto, compiled by protoc-c at build time) into one arena
 * (onnx_impl.h), then walks it into the plain structs of linscope/onnx.h,
 * checking as it goes; nothing is returned until the whole model has been
 * checked. Invariants of a returned struct ls_onnx:
 *   - every string is NUL-terminated, NUL-free and non-NULL ("" if absent);
 *     nodes have an op_type; initializers and graph values have names, no
 *     two initializers share one;
 *   - every tensor is whole (onnx_tensor.c); attributes of types GRAPH and
 *     GRAPHS, sparse initializers and external data never get this far;
 *   - inputs are the graph inputs that are not initializers, in file order.
 * ls_onnx_open() maps the file, parses it and unmaps it: protobuf-c copies
 * every bytes field (raw_data included) into the arena, so the mapping is
 * read once and nothing points into it afterwards.
 */
#include <stdlib.h>
#include <string.h>

#include "formats/onnx_impl.h"
#include "base/util.h"

#define ARENA_CHUNK (64 * 1024)   /* small requests share blocks this big */
#define ARENA_BIG (4 * 1024)      /* requests above this get their own block */
#define ARENA_SLACK ((size_t)64 << 20)

/* A block's header; its size keeps the payload 16-byte aligned. */
union block {
	union block *next;
	char align[16];
};

struct onnx_priv {
	struct onnx_arena arena;
	const struct ls_onnx_tensor **byname;   /* (ninits), sorted by name */
};

/* A new block with n payload bytes, linked into a; NULL if malloc fails. */
static void *
arena_block(struct onnx_arena *a, size_t n)
{
	union block *b;

	if (n > SIZE_MAX - sizeof *b || !(b = malloc(sizeof *b + n)))
		return NULL;
	b->next = a->blocks;
	a->blocks = b;
	return b + 1;
}

/* n bytes (not zeroed), 16-byte aligned; NULL if malloc fails. */
static void *
arena_get(struct onnx_arena *a, size_t n)
{
	void *p;

	if (n > SIZE_MAX - 15)
		return NULL;
	n = (n + 15) & ~(size_t)15;
	if (n == 0 || n > ARENA_BIG)
		return arena_block(a, n ? n : 16);
	if (n > a->left) {
		if (!(a->cur = arena_block(a, ARENA_CHUNK)))
			return NULL;
		a->left = ARENA_CHUNK;
	}
	p = a->cur;
	a->cur += n;
	a->left -= n;
	return p;
}

void *
onnx_alloc(struct onnx_arena *a, size_t n)
{
	void *p = arena_get(a, n);

	if (!p)
		ls_fatal("out of memory (%zu bytes)", n);
	return memset(p, 0, n);
}

/* protobuf-c's allocation hook: arena memory, within the limit. */
static void *
pb_alloc(void *data, size_t n)
{
	struct onnx_arena *a = data;
	void *p;

	if (n > a->limit - a->pb_used) {
		a->refused = 1;
		return NULL;
	}
	a->pb_used += n;
	if (!(p = arena_get(a, n)))
		ls_fatal("out of memory (%zu bytes)", n);
	return p;
}

/* Nothing is freed before the whole arena is. */
static void
pb_free(void *data, void *p)
{
	(void)data;
	(void)p;
}

void
onnx_pb_allocator(struct onnx_arena *a, ProtobufCAllocator *pa)
{
	pa->alloc = pb_alloc;
	pa->free = pb_free;
	pa->allocator_data = a;
}

void
onnx_arena_free(struct onnx_arena *a)
{
	union block *b, *next;

	for (b = a->blocks; b; b = next) {
		next = b->next;
		free(b);
	}
	a->blocks = NULL;
}

enum ls_status
onnx_cstr(struct onnx_ctx *c, const ProtobufCBinaryData *b, int has, const char *what,
	  char **out, char *err)
{
	size_t n = has ? b->len : 0;
	char *s;

	if (n && memchr(b->data, 0, n))
		return ls_err(err, LS_EFORMAT, "%s: %s: %s holds a NUL byte", c->name, c->where, what);
	s = onnx_alloc(c->arena, n + 1);
	if (n)
		memcpy(s, b->data, n);
	*out = s;
	return LS_OK;
}

/* --- sniffing ----------------------------------------------------------- */

/* Reads a varint at *p; 0 on success, -1 past end or over 10 bytes. */
static int
varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
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
		if (varint(&p, end, &tag) || model_wire_type(tag >> 3) != (int)(tag & 7))
			return 0;
		if (varint(&p, end, &v))
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

/* --- nodes and attributes ------------------------------------------------ */

/* The attribute type, inferred from the fields set when the file (IR
 * version 1) does not say; 0 when nothing is set. */
static int
attr_type(const LsPb__AttributeProto *a)
{
	if (a->has_type)
		return a->type;
	if (a->has_g || a->n_graphs)
		return a->has_g ? 5 : 10;
	if (a->t)
		return LS_ONNX_ATTR_TENSOR;
	if (a->n_floats)
		return LS_ONNX_ATTR_FLOATS;
	if (a->n_ints)
		return LS_ONNX_ATTR_INTS;
	if (a->has_s)
		return LS_ONNX_ATTR_STRING;
	if (a->has_i)
		return LS_ONNX_ATTR_INT;
	return a->has_f ? LS_ONNX_ATTR_FLOAT : 0;
}

/* The payload of an attribute of a type linscope reads. */
static enum ls_status
attr_payload(struct onnx_ctx *c, const LsPb__AttributeProto *a, struct ls_onnx_attr *out,
	     char *err)
{
	switch (out->type) {
	case LS_ONNX_ATTR_FLOAT: out->f = a->f; return LS_OK;
	case LS_ONNX_ATTR_INT: out->i = a->i; return LS_OK;
	case LS_ONNX_ATTR_STRING: return onnx_cstr(c, &a->s, a->has_s, "the string", &out->s, err);
	case LS_ONNX_ATTR_TENSOR:
		if (!a->t)
			return ls_err(err, LS_EFORMAT, "%s: %s has no tensor", c->name, c->where);
		out->t = onnx_alloc(c->arena, sizeof *out->t);
		return onnx_tensor(c, a->t, out->t, err);
	case LS_ONNX_ATTR_FLOATS:
	case LS_ONNX_ATTR_INTS:
		if ((out->type == LS_ONNX_ATTR_INTS ? a->n_ints : a->n_floats) > LS_ONNX_MAX_NODES)
			return ls_err(err, LS_EFORMAT, "%s: %s has more than %d values", c->name,
				      c->where, LS_ONNX_MAX_NODES);
		out->n = (int)(out->type == LS_ONNX_ATTR_INTS ? a->n_ints : a->n_floats);
		out->ints = out->type == LS_ONNX_ATTR_INTS ? a->ints : NULL;
		out->floats = out->type == LS_ONNX_ATTR_FLOATS ? a->floats : NULL;
		return LS_OK;
	default: return LS_OK;   /* STRINGS, TENSORS, ...: kept by type only */
	}
}

static enum ls_status
attr_convert(struct onnx_ctx *c, const LsPb__AttributeProto *a, struct ls_onnx_attr *out,
	     char *err)
{
	size_t l = strlen(c->where);
	enum ls_status s;

	if ((s = onnx_cstr(c, &a->name, a->has_name, "an attribute name", &out->name, err)))
		return s;
	if (!out->name[0])
		return ls_err(err, LS_EFORMAT, "%s: %s has an attribute without a name", c->name,
			      c->where);
	snprintf(c->where + l, sizeof c->where - l, ", attribute '%s'", out->name);
	out->type = (enum ls_onnx_attr_type)attr_type(a);
	if (out->type == 5 || out->type == 10 || a->has_g || a->n_graphs)
		return ls_err(err, LS_EFORMAT,
			      "%s: %s holds a subgraph: control flow (If, Loop, Scan) is not supported",
			      c->name, c->where);
	if (a->has_ref_attr_name)
		return ls_err(err, LS_EFORMAT, "%s: %s refers to a function's attribute", c->name,
			      c->where);
	if (out->type < 1 || out->type > 14)
		return ls_err(err, LS_EFORMAT, "%s: %s has unknown type %d", c->name, c->where,
			      (int)out->type);
	return attr_payload(c, a, out, err);
}

/* n NUL-free strings from bytes fields into an arena array. */
static enum ls_status
str_array(struct onnx_ctx *c, ProtobufCBinaryData *v, size_t n, const char *what,
	  char ***out, char *err)
{
	enum ls_status s;
	size_t i;

	*out = onnx_alloc(c->arena, (n + 1) * sizeof **out);
	for (i = 0; i < n; i++)
		if ((s = onnx_cstr(c, &v[i], 1, what, &(*out)[i], err)))
			return s;
	return LS_OK;
}

static enum ls_status
node_convert(struct onnx_ctx *c, int k, const LsPb__NodeProto *n, struct ls_onnx_node *out,
	     char *err)
{
	enum ls_status s;
	size_t i, l;

	snprintf(c->where, sizeof c->where, "node %d", k);
	if ((s = onnx_cstr(c, &n->name, n->has_name, "the name", &out->name, err)) ||
	    (s = onnx_cstr(c, &n->op_type, n->has_op_type, "op_type", &out->op, err)) ||
	    (s = onnx_cstr(c, &n->domain, n->has_domain, "the domain", &out->domain, err)))
		return s;
	snprintf(c->where, sizeof c->where, "node %d '%s' (%s)", k, out->name, out->op);
	if (!out->op[0])
		return ls_err(err, LS_EFORMAT, "%s: %s has no op_type", c->name, c->where);
	if (n->n_input > LS_ONNX_MAX_NODES || n->n_output > LS_ONNX_MAX_NODES ||
	    n->n_attribute > LS_ONNX_MAX_NODES)
		return ls_err(err, LS_EFORMAT, "%s: %s has too many inputs, outputs or attributes",
			      c->name, c->where);
	out->nin = (int)n->n_input;
	out->nout = (int)n->n_output;
	out->nattr = (int)n->n_attribute;
	if ((s = str_array(c, n->input, n->n_input, "an input name", &out->in, err)) ||
	    (s = str_array(c, n->output, n->n_output, "an output name", &out->out, err)))
		return s;
	out->attrs = onnx_alloc(c->arena, (n->n_attribute + 1) * sizeof *out->attrs);
	l = strlen(c->where);
	for (i = 0; i < n->n_attribute; i++) {
		c->where[l] = 0;
		if ((s = attr_convert(c, n->attribute[i], &out->attrs[i], err)))
			return s;
	}
	return LS_OK;
}

/* --- the graph and the model --------------------------------------------- */

static int
cmp_init(const void *a, const void *b)
{
	return strcmp((*(const struct ls_onnx_tensor *const *)a)->name,
		      (*(const struct ls_onnx_tensor *const *)b)->name);
}

/* The initializers, and the index by name (no name twice). */
static enum ls_status
graph_inits(struct onnx_ctx *c, const LsPb__GraphProto *g, struct ls_onnx *o,
	    struct onnx_priv *pv, char *err)
{
	enum ls_status s;
	size_t i;

	if (g->n_sparse_initializer)
		return ls_err(err, LS_EFORMAT, "%s: the graph has sparse initializers, which linscope does not read",
			      c->name);
	o->ninits = (int)g->n_initializer;
	o->inits = onnx_alloc(c->arena, (g->n_initializer + 1) * sizeof *o->inits);
	pv->byname = onnx_alloc(c->arena, (g->n_initializer + 1) * sizeof *pv->byname);
	for (i = 0; i < g->n_initializer; i++) {
		snprintf(c->where, sizeof c->where, "initializer %zu", i);
		if ((s = onnx_tensor(c, g->initializer[i], &o->inits[i], err)))
			return s;
		if (!o->inits[i].name[0])
			return ls_err(err, LS_EFORMAT, "%s: %s has no name", c->name, c->where);
		pv->byname[i] = &o->inits[i];
	}
	qsort(pv->byname, g->n_initializer, sizeof *pv->byname, cmp_init);
	for (i = 1; i < g->n_initializer; i++)
		if (strcmp(pv->byname[i - 1]->name, pv->byname[i]->name) == 0)
			return ls_err(err, LS_EFORMAT, "%s: two initializers are called '%s'", c->name,
				      pv->byname[i]->name);
	return LS_OK;
}

/* Graph inputs minus initializers (or outputs, all of them). */
static enum ls_status
graph_values(struct onnx_ctx *c, LsPb__ValueInfoProto **v, size_t n, const char *what,
	     const struct ls_onnx *skip, struct ls_onnx_value **out, int *nout, char *err)
{
	struct ls_onnx_value tmp;
	enum ls_status s;
	size_t i;

	*out = onnx_alloc(c->arena, (n + 1) * sizeof **out);
	*nout = 0;
	for (i = 0; i < n; i++) {
		snprintf(c->where, sizeof c->where, "graph %s %zu", what, i);
		if ((s = onnx_value(c, v[i], &tmp, err)))
			return s;
		if (!skip || !ls_onnx_init(skip, tmp.name))
			(*out)[(*nout)++] = tmp;
	}
	return LS_OK;
}

static enum ls_status
graph_convert(struct onnx_ctx *c, const LsPb__GraphProto *g, struct ls_onnx *o,
	      struct onnx_priv *pv, char *err)
{
	enum ls_status s;
	size_t i;

	if (g->n_node > LS_ONNX_MAX_NODES)
		return ls_err(err, LS_EFORMAT, "%s: the graph has %zu nodes (at most %d)", c->name,
			      g->n_node, LS_ONNX_MAX_NODES);
	if ((s = graph_inits(c, g, o, pv, err)))
		return s;
	o->nnodes = (int)g->n_node;
	o->nodes = onnx_alloc(c->arena, (g->n_node + 1) * sizeof *o->nodes);
	for (i = 0; i < g->n_node; i++)
		if ((s = node_convert(c, (int)i, g->node[i], &o->nodes[i], err)))
			return s;
	if ((s = graph_values(c, g->input, g->n_input, "input", o, &o->inputs, &o->ninputs, err)))
		return s;
	return graph_values(c, g->output, g->n_output, "output", NULL, &o->outputs,
			    &o->noutputs, err);
}

/* The version of the default domain ("" or "ai.onnx"), named at most once. */
static enum ls_status
model_opset(struct onnx_ctx *c, const LsPb__ModelProto *m, struct ls_onnx *o, char *err)
{
	enum ls_status s;
	char *dom;
	size_t i;

	for (i = 0; i < m->n_opset_import; i++) {
		snprintf(c->where, sizeof c->where, "opset_import %zu", i);
		if ((s = onnx_cstr(c, &m->opset_import[i]->domain, m->opset_import[i]->has_domain,
				   "the domain", &dom, err)))
			return s;
		if (dom[0] && strcmp(dom, "ai.onnx") != 0)
			continue;
		if (o->opset)
			return ls_err(err, LS_EFORMAT, "%s: the default opset is given twice", c->name);
		o->opset = m->opset_import[i]->version;
		if (o->opset <= 0)
			return ls_err(err, LS_EFORMAT, "%s: opset version %lld", c->name,
				      (long long)o->opset);
	}
	return LS_OK;
}

/* metadata_props: keys and values (no key twice). */
static enum ls_status
model_props(struct onnx_ctx *c, const LsPb__ModelProto *m, struct ls_onnx *o, char *err)
{
	enum ls_status s;
	size_t i;

	o->nprops = (int)m->n_metadata_props;
	o->prop_keys = onnx_alloc(c->arena, (m->n_metadata_props + 1) * sizeof *o->prop_keys);
	o->prop_values = onnx_alloc(c->arena, (m->n_metadata_props + 1) * sizeof *o->prop_values);
	for (i = 0; i < m->n_metadata_props; i++) {
		const LsPb__StringStringEntryProto *e = m->metadata_props[i];

		snprintf(c->where, sizeof c->where, "metadata_props %zu", i);
		if ((s = onnx_cstr(c, &e->key, e->has_key, "the key", &o->prop_keys[i], err)) ||
		    (s = onnx_cstr(c, &e->value, e->has_value, "the value", &o->prop_values[i], err)))
			return s;
		o->nprops = (int)i;   /* look up among the earlier keys only */
		if (ls_onnx_prop(o, o->prop_keys[i]))
			return ls_err(err, LS_EFORMAT, "%s: metadata key '%s' is given twice", c->name,
				      o->prop_keys[i]);
		o->nprops = (int)i + 1;
	}
	return LS_OK;
}

static enum ls_status
model_convert(struct onnx_ctx *c, const LsPb__ModelProto *m, struct ls_onnx *o,
	      struct onnx_priv *pv, char *err)
{
	enum ls_status s;

	if (!m->graph)
		return ls_err(err, LS_EFORMAT, "%s: the ONNX model has no graph", c->name);
	o->ir_version = m->ir_version;
	snprintf(c->where, sizeof c->where, "the model");
	if ((s = onnx_cstr(c, &m->producer_name, m->has_producer_name, "producer_name",
			   &o->producer, err)) ||
	    (s = onnx_cstr(c, &m->producer_version, m->has_producer_version,
			   "producer_version", &o->producer_version, err)) ||
	    (s = model_opset(c, m, o, err)) || (s = model_props(c, m, o, err)))
		return s;
	return graph_convert(c, m->graph, o, pv, err);
}

/* Why protobuf-c gave up on buf. */
static enum ls_status
decode_error(const struct onnx_ctx *c, const void *buf, size_t len, char *err)
{
	if (c->arena->refused)
		return ls_err(err, LS_EFORMAT,
			      "%s: decoding would take more than %zu MB of memory (twice the file size plus 64 MB)",
			      c->name, c->arena->limit >> 20);
	if (!ls_onnx_sniff(buf, len < 4096 ? len : 4096))
		return ls_err(err, LS_EFORMAT, "%s: not an ONNX model (not a protobuf ModelProto)", c->name);
	return ls_err(err, LS_EFORMAT, "%s: truncated or corrupt ONNX file (the protobuf does not decode)",
		      c->name);
}

enum ls_status
ls_onnx_parse(const void *buf, size_t len, const char *name, struct ls_onnx **out, char *err)
{
	struct onnx_priv *pv = xcalloc(1, sizeof *pv);
	struct onnx_ctx c = { &pv->arena, name, "" };
	LsPb__ModelProto *m;
	ProtobufCAllocator pa;
	struct ls_onnx *o;
	enum ls_status s;

	*out = NULL;
	pv->arena.limit = len > (SIZE_MAX - ARENA_SLACK) / 2 ? SIZE_MAX : 2 * len + ARENA_SLACK;
	o = onnx_alloc(&pv->arena, sizeof *o);
	o->owned = pv;
	o->path = onnx_alloc(&pv->arena, strlen(name) + 1);
	strcpy(o->path, name);
	if (len == 0) {
		s = ls_err(err, LS_EFORMAT, "%s: empty file, not an ONNX model", name);
		goto out;
	}
	if (len > INT32_MAX) {
		s = ls_err(err, LS_EFORMAT, "%s: above 2 GB, the most a protobuf can hold", name);
		goto out;
	}
	onnx_pb_allocator(&pv->arena, &pa);
	if (!(m = ls_pb__model_proto__unpack(&pa, len, buf))) {
		s = decode_error(&c, buf, len, err);
		goto out;
	}
	s = model_convert(&c, m, o, pv, err);
out:
	if (s != LS_OK)
		ls_onnx_free(o);
	else
		*out = o;
	return s;
}

enum ls_status
ls_onnx_open(const char *path, struct ls_onnx **o, char *err)
{
	const void *base;
	enum ls_status s;
	size_t len;

	*o = NULL;
	if ((s = ls_map_file(path, &base, &len, err)))
		return s;
	s = ls_onnx_parse(base, len, path, o, err);
	ls_unmap(base, len);
	return s;
}

void
ls_onnx_free(struct ls_onnx *o)
{
	struct onnx_priv *pv;

	if (!o)
		return;
	pv = o->owned;
	onnx_arena_free(&pv->arena);   /* o itself lives in the arena */
	free(pv);
}

const struct ls_onnx_tensor *
ls_onnx_init(const struct ls_onnx *o, const char *name)
{
	const struct onnx_priv *pv = o->owned;
	struct ls_onnx_tensor key = { .name = (char *)name };
	const struct ls_onnx_tensor *kp = &key, **hit;

	if (!pv->byname)
		return NULL;
	hit = bsearch(&kp, pv->byname, (size_t)o->ninits, sizeof *pv->byname, cmp_init);
	return hit ? *hit : NULL;
}

const struct ls_onnx_attr *
ls_onnx_attr(const struct ls_onnx_node *n, const char *name)
{
	int i;

	for (i = 0; i < n->nattr; i++)
		if (strcmp(n->attrs[i].name, name) == 0)
			return &n->attrs[i];
	return NULL;
}

const char *
ls_onnx_prop(const struct ls_onnx *o, const char *key)
{
	int i;

	for (i = 0; i < o->nprops; i++)
		if (strcmp(o->prop_keys[i], key) == 0)
			return o->prop_values[i];
	return NULL;
}
