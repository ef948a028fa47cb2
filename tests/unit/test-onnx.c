/*
 * test-onnx.c: the ONNX reader and the content sniffers.
 *
 * The expectations are what the onnx Python package reads from the same
 * files (tests/fixtures/onnx-parse/expect.json, made with the hand-built
 * and bad files by tools/make_onnx_parse_fixtures.py): for every good model
 * (the hand-built ones and every PyTorch export in tests/fixtures/onnx/),
 * the opset, nodes with their attributes, initializers (dims and the count,
 * sum, first and last of their values), inputs, outputs and metadata must
 * agree; every bad file must fail with LS_EFORMAT and a message naming the
 * file and the defect. tests/fixtures/onnx/MANIFEST.json (written by the
 * PyTorch fixture script) is checked too: node counts, op types, opsets.
 * Every prefix of a small model must fail cleanly or parse.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "linscope/onnx.h"
#include "linscope/sniff.h"
#include "base/util.h"
#include "../lib/tap.h"

/* srcdir/rel in a static buffer (one at a time). */
static const char *
src_path(const char *rel)
{
	static char buf[4096];
	const char *s = getenv("srcdir");

	snprintf(buf, sizeof buf, "%s/%s", s ? s : ".", rel);
	return buf;
}

/* Element i of t as a double, read byte by byte (little-endian). */
static double
elem(const struct ls_onnx_tensor *t, int64_t i)
{
	const unsigned char *p = (const unsigned char *)t->data + i * ls_onnx_dtype_size(t->dtype);
	uint64_t u = 0;
	int k, sz = ls_onnx_dtype_size(t->dtype);
	float f;
	double d;

	for (k = 0; k < sz; k++)
		u |= (uint64_t)p[k] << (8 * k);
	switch (t->dtype) {
	case LS_ONNX_FLOAT: { uint32_t w = (uint32_t)u; memcpy(&f, &w, 4); return f; }
	case LS_ONNX_DOUBLE: memcpy(&d, &u, 8); return d;
	case LS_ONNX_INT32: return (double)(int32_t)(uint32_t)u;
	case LS_ONNX_INT64: return (double)(int64_t)u;
	case LS_ONNX_BOOL: return (double)u;
	case LS_ONNX_FLOAT16: return ls_f16_to_f32((uint16_t)u);
	case LS_ONNX_BFLOAT16: return ls_bf16_to_f32((uint16_t)u);
	}
	return NAN;
}

static int
same_num(double a, json_t *j)
{
	double b = json_number_value(j);

	if (json_is_null(j))
		return 0;
	return a == b || fabs(a - b) <= 1e-9 * fmax(1, fabs(b));
}

/* Does t match its facts? Describes the first difference in why. */
static int
tensor_ok(const struct ls_onnx_tensor *t, json_t *e, char *why, size_t n)
{
	json_t *dims = json_object_get(e, "dims");
	double sum = 0;
	int64_t i;

	if (strcmp(t->name, json_string_value(json_object_get(e, "name"))) != 0 ||
	    t->dtype != json_integer_value(json_object_get(e, "dtype")) ||
	    t->ndim != (int)json_array_size(dims) ||
	    t->nelem != json_integer_value(json_object_get(e, "nelem")))
		return snprintf(why, n, "tensor '%s': name, dtype, rank or count", t->name), 0;
	for (i = 0; i < t->ndim; i++)
		if (t->dims[i] != json_integer_value(json_array_get(dims, (size_t)i)))
			return snprintf(why, n, "tensor '%s': dim %d", t->name, (int)i), 0;
	if (t->nelem && (!t->data || ((uintptr_t)t->data & 15)))
		return snprintf(why, n, "tensor '%s': data NULL or unaligned", t->name), 0;
	for (i = 0; i < t->nelem; i++)
		sum += elem(t, i);
	if (t->nelem && (!same_num(sum, json_object_get(e, "sum")) ||
			 !same_num(elem(t, 0), json_object_get(e, "first")) ||
			 !same_num(elem(t, t->nelem - 1), json_object_get(e, "last"))))
		return snprintf(why, n, "tensor '%s': values (sum %.17g)", t->name, sum), 0;
	return 1;
}

static int
attr_ok(const struct ls_onnx_attr *a, json_t *e, char *why, size_t n)
{
	json_t *v;
	int i;

	if (strcmp(a->name, json_string_value(json_object_get(e, "name"))) != 0 ||
	    a->type != json_integer_value(json_object_get(e, "type")))
		return snprintf(why, n, "attribute '%s': name or type %d", a->name, a->type), 0;
	if ((v = json_object_get(e, "f")) && !same_num(a->f, v))
		return snprintf(why, n, "attribute '%s': f %g", a->name, a->f), 0;
	if ((v = json_object_get(e, "i")) && a->i != json_integer_value(v))
		return snprintf(why, n, "attribute '%s': i", a->name), 0;
	if ((v = json_object_get(e, "s")) && strcmp(a->s, json_string_value(v)) != 0)
		return snprintf(why, n, "attribute '%s': s '%s'", a->name, a->s), 0;
	if ((v = json_object_get(e, "t")))
		return tensor_ok(a->t, v, why, n);
	if ((v = json_object_get(e, "ints"))) {
		if (a->n != (int)json_array_size(v))
			return snprintf(why, n, "attribute '%s': %d ints", a->name, a->n), 0;
		for (i = 0; i < a->n; i++)
			if (a->ints[i] != json_integer_value(json_array_get(v, (size_t)i)))
				return snprintf(why, n, "attribute '%s': ints[%d]", a->name, i), 0;
	}
	if ((v = json_object_get(e, "floats"))) {
		if (a->n != (int)json_array_size(v))
			return snprintf(why, n, "attribute '%s': %d floats", a->name, a->n), 0;
		for (i = 0; i < a->n; i++)
			if (!same_num(a->floats[i], json_array_get(v, (size_t)i)))
				return snprintf(why, n, "attribute '%s': floats[%d]", a->name, i), 0;
	}
	return 1;
}

static int
strs_ok(char **s, int n, json_t *e)
{
	int i;

	if (n != (int)json_array_size(e))
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(s[i], json_string_value(json_array_get(e, (size_t)i))) != 0)
			return 0;
	return 1;
}

static int
node_ok(const struct ls_onnx_node *nd, json_t *e, char *why, size_t n)
{
	json_t *attrs = json_object_get(e, "attrs");
	int i;

	if (strcmp(nd->op, json_string_value(json_object_get(e, "op"))) != 0 ||
	    strcmp(nd->name, json_string_value(json_object_get(e, "name"))) != 0 ||
	    strcmp(nd->domain, json_string_value(json_object_get(e, "domain"))) != 0 ||
	    !strs_ok(nd->in, nd->nin, json_object_get(e, "in")) ||
	    !strs_ok(nd->out, nd->nout, json_object_get(e, "out")) ||
	    nd->nattr != (int)json_array_size(attrs))
		return snprintf(why, n, "node '%s' (%s): op, name, domain, inputs, outputs or attribute count",
				nd->name, nd->op), 0;
	for (i = 0; i < nd->nattr; i++)
		if (!attr_ok(&nd->attrs[i], json_array_get(attrs, (size_t)i), why, n) ||
		    ls_onnx_attr(nd, nd->attrs[i].name) != &nd->attrs[i])
			return 0;
	return 1;
}

static int
values_ok(const struct ls_onnx_value *v, int nv, json_t *e, char *why, size_t n)
{
	int i, k;

	if (nv != (int)json_array_size(e))
		return snprintf(why, n, "%d values, want %zu", nv, json_array_size(e)), 0;
	for (i = 0; i < nv; i++) {
		json_t *f = json_array_get(e, (size_t)i), *dims = json_object_get(f, "dims");

		if (strcmp(v[i].name, json_string_value(json_object_get(f, "name"))) != 0 ||
		    v[i].dtype != json_integer_value(json_object_get(f, "dtype")) ||
		    v[i].ndim != (json_is_null(dims) ? -1 : (int)json_array_size(dims)))
			return snprintf(why, n, "value '%s': name, dtype or rank", v[i].name), 0;
		for (k = 0; k < v[i].ndim; k++)
			if (v[i].dims[k] != json_integer_value(json_array_get(dims, (size_t)k)))
				return snprintf(why, n, "value '%s': dim %d", v[i].name, k), 0;
	}
	return 1;
}

static int
props_ok(const struct ls_onnx *o, json_t *e, char *why, size_t n)
{
	const char *key;
	json_t *v;

	if (o->nprops != (int)json_object_size(e))
		return snprintf(why, n, "%d metadata_props", o->nprops), 0;
	json_object_foreach(e, key, v) {
		const char *got = ls_onnx_prop(o, key);

		if (!got || strcmp(got, json_string_value(v)) != 0)
			return snprintf(why, n, "metadata '%s'", key), 0;
	}
	return 1;
}

/* Checks one parsed model against its facts (one test per model). */
static void
check_model(const struct ls_onnx *o, json_t *e, const char *rel)
{
	json_t *nodes = json_object_get(e, "nodes"), *inits = json_object_get(e, "inits");
	char why[300] = "";
	int good = 1, i;

	if (o->ir_version != json_integer_value(json_object_get(e, "ir_version")) ||
	    o->opset != json_integer_value(json_object_get(e, "opset")) ||
	    strcmp(o->producer, json_string_value(json_object_get(e, "producer"))) != 0 ||
	    strcmp(o->producer_version, json_string_value(json_object_get(e, "producer_version"))) != 0 ||
	    o->nnodes != (int)json_array_size(nodes) || o->ninits != (int)json_array_size(inits))
		good = 0, snprintf(why, sizeof why, "ir_version, opset, producer or counts");
	for (i = 0; good && i < o->nnodes; i++)
		good = node_ok(&o->nodes[i], json_array_get(nodes, (size_t)i), why, sizeof why);
	for (i = 0; good && i < o->ninits; i++)
		good = tensor_ok(&o->inits[i], json_array_get(inits, (size_t)i), why, sizeof why) &&
		       ls_onnx_init(o, o->inits[i].name) == &o->inits[i];
	good = good && values_ok(o->inputs, o->ninputs, json_object_get(e, "inputs"), why, sizeof why) &&
	       values_ok(o->outputs, o->noutputs, json_object_get(e, "outputs"), why, sizeof why) &&
	       props_ok(o, json_object_get(e, "props"), why, sizeof why);
	if (!ok(good, "%s: %d nodes, %d initializers as onnx reads them", rel, o->nnodes, o->ninits))
		diag("%s", why);
}

static void
test_good(json_t *facts)
{
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(facts, "good"), i, e) {
		const char *rel = json_string_value(json_object_get(e, "file"));
		char err[LS_ERR_MAX] = "";
		struct ls_onnx *o;

		if (ls_onnx_open(src_path(rel), &o, err) != LS_OK) {
			ok(0, "%s opens", rel);
			diag("%s", err);
			continue;
		}
		check_model(o, e, rel);
		ls_onnx_free(o);
	}
}

static void
test_bad(json_t *facts)
{
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(facts, "bad"), i, e) {
		const char *rel = json_string_value(json_object_get(e, "file"));
		const char *words = json_string_value(json_object_get(e, "words"));
		char err[LS_ERR_MAX] = "", path[4096];
		struct ls_onnx *o = NULL;
		enum ls_status s;

		snprintf(path, sizeof path, "%s", src_path(rel));
		s = ls_onnx_open(path, &o, err);
		if (!ok(s == LS_EFORMAT && !o && strncmp(err, path, strlen(path)) == 0 &&
			err[strlen(path)] == ':' && strstr(err, words) && !strchr(err, '\n'),
			"%s: refused, saying '%s'", rel, words))
			diag("status %d: %s", (int)s, err);
	}
}

/* The PyTorch fixtures' own manifest: counts, op types and opsets. */
static void
test_manifest(void)
{
	json_error_t je;
	json_t *m = json_load_file(src_path("tests/fixtures/onnx/MANIFEST.json"), 0, &je), *f;
	size_t i;

	if (!ok(m != NULL, "tests/fixtures/onnx/MANIFEST.json loads"))
		return;
	json_array_foreach(json_object_get(m, "fixtures"), i, f) {
		const char *name = json_string_value(json_object_get(f, "name"));
		char rel[512], err[LS_ERR_MAX] = "";
		struct ls_onnx *o;
		json_t *ops = json_object_get(f, "op_types");
		size_t k;
		int j, good;

		snprintf(rel, sizeof rel, "tests/fixtures/onnx/%s", json_string_value(json_object_get(f, "file")));
		if (ls_onnx_open(src_path(rel), &o, err) != LS_OK) {
			/* the If of squeeze-if holds subgraphs: refused by design */
			ok(strstr(err, "subgraph") && strcmp(name, "squeeze-if") == 0, "%s: %s", name, err);
			continue;
		}
		good = o->nnodes == json_integer_value(json_object_get(f, "nodes")) &&
		       o->opset == json_integer_value(json_object_get(f, "opset")) &&
		       o->ir_version == json_integer_value(json_object_get(f, "ir_version")) &&
		       o->noutputs == (int)json_array_size(json_object_get(f, "outputs"));
		for (k = 0; good && k < json_array_size(ops); k++) {
			const char *op = json_string_value(json_array_get(ops, k));

			for (j = 0; j < o->nnodes && strcmp(o->nodes[j].op, op) != 0; j++)
				;
			good = j < o->nnodes;
		}
		ok(good, "%s: %d nodes, opset %lld, op types as the manifest says", name, o->nnodes,
		   (long long)o->opset);
		ls_onnx_free(o);
	}
	json_decref(m);
}

/* Reads a whole file (xmalloc'd). */
static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b;
	long n;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		if (f)
			fclose(f);
		return NULL;
	}
	b = xmalloc((size_t)n + 1);
	*len = fread(b, 1, (size_t)n, f);
	fclose(f);
	return b;
}

/* Every prefix of a small model fails with a one-line message or parses. */
static void
test_prefixes(void)
{
	size_t len, i, bad = 0, fails = 0;
	unsigned char *b = slurp(src_path("tests/fixtures/onnx-parse/typed.onnx"), &len);

	if (!ok(b != NULL, "typed.onnx reads"))
		return;
	for (i = 0; i < len; i++) {
		unsigned char *cut = xmalloc(i + 1);
		char err[LS_ERR_MAX] = "";
		struct ls_onnx *o = NULL;
		enum ls_status s;

		memcpy(cut, b, i);
		s = ls_onnx_parse(cut, i, "cut.onnx", &o, err);
		free(cut);
		if (s == LS_OK)
			ls_onnx_free(o);
		else if (s != LS_EFORMAT || strncmp(err, "cut.onnx: ", 10) != 0 || o)
			bad++;
		fails += s != LS_OK;
	}
	ok(bad == 0 && fails > len / 2, "%zu prefixes of typed.onnx: %zu refused, each cleanly", len, fails);
	free(b);
}

/* Hand-computed facts of typed.onnx the JSON cannot show. */
static void
test_typed(void)
{
	char err[LS_ERR_MAX];
	struct ls_onnx *o;
	const struct ls_onnx_tensor *t;
	const struct ls_onnx_attr *a;

	if (!ok(ls_onnx_open(src_path("tests/fixtures/onnx-parse/typed.onnx"), &o, err) == LS_OK,
		"typed.onnx opens"))
		return;
	t = ls_onnx_init(o, "h16");
	ok(t && t->dtype == LS_ONNX_FLOAT16 && t->nbytes == 8 && elem(t, 1) == -2.5 &&
	   elem(t, 3) == 65504.0, "FLOAT16 in int32_data narrowed to 2-byte halves");
	t = ls_onnx_init(o, "flags");
	ok(t && t->nbytes == 2 && ((const unsigned char *)t->data)[0] == 1 &&
	   ((const unsigned char *)t->data)[1] == 0, "BOOL packed one byte each");
	t = ls_onnx_init(o, "scalar");
	ok(t && t->ndim == 0 && t->nelem == 1 && elem(t, 0) == 0.5, "a rank-0 tensor has one element");
	t = ls_onnx_init(o, "empty");
	ok(t && t->nelem == 0 && !t->data, "an empty tensor has no data");
	ok(!ls_onnx_init(o, "nope") && !ls_onnx_prop(o, "nope") && !ls_onnx_attr(&o->nodes[0], "nope"),
	   "look-ups of absent names give NULL");
	a = ls_onnx_attr(&o->nodes[0], "names");
	ok(a && a->type == LS_ONNX_ATTR_STRINGS, "a STRINGS attribute is kept by type");
	ok(o->ninputs == 2 && strcmp(o->inputs[0].name, "x") == 0 && o->inputs[0].dims[0] == -1 &&
	   o->inputs[0].dims[2] == -1 && o->inputs[1].ndim == -1,
	   "inputs minus initializers; symbolic and missing dims are -1, no shape is ndim -1");
	ok(o->opset == 13 && strcmp(o->nodes[2].domain, "com.example") == 0 && o->nodes[2].name[0] == 0,
	   "the default domain's opset; other domains kept on nodes");
	ls_onnx_free(o);
	ls_onnx_free(NULL);
}

static void
test_sniff(void)
{
	static const struct { const char *rel; enum ls_file_kind kind; } cases[] = {
		{ "tests/fixtures/onnx/gemm.onnx", LS_FILE_ONNX },
		{ "tests/fixtures/onnx/dcgan64.onnx", LS_FILE_ONNX },
		{ "tests/fixtures/onnx-parse/typed.onnx", LS_FILE_ONNX },
		{ "tests/fixtures/onnx/bad-checkpoint.pt", LS_FILE_TORCH },
		{ "tests/fixtures/onnx/bad-checkpoint-legacy.pt", LS_FILE_TORCH },
		{ "tests/fixtures/onnx/bad-notonnx.onnx", LS_FILE_UNKNOWN },
		{ "tests/fixtures/onnx-parse/bad-random.onnx", LS_FILE_UNKNOWN },
		{ "tests/fixtures/fwd-deep.safetensors", LS_FILE_SAFETENSORS },
		{ "tests/fixtures/fwd-deep-z.npy", LS_FILE_NPY },
		{ "assets/traverse.png", LS_FILE_PNG },
	};
	size_t i, len;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		unsigned char *b = slurp(src_path(cases[i].rel), &len);
		enum ls_file_kind k = b ? ls_sniff(b, len) : LS_FILE_UNKNOWN;

		ok(b && k == cases[i].kind, "%s is sniffed as %s (got %s)", cases[i].rel,
		   ls_sniff_name(cases[i].kind), ls_sniff_name(k));
		free(b);
	}
}

static void
test_sniff_model(void)
{
	char err[LS_ERR_MAX] = "", path[4096];
	enum ls_file_kind k;
	enum ls_status s;

	snprintf(path, sizeof path, "%s", src_path("tests/fixtures/onnx/bad-checkpoint.pt"));
	s = ls_sniff_model(path, &k, err);
	ok(s == LS_EFORMAT && strncmp(err, path, strlen(path)) == 0 &&
	   strstr(err, "PyTorch checkpoint") && strstr(err, "torch.onnx.export"),
	   "a checkpoint given as a model: %s", err);
	s = ls_sniff_model(src_path("tests/fixtures/onnx/gemm.onnx"), &k, err);
	ok(s == LS_OK && k == LS_FILE_ONNX, "an ONNX model passes the model sniff");
	s = ls_sniff_model(src_path("tests/fixtures/no-such-file"), &k, err);
	ok(s == LS_EIO && strstr(err, "no-such-file"), "a missing file is LS_EIO: %s", err);
}

int
main(void)
{
	json_error_t je;
	json_t *facts = json_load_file(src_path("tests/fixtures/onnx-parse/expect.json"), 0, &je);

	if (!ok(facts != NULL, "expect.json loads"))
		return done_testing();
	test_good(facts);
	test_bad(facts);
	test_manifest();
	test_typed();
	test_prefixes();
	test_sniff();
	test_sniff_model();
	json_decref(facts);
	return done_testing();
}
