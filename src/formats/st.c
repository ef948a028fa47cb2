/*
 * st.c: the safetensors reader.
 *
 * A file is a u64 little-endian header length N, N bytes of JSON, then the
 * data section. ls_st_open() maps the file; ls_st_open_mem() parses a buffer
 * the caller keeps alive (the fuzzing entry point). Nothing is returned until
 * the whole header has been checked:
 *   - N <= LS_ST_MAX_HEADER and N <= file size - 8; the JSON is an object
 *     nested at most three deep ({"t": {"shape": [...]}}), no duplicate keys;
 *   - each tensor has a known dtype, a shape of at most LS_ST_MAX_DIMS
 *     non-negative integers whose product does not overflow, and
 *     data_offsets [begin, end] with begin <= end <= data section size and
 *     end - begin == numel * dtype size;
 *   - no two tensors share a byte (holes and trailing bytes are allowed);
 *   - __metadata__, if present, is an object of string values.
 * Names, dtype names and metadata are copied, so the JSON is freed after
 * parsing; tensor data points into the mapping (or the caller's buffer) and
 * may be unaligned: every read goes through memcpy or byte loads.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "linscope/st.h"
#include "base/bytes.h"
#include "base/util.h"

#define ST_MAX_DEPTH 3

/* How an element of a dtype is widened to float. */
enum conv { C_F32, C_F64, C_F16, C_BF16, C_INT, C_UINT, C_BOOL, C_E4M3, C_E5M2 };

struct dtype_info {
	const char *name;
	enum ls_dtype dtype;
	int size;
	enum conv conv;
};

static const struct dtype_info dtypes[] = {
	{ "F32", LS_F32, 4, C_F32 },       { "F16", LS_F16, 2, C_F16 },
	{ "BF16", LS_BF16, 2, C_BF16 },    { "F64", LS_F64, 8, C_F64 },
	{ "I64", LS_I64, 8, C_INT },       { "I32", LS_I32, 4, C_INT },
	{ "U8", LS_U8, 1, C_UINT },        { "I8", LS_OTHER, 1, C_INT },
	{ "I16", LS_OTHER, 2, C_INT },     { "U16", LS_OTHER, 2, C_UINT },
	{ "U32", LS_OTHER, 4, C_UINT },    { "U64", LS_OTHER, 8, C_UINT },
	{ "BOOL", LS_OTHER, 1, C_BOOL },   { "F8_E4M3", LS_OTHER, 1, C_E4M3 },
	{ "F8_E5M2", LS_OTHER, 1, C_E5M2 },
};

struct ls_st {
	char *path;
	const unsigned char *buf;     /* the whole file */
	size_t len;
	int mapped;                   /* buf is ours to unmap */
	const unsigned char *data;    /* the data section */
	size_t datalen;
	struct ls_tensor *t;          /* (nt), in file order */
	int nt;
	const struct ls_tensor **byname; /* (nt), sorted by name */
	char **meta;                  /* (2 * nmeta): key, value, ... */
	int nmeta;
	char hash[17];                /* computed on first use */
};

/* The dtype called name, or NULL. */
static const struct dtype_info *
dtype_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof dtypes / sizeof dtypes[0]; i++)
		if (strcmp(dtypes[i].name, name) == 0)
			return &dtypes[i];
	return NULL;
}

/* Is the bracket nesting outside strings at most max? Checked before jansson
 * recurses into the text. */
static int
json_depth_ok(const unsigned char *s, size_t n, int max)
{
	int depth = 0, instr = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (instr) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				instr = 0;
		} else if (s[i] == '"') {
			instr = 1;
		} else if (s[i] == '{' || s[i] == '[') {
			if (++depth > max)
				return 0;
		} else if (s[i] == '}' || s[i] == ']') {
			depth--;
		}
	}
	return 1;
}

/* Reads the shape array of tensor name into t (ndim, shape, numel). */
static enum ls_status
parse_shape(const struct ls_st *s, const char *name, json_t *a, struct ls_tensor *t,
	    char *err)
{
	int64_t numel = 1;
	int overflow = 0, zero = 0;
	size_t i;

	if (!json_is_array(a))
		return ls_err(err, LS_EFORMAT, "%s: tensor '%s' has no shape array", s->path, name);
	if (json_array_size(a) > LS_ST_MAX_DIMS)
		return ls_err(err, LS_EFORMAT, "%s: tensor '%s' has %zu dimensions (at most %d)",
			      s->path, name, json_array_size(a), LS_ST_MAX_DIMS);
	t->ndim = (int)json_array_size(a);
	for (i = 0; i < json_array_size(a); i++) {
		json_t *d = json_array_get(a, i);
		json_int_t v = json_is_integer(d) ? json_integer_value(d) : -1;
		if (v < 0)
			return ls_err(err, LS_EFORMAT,
				      "%s: tensor '%s' shape[%zu] is not a non-negative integer",
				      s->path, name, i);
		t->shape[i] = (int64_t)v;
		zero |= v == 0;
		if (v && numel > INT64_MAX / v)
			overflow = 1;
		else
			numel *= v;
	}
	if (overflow && !zero)
		return ls_err(err, LS_EFORMAT, "%s: tensor '%s' shape is too large", s->path, name);
	t->numel = zero ? 0 : numel;
	return LS_OK;
}

/* Reads data_offsets [begin, end] of tensor name. */
static enum ls_status
parse_offsets(const struct ls_st *s, const char *name, json_t *a, uint64_t *b, uint64_t *e,
	      char *err)
{
	json_t *jb = json_array_get(a, 0), *je = json_array_get(a, 1);

	if (!json_is_array(a) || json_array_size(a) != 2 || !json_is_integer(jb) ||
	    !json_is_integer(je) || json_integer_value(jb) < 0 || json_integer_value(je) < 0)
		return ls_err(err, LS_EFORMAT,
			      "%s: tensor '%s' data_offsets is not a pair of non-negative integers",
			      s->path, name);
	*b = (uint64_t)json_integer_value(jb);
	*e = (uint64_t)json_integer_value(je);
	if (*b > *e)
		return ls_err(err, LS_EFORMAT, "%s: tensor '%s' data_offsets [%llu, %llu] are reversed",
			      s->path, name, (unsigned long long)*b, (unsigned long long)*e);
	if (*e > s->datalen)
		return ls_err(err, LS_EFORMAT,
			      "%s: tensor '%s' data_offsets [%llu, %llu] beyond the data section "
			      "(%zu bytes)",
			      s->path, name, (unsigned long long)*b, (unsigned long long)*e,
			      s->datalen);
	return LS_OK;
}

/* Checks that the byte range [b, e) holds exactly numel elements. */
static enum ls_status
check_size(const struct ls_st *s, const struct ls_tensor *t, const struct dtype_info *d,
	   uint64_t b, uint64_t e, char *err)
{
	if (t->numel > INT64_MAX / d->size ||
	    (uint64_t)t->numel * (uint64_t)d->size != e - b)
		return ls_err(err, LS_EFORMAT,
			      "%s: tensor '%s' has %llu bytes, but its shape and dtype %s need "
			      "%lld elements of %d bytes",
			      s->path, t->name, (unsigned long long)(e - b), d->name,
			      (long long)t->numel, d->size);
	return LS_OK;
}

/* Fills t from the header entry name: {"dtype", "shape", "data_offsets"}. */
static enum ls_status
parse_tensor(const struct ls_st *s, const char *name, json_t *v, struct ls_tensor *t, char *err)
{
	const struct dtype_info *d;
	const char *dt;
	uint64_t b = 0, e = 0;
	enum ls_status rc;

	t->name = xstrdup(name);
	if (!json_is_object(v))
		return ls_err(err, LS_EFORMAT, "%s: tensor '%s' is not a JSON object", s->path, name);
	dt = json_string_value(json_object_get(v, "dtype"));
	if (!dt)
		return ls_err(err, LS_EFORMAT, "%s: tensor '%s' has no dtype string", s->path, name);
	if (!(d = dtype_find(dt)))
		return ls_err(err, LS_EFORMAT, "%s: tensor '%s' has unknown dtype '%.32s'", s->path,
			      name, dt);
	t->dtype = d->dtype;
	t->dtype_name = d->name;
	if ((rc = parse_shape(s, name, json_object_get(v, "shape"), t, err)) ||
	    (rc = parse_offsets(s, name, json_object_get(v, "data_offsets"), &b, &e, err)) ||
	    (rc = check_size(s, t, d, b, e, err)))
		return rc;
	t->data = s->data + b;
	t->nbytes = (size_t)(e - b);
	return LS_OK;
}

/* Copies __metadata__ (an object of strings) into s->meta. */
static enum ls_status
parse_meta(struct ls_st *s, json_t *m, char *err)
{
	const char *k;
	json_t *v;

	if (!json_is_object(m))
		return ls_err(err, LS_EFORMAT, "%s: __metadata__ is not a JSON object", s->path);
	s->meta = xcalloc(2 * json_object_size(m) + 1, sizeof *s->meta);
	json_object_foreach(m, k, v) {
		if (!json_is_string(v))
			return ls_err(err, LS_EFORMAT, "%s: __metadata__ value of '%s' is not a string",
				      s->path, k);
		s->meta[2 * s->nmeta] = xstrdup(k);
		s->meta[2 * s->nmeta + 1] = xstrdup(json_string_value(v));
		s->nmeta++;
	}
	return LS_OK;
}

static int
cmp_begin(const void *a, const void *b)
{
	const struct ls_tensor *x = *(const struct ls_tensor *const *)a;
	const struct ls_tensor *y = *(const struct ls_tensor *const *)b;
	const unsigned char *px = x->data, *py = y->data;

	return px < py ? -1 : px > py;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp((*(const struct ls_tensor *const *)a)->name,
		      (*(const struct ls_tensor *const *)b)->name);
}

/* Rejects two non-empty tensors sharing a byte. */
static enum ls_status
check_overlap(const struct ls_st *s, char *err)
{
	const struct ls_tensor **v = xcalloc((size_t)s->nt + 1, sizeof *v), *last = NULL;
	const unsigned char *end = NULL;
	enum ls_status rc = LS_OK;
	int i;

	for (i = 0; i < s->nt; i++)
		v[i] = &s->t[i];
	qsort(v, (size_t)s->nt, sizeof *v, cmp_begin);
	for (i = 0; i < s->nt && !rc; i++) {
		const unsigned char *b = v[i]->data;
		if (!v[i]->nbytes)
			continue;
		if (last && b < end)
			rc = ls_err(err, LS_EFORMAT,
				    "%s: tensors '%s' and '%s' overlap in the data section",
				    s->path, last->name, v[i]->name);
		if (!last || b + v[i]->nbytes > end) {
			last = v[i];
			end = b + v[i]->nbytes;
		}
	}
	free(v);
	return rc;
}

/* Reads every entry of the header object. */
static enum ls_status
parse_entries(struct ls_st *s, json_t *root, char *err)
{
	enum ls_status rc = LS_OK;
	const char *k;
	json_t *v;

	s->t = xcalloc(json_object_size(root) + 1, sizeof *s->t);
	json_object_foreach(root, k, v) {
		if (strcmp(k, "__metadata__") == 0)
			rc = parse_meta(s, v, err);
		else
			rc = parse_tensor(s, k, v, &s->t[s->nt++], err);
		if (rc)
			return rc;
	}
	return LS_OK;
}

/* Reads the length prefix and checks it against the file. */
static enum ls_status
parse_prefix(struct ls_st *s, uint64_t *n, char *err)
{
	if (s->len < 8)
		return ls_err(err, LS_EFORMAT, "%s: not a safetensors file (%zu bytes, need at least 8)",
			      s->path, s->len);
	*n = ls_load_le(s->buf, 8);
	if (*n > LS_ST_MAX_HEADER)
		return ls_err(err, LS_EFORMAT, "%s: header length %llu is above the limit of %u bytes",
			      s->path, (unsigned long long)*n, LS_ST_MAX_HEADER);
	if (*n > s->len - 8)
		return ls_err(err, LS_EFORMAT,
			      "%s: header length %llu goes beyond the end of the file (%zu bytes)",
			      s->path, (unsigned long long)*n, s->len);
	if (*n < 2 || s->buf[8] != '{')
		return ls_err(err, LS_EFORMAT, "%s: not a safetensors file (no JSON header)",
			      s->path);
	s->data = s->buf + 8 + *n;
	s->datalen = s->len - 8 - (size_t)*n;
	return LS_OK;
}

/* Parses and checks the whole header. */
static enum ls_status
st_parse(struct ls_st *s, char *err)
{
	enum ls_status rc;
	json_error_t je;
	json_t *root;
	uint64_t n = 0;

	if ((rc = parse_prefix(s, &n, err)))
		return rc;
	if (!json_depth_ok(s->buf + 8, (size_t)n, ST_MAX_DEPTH))
		return ls_err(err, LS_EFORMAT, "%s: header JSON is nested more than %d deep",
			      s->path, ST_MAX_DEPTH);
	root = json_loadb((const char *)s->buf + 8, (size_t)n, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return ls_err(err, LS_EFORMAT, "%s: header is not valid JSON: %s (at byte %d)",
			      s->path, je.text, je.position);
	if (!json_is_object(root))
		rc = ls_err(err, LS_EFORMAT, "%s: header is not a JSON object", s->path);
	if (!rc)
		rc = parse_entries(s, root, err);
	json_decref(root);
	return rc ? rc : check_overlap(s, err);
}

/* Sorts the name index (names are unique: jansson rejects duplicates). */
static void
build_index(struct ls_st *s)
{
	int i;

	s->byname = xcalloc((size_t)s->nt + 1, sizeof *s->byname);
	for (i = 0; i < s->nt; i++)
		s->byname[i] = &s->t[i];
	qsort(s->byname, (size_t)s->nt, sizeof *s->byname, cmp_name);
}

/* Parses s; frees it on failure. */
static enum ls_status
st_finish(struct ls_st *s, struct ls_st **out, char *err)
{
	enum ls_status rc = st_parse(s, err);

	if (rc) {
		ls_st_free(s);
		*out = NULL;
		return rc;
	}
	build_index(s);
	*out = s;
	return LS_OK;
}

static struct ls_st *
st_new(const char *name, const void *buf, size_t len, int mapped)
{
	struct ls_st *s = xcalloc(1, sizeof *s);

	s->path = xstrdup(name ? name : "(memory)");
	s->buf = buf;
	s->len = len;
	s->mapped = mapped;
	return s;
}

enum ls_status
ls_st_open_mem(const void *buf, size_t len, const char *name, struct ls_st **st, char *err)
{
	return st_finish(st_new(name, buf, len, 0), st, err);
}

enum ls_status
ls_st_open(const char *path, struct ls_st **st, char *err)
{
	const void *base;
	size_t len;
	enum ls_status rc;

	*st = NULL;
	if ((rc = ls_map_file(path, &base, &len, err)))
		return rc;
	return st_finish(st_new(path, base, len, 1), st, err);
}

void
ls_st_free(struct ls_st *st)
{
	int i;

	if (!st)
		return;
	for (i = 0; i < st->nt; i++)
		free((char *)st->t[i].name);
	for (i = 0; st->meta && i < 2 * st->nmeta; i++)
		free(st->meta[i]);
	if (st->mapped && st->buf)
		ls_unmap(st->buf, st->len);
	free(st->meta);
	free(st->byname);
	free(st->t);
	free(st->path);
	free(st);
}

const char *
ls_st_path(const struct ls_st *st)
{
	return st->path;
}

int
ls_st_count(const struct ls_st *st)
{
	return st->nt;
}

const struct ls_tensor *
ls_st_tensor(const struct ls_st *st, int i)
{
	return i >= 0 && i < st->nt ? &st->t[i] : NULL;
}

const struct ls_tensor *
ls_st_find(const struct ls_st *st, const char *name)
{
	struct ls_tensor key = { .name = name };
	const struct ls_tensor *kp = &key, **hit;

	hit = bsearch(&kp, st->byname, (size_t)st->nt, sizeof *st->byname, cmp_name);
	return hit ? *hit : NULL;
}

/* Widens an OCP F8 E4M3 (the "fn" variant: no infinities, S.1111.111 is NaN). */
static float
e4m3_to_f32(unsigned v)
{
	unsigned e = (v >> 3) & 0xf, m = v & 7;
	float f;

	if (e == 0xf && m == 7)
		return NAN;
	f = e ? ldexpf(1.0f + (float)m / 8.0f, (int)e - 7) : ldexpf((float)m, -9);
	return (v & 0x80) ? -f : f;
}

/* One element of dtype d at p, as float. */
static float
elem_f32(const struct dtype_info *d, const unsigned char *p)
{
	uint64_t u = ls_load_le(p, d->size);
	uint32_t u32 = (uint32_t)u;
	float f;
	double g;

	switch (d->conv) {
	case C_F32:
		memcpy(&f, &u32, 4);
		return f;
	case C_F64:
		memcpy(&g, &u, 8);
		return (float)g;
	case C_F16:
		return ls_f16_to_f32((uint16_t)u);
	case C_BF16:
		return ls_bf16_to_f32((uint16_t)u);
	case C_INT:
		return (float)ls_load_sint(p, d->size);
	case C_UINT:
		return (float)u;
	case C_BOOL:
		return u ? 1.0f : 0.0f;
	case C_E4M3:
		return e4m3_to_f32((unsigned)u);
	case C_E5M2:
		return ls_f16_to_f32((uint16_t)(u << 8));
	}
	return 0.0f;
}

void
ls_tensor_to_f32(const struct ls_tensor *t, float *out)
{
	const struct dtype_info *d = dtype_find(t->dtype_name);
	const unsigned char *p = t->data;
	int64_t i;

	LS_ASSERT(d != NULL);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (d->conv == C_F32) {
		if (t->nbytes)
			memcpy(out, p, t->nbytes);
		return;
	}
#endif
	for (i = 0; i < t->numel; i++)
		out[i] = elem_f32(d, p + (size_t)i * (size_t)d->size);
}

const char *
ls_st_meta(const struct ls_st *st, const char *key)
{
	int i;

	for (i = 0; i < st->nmeta; i++)
		if (strcmp(st->meta[2 * i], key) == 0)
			return st->meta[2 * i + 1];
	return NULL;
}

int
ls_st_meta_count(const struct ls_st *st)
{
	return st->nmeta;
}

const char *
ls_st_meta_key(const struct ls_st *st, int i)
{
	return i >= 0 && i < st->nmeta ? st->meta[2 * i] : NULL;
}

const char *
ls_st_meta_value(const struct ls_st *st, int i)
{
	return i >= 0 && i < st->nmeta ? st->meta[2 * i + 1] : NULL;
}

/* The hash is computed on first use; the struct is never const-allocated. */
const char *
ls_st_hash(const struct ls_st *st)
{
	struct ls_st *m = (struct ls_st *)st;

	if (!m->hash[0])
		ls_hash_file(m->buf, m->len, m->hash);
	return m->hash;
}
