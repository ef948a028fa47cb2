/*
 * npy.c: NumPy .npy files.
 *
 * A file is the magic "\x93NUMPY", a major and minor version byte, the
 * header length (u16 little-endian for 1.0, u32 for 2.0 and 3.0), the header
 * (the repr of a Python dict, padded with spaces and a newline), then the
 * raw data. The header grammar numpy writes is tiny, so it is parsed by hand:
 *   {'descr': '<f4', 'fortran_order': False, 'shape': (7, 3), }
 * with keys in any order, either quote, optional trailing commas, shapes
 * (), (N,) and (N, d, ...), and Python 2's "3L" integers. The data size must
 * match the shape exactly. Reading maps the file; data pointers are not
 * assumed aligned, so elements are read with memcpy or byte loads.
 *
 * The writer reproduces numpy.save byte for byte for float32 C-order arrays
 * (numpy >= 1.24 adds 21 - len(str(shape[0])) spaces of growth room after
 * the dict), padding the preamble to a multiple of 64 bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/npy.h"
#include "base/bytes.h"
#include "base/util.h"

#define NPY_ALIGN 64
#define NPY_GROWTH_DIGITS 21
#define NPY_MAGIC "\x93NUMPY"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define NATIVE_ORDER '>'
#else
#define NATIVE_ORDER '<'
#endif

/* What the header says, before it is checked against the data. */
struct npy_hdr {
	char descr[32];
	int fortran;
	int ndim;
	int64_t shape[LS_NPY_MAX_DIMS];
	unsigned seen;   /* bit 0 descr, 1 fortran_order, 2 shape */
};

/* A cursor over the header text. */
struct cur {
	const char *p, *end;
};

static void
skip_ws(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

/* Consumes ch (after blanks); 0 on success. */
static int
expect(struct cur *c, char ch)
{
	skip_ws(c);
	if (c->p >= c->end || *c->p != ch)
		return -1;
	c->p++;
	return 0;
}

/* A quoted string without escapes into out[cap]. */
static int
parse_str(struct cur *c, char *out, size_t cap)
{
	const char *s;
	char q;

	skip_ws(c);
	if (c->p >= c->end || (*c->p != '\'' && *c->p != '"'))
		return -1;
	q = *c->p++;
	for (s = c->p; c->p < c->end && *c->p != q; c->p++)
		if (*c->p == '\\' || *c->p == '\0' || *c->p == '\n')
			return -1;
	if (c->p >= c->end || (size_t)(c->p - s) >= cap)
		return -1;
	memcpy(out, s, (size_t)(c->p - s));
	out[c->p - s] = '\0';
	c->p++;
	return 0;
}

/* A non-negative decimal integer, optionally followed by L: 0, -1 if there
 * is none, -5 if it does not fit in int64. */
static int
parse_int(struct cur *c, int64_t *v)
{
	int64_t x = 0;
	int n = 0;

	skip_ws(c);
	for (; c->p < c->end && *c->p >= '0' && *c->p <= '9'; c->p++, n++) {
		if (x > (INT64_MAX - (*c->p - '0')) / 10)
			return -5;
		x = x * 10 + (*c->p - '0');
	}
	if (c->p < c->end && *c->p == 'L')
		c->p++;
	*v = x;
	return n ? 0 : -1;
}

/* True or False. */
static int
parse_bool(struct cur *c, int *v)
{
	skip_ws(c);
	if (c->end - c->p >= 4 && memcmp(c->p, "True", 4) == 0) {
		c->p += 4;
		*v = 1;
		return 0;
	}
	if (c->end - c->p >= 5 && memcmp(c->p, "False", 5) == 0) {
		c->p += 5;
		*v = 0;
		return 0;
	}
	return -1;
}

/* A tuple of integers: (), (N,), (N, d), (N, d,). */
static int
parse_tuple(struct cur *c, struct npy_hdr *h)
{
	int r;

	if (expect(c, '('))
		return -1;
	for (h->ndim = 0;;) {
		skip_ws(c);
		if (c->p < c->end && *c->p == ')')
			break;
		if (h->ndim == LS_NPY_MAX_DIMS)
			return -4;
		if ((r = parse_int(c, &h->shape[h->ndim])))
			return r;
		h->ndim++;
		skip_ws(c);
		if (c->p < c->end && *c->p == ',')
			c->p++;
		else if (c->p >= c->end || *c->p != ')')
			return -1;
	}
	c->p++; /* (3) is taken as (3,), as a user would mean */
	return 0;
}

/* The next character after blanks, or 0 at the end. */
static char
peek(struct cur *c)
{
	skip_ws(c);
	return c->p < c->end ? *c->p : '\0';
}

/* One "key: value" entry into h, its key into key[32]: 0, or -1 bad syntax,
 * -2 bad key, -3 structured dtype, -4 too many dimensions, -5 too large. */
static int
parse_entry(struct cur *c, struct npy_hdr *h, char *key)
{
	if (parse_str(c, key, 32) || expect(c, ':'))
		return -1;
	if (strcmp(key, "descr") == 0 && !(h->seen & 1)) {
		h->seen |= 1;
		if (peek(c) == '[')
			return -3;
		return parse_str(c, h->descr, sizeof h->descr);
	}
	if (strcmp(key, "fortran_order") == 0 && !(h->seen & 2)) {
		h->seen |= 2;
		return parse_bool(c, &h->fortran);
	}
	if (strcmp(key, "shape") == 0 && !(h->seen & 4)) {
		h->seen |= 4;
		return parse_tuple(c, h);
	}
	return -2;
}

/* How much of the text at c to quote in a message: one line, at most 24. */
static int
excerpt(const struct cur *c)
{
	int n = 0;

	while (n < 24 && c->p + n < c->end && (unsigned char)c->p[n] >= ' ')
		n++;
	while (n > 0 && c->p[n - 1] == ' ')
		n--;
	return n;
}

/* The header dict, up to the end of the header (only blanks may follow). */
static enum ls_status
parse_dict(const char *path, struct cur *c, struct npy_hdr *h, char *err)
{
	int r = expect(c, '{');
	char key[32] = "";

	while (!r && expect(c, '}')) {
		r = parse_entry(c, h, key);
		if (!r && expect(c, ',') && peek(c) != '}')
			r = -1;
	}
	if (!r && peek(c) != '\0')
		r = -1;
	if (r == -2)
		return ls_err(err, LS_EFORMAT, "%s: unexpected or repeated key '%s' in the .npy header",
			      path, key);
	if (r == -3)
		return ls_err(err, LS_EFORMAT, "%s: structured dtypes are not supported", path);
	if (r == -4)
		return ls_err(err, LS_EFORMAT, "%s: more than %d dimensions", path, LS_NPY_MAX_DIMS);
	if (r == -5)
		return ls_err(err, LS_EFORMAT, "%s: the shape in the .npy header is too large", path);
	if (r)
		return ls_err(err, LS_EFORMAT, "%s: cannot parse the .npy header near '%.*s'", path,
			      excerpt(c), c->p);
	if (h->seen != 7)
		return ls_err(err, LS_EFORMAT,
			      "%s: the .npy header lacks 'descr', 'fortran_order' or 'shape'", path);
	return LS_OK;
}

/* Sets kind and itemsize from descr such as '<f4'. */
static enum ls_status
check_descr(const char *path, const struct npy_hdr *h, struct ls_npy *n, char *err)
{
	static const struct {
		const char *type;
		enum ls_npy_kind kind;
		int size;
	} types[] = { { "f4", LS_NPY_F4, 4 },  { "f8", LS_NPY_F8, 8 },  { "i1", LS_NPY_INT, 1 },
		      { "i2", LS_NPY_INT, 2 },  { "i4", LS_NPY_INT, 4 },  { "i8", LS_NPY_INT, 8 },
		      { "u1", LS_NPY_UINT, 1 }, { "u2", LS_NPY_UINT, 2 }, { "u4", LS_NPY_UINT, 4 },
		      { "u8", LS_NPY_UINT, 8 } };
	char order = h->descr[0] == '=' ? NATIVE_ORDER : h->descr[0];
	const char *type = order && strchr("<>|", order) ? h->descr + 1 : h->descr;
	size_t i;

	for (i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcmp(type, types[i].type) == 0)
			break;
	if (i == sizeof types / sizeof types[0])
		return ls_err(err, LS_EFORMAT,
			      "%s: dtype '%s' is not supported (need <f4 or <f8; integer types "
			      "for labels)", path, type);
	if (types[i].size > 1 && order == '>')
		return ls_err(err, LS_EFORMAT,
			      "%s: big-endian data ('%s') is not supported; save with "
			      "a.astype('<%s')", path, h->descr, type);
	if (types[i].size > 1 && order != '<')
		return ls_err(err, LS_EFORMAT, "%s: dtype '%s' has no little-endian byte order",
			      path, h->descr);
	n->kind = types[i].kind;
	n->itemsize = types[i].size;
	return LS_OK;
}

/* "(7, 3)" into buf. */
static const char *
fmt_shape(const struct ls_npy *n, char *buf, size_t cap)
{
	size_t k = (size_t)snprintf(buf, cap, "(");
	int i;

	for (i = 0; i < n->ndim && k < cap; i++)
		k += (size_t)snprintf(buf + k, cap - k, "%s%lld", i ? ", " : "",
				      (long long)n->shape[i]);
	if (k < cap)
		snprintf(buf + k, cap - k, "%s)", n->ndim == 1 ? "," : "");
	return buf;
}

/* Copies the shape and checks that shape times itemsize fits in memory. */
static enum ls_status
check_shape(const char *path, const struct npy_hdr *h, struct ls_npy *n, char *err)
{
	int64_t numel = 1, limit = INT64_MAX / n->itemsize;
	int i, overflow = 0, zero = 0;

	n->ndim = h->ndim;
	for (i = 0; i < h->ndim; i++) {
		n->shape[i] = h->shape[i];
		zero |= h->shape[i] == 0;
		if (h->shape[i] && numel > limit / h->shape[i])
			overflow = 1;
		else
			numel *= h->shape[i];
	}
	if ((overflow && !zero) || (uint64_t)numel * (uint64_t)n->itemsize > SIZE_MAX)
		return ls_err(err, LS_EFORMAT, "%s: the shape in the .npy header is too large",
			      path);
	n->numel = zero ? 0 : numel;
	return LS_OK;
}

/* Checks magic and version; sets c to the header text and *pre to the
 * preamble length (where the data starts). */
static enum ls_status
parse_preamble(const char *path, const unsigned char *m, size_t len, struct cur *c,
	       size_t *pre, char *err)
{
	int lenfield;
	uint64_t hlen;

	if (len < 8 || memcmp(m, NPY_MAGIC, 6) != 0)
		return ls_err(err, LS_EFORMAT, "%s: not a .npy file (%s)", path,
			      len ? "no \\x93NUMPY magic" : "empty");
	if (m[6] < 1 || m[6] > 3)
		return ls_err(err, LS_EFORMAT, "%s: .npy format version %d.%d is not supported",
			      path, m[6], m[7]);
	lenfield = m[6] == 1 ? 2 : 4;
	if (len < (size_t)(8 + lenfield))
		return ls_err(err, LS_EFORMAT, "%s: truncated .npy header", path);
	hlen = ls_load_le(m + 8, lenfield);
	if (hlen > len - 8 - (size_t)lenfield)
		return ls_err(err, LS_EFORMAT,
			      "%s: truncated .npy header (%llu bytes announced, file has %zu)",
			      path, (unsigned long long)hlen, len);
	c->p = (const char *)m + 8 + lenfield;
	c->end = c->p + hlen;
	*pre = 8 + (size_t)lenfield + (size_t)hlen;
	return LS_OK;
}

/* Parses and checks a mapped file into n. */
static enum ls_status
npy_parse(const char *path, struct ls_npy *n, char *err)
{
	const unsigned char *m = n->map;
	struct npy_hdr h;
	struct cur c = { NULL, NULL };
	size_t pre = 0, need;
	enum ls_status rc;
	char sh[256];

	memset(&h, 0, sizeof h);
	if ((rc = parse_preamble(path, m, n->maplen, &c, &pre, err)) ||
	    (rc = parse_dict(path, &c, &h, err)) || (rc = check_descr(path, &h, n, err)) ||
	    (rc = check_shape(path, &h, n, err)))
		return rc;
	if (h.fortran && h.ndim > 1)
		return ls_err(err, LS_EFORMAT,
			      "%s: Fortran-order arrays are not supported; save with "
			      "numpy.ascontiguousarray", path);
	need = (size_t)n->numel * (size_t)n->itemsize;
	if (n->maplen - pre != need)
		return ls_err(err, LS_EFORMAT,
			      "%s: %zu bytes of data, but shape %s of '%s' needs %zu%s", path,
			      n->maplen - pre, fmt_shape(n, sh, sizeof sh), h.descr, need,
			      n->maplen - pre < need ? " (truncated file?)" : "");
	n->data = m + pre;
	return LS_OK;
}

enum ls_status
ls_npy_open(const char *path, struct ls_npy **npy, char *err)
{
	struct ls_npy *n;
	enum ls_status rc;

	*npy = NULL;
	n = xcalloc(1, sizeof *n);
	if ((rc = ls_map_file(path, &n->map, &n->maplen, err)) ||
	    (rc = npy_parse(path, n, err))) {
		ls_npy_free(n);
		return rc;
	}
	*npy = n;
	return LS_OK;
}

void
ls_npy_free(struct ls_npy *npy)
{
	if (!npy)
		return;
	ls_unmap(npy->map, npy->maplen);
	free(npy);
}

/* Element i as a double (any kind). */
static double
elem_f64(const struct ls_npy *n, int64_t i)
{
	const unsigned char *p = (const unsigned char *)n->data + (size_t)i * (size_t)n->itemsize;
	uint64_t u = ls_load_le(p, n->itemsize);
	uint32_t u32 = (uint32_t)u;
	float f;
	double d;

	switch (n->kind) {
	case LS_NPY_F4:
		memcpy(&f, &u32, 4);
		return f;
	case LS_NPY_F8:
		memcpy(&d, &u, 8);
		return d;
	case LS_NPY_INT:
		return (double)ls_load_sint(p, n->itemsize);
	case LS_NPY_UINT:
		return (double)u;
	}
	return 0.0;
}

void
ls_npy_read_f32(const struct ls_npy *npy, int64_t off, int64_t n, float *out)
{
	int64_t i;

	LS_ASSERT(off >= 0 && n >= 0 && off <= npy->numel - n);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (npy->kind == LS_NPY_F4) {
		if (n)
			memcpy(out, (const unsigned char *)npy->data + (size_t)off * 4,
			       (size_t)n * 4);
		return;
	}
#endif
	for (i = 0; i < n; i++)
		out[i] = (float)elem_f64(npy, off + i);
}

int64_t
ls_npy_get_int(const struct ls_npy *npy, int64_t i)
{
	const unsigned char *p;
	uint64_t u;
	double d;

	LS_ASSERT(i >= 0 && i < npy->numel);
	p = (const unsigned char *)npy->data + (size_t)i * (size_t)npy->itemsize;
	if (npy->kind == LS_NPY_INT)
		return ls_load_sint(p, npy->itemsize);
	if (npy->kind == LS_NPY_UINT) {
		u = ls_load_le(p, npy->itemsize);
		return u > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)u;
	}
	d = elem_f64(npy, i); /* a float array used as labels: truncated */
	if (d != d)
		return 0;
	if (d >= 9.2e18 || d <= -9.2e18)
		return d > 0 ? INT64_MAX : INT64_MIN;
	return (int64_t)d;
}

/* numpy's header dict for a float32 C-order array, with growth room. */
static size_t
header_dict(int ndim, const int64_t *shape, char *s, size_t cap)
{
	size_t k = (size_t)snprintf(s, cap, "{'descr': '<f4', 'fortran_order': False, 'shape': (");
	int i, digits;

	for (i = 0; i < ndim; i++)
		k += (size_t)snprintf(s + k, cap - k, "%s%lld", i ? ", " : "", (long long)shape[i]);
	k += (size_t)snprintf(s + k, cap - k, "%s), }", ndim == 1 ? "," : "");
	if (ndim > 0)
		for (digits = snprintf(NULL, 0, "%lld", (long long)shape[0]);
		     digits < NPY_GROWTH_DIGITS; digits++)
			s[k++] = ' ';
	LS_ASSERT(k < cap);
	s[k] = '\0';
	return k;
}

/* The whole preamble (magic, version, length, padded header) into buf. */
static size_t
npy_preamble(int ndim, const int64_t *shape, unsigned char *buf, size_t cap)
{
	char dict[512];
	size_t len = header_dict(ndim, shape, dict, sizeof dict), hlen = len + 1, lenfield = 2;
	size_t pad = NPY_ALIGN - (8 + lenfield + hlen) % NPY_ALIGN, i;

	if (hlen + pad > 65535) {
		lenfield = 4;
		pad = NPY_ALIGN - (8 + lenfield + hlen) % NPY_ALIGN;
	}
	LS_ASSERT(8 + lenfield + hlen + pad <= cap);
	memcpy(buf, NPY_MAGIC, 6);
	buf[6] = lenfield == 2 ? 1 : 2;
	buf[7] = 0;
	for (i = 0; i < lenfield; i++)
		buf[8 + i] = (unsigned char)((hlen + pad) >> (8 * i));
	memcpy(buf + 8 + lenfield, dict, len);
	memset(buf + 8 + lenfield + len, ' ', pad);
	buf[8 + lenfield + len + pad] = '\n';
	return 8 + lenfield + hlen + pad;
}

/* Checks the writer's arguments; *numel gets the element count. */
static enum ls_status
check_write(const char *path, const float *data, int ndim, const int64_t *shape,
	    int64_t *numel, char *err)
{
	int64_t k = 1;
	int i;

	if (ndim < 0 || ndim > LS_NPY_MAX_DIMS || (ndim && !shape))
		return ls_err(err, LS_EINVAL, "%s: cannot write %d dimensions (at most %d)", path,
			      ndim, LS_NPY_MAX_DIMS);
	for (i = 0; i < ndim; i++) {
		if (shape[i] < 0 || (shape[i] && k > INT64_MAX / 4 / shape[i]))
			return ls_err(err, LS_EINVAL, "%s: bad shape for a .npy array", path);
		k *= shape[i];
	}
	if (k && !data)
		return ls_err(err, LS_EINVAL, "%s: no data to write", path);
	*numel = k;
	return LS_OK;
}

enum ls_status
ls_npy_write_f32(const char *path, const float *data, int ndim, const int64_t *shape,
		 char *err)
{
	unsigned char pre[1024];
	struct ls_afile *af;
	enum ls_status rc;
	int64_t numel = 0;
	size_t len;

	if ((rc = check_write(path, data, ndim, shape, &numel, err)))
		return rc;
	len = npy_preamble(ndim, shape, pre, sizeof pre);
	if ((rc = ls_afile_open(path, &af, err)))
		return rc;
	if (fwrite(pre, 1, len, ls_afile_fp(af)) != len ||
	    ls_write_f32_le(ls_afile_fp(af), data, (size_t)numel)) {
		int e = errno;

		ls_afile_abort(af);
		return ls_err(err, LS_EIO, "%s: write failed: %s", path, strerror(e));
	}
	return ls_afile_commit(af, 0, err);
}
