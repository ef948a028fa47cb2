/*
 * test-npy.c: the .npy reader and writer.
 *
 * Reads the numpy-written fixtures (closed forms in tools/make_fixtures.py),
 * compares ls_npy_write_f32's bytes with numpy's, round-trips several
 * shapes, and feeds hand-made headers (good and bad) to the parser.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linscope/npy.h"
#include "base/util.h"
#include "../lib/tap.h"

/* Is the fixture there? Prints a skip note if not. */
static int
have(const char *name)
{
	if (access(fixture(name), R_OK) == 0)
		return 1;
	diag("SKIP %s: fixture not present (run tools/make_fixtures.py)", name);
	return 0;
}

/* A .npy file with the given version and header text, padded like numpy. */
static void
write_raw(const char *path, int major, const char *hdr, const void *data, size_t dlen)
{
	size_t lf = major == 1 ? 2 : 4, n = strlen(hdr) + 1;
	size_t pad = 64 - (8 + lf + n) % 64, total = 8 + lf + n + pad, i;
	unsigned char *b = xcalloc(total + dlen + 1, 1);

	memcpy(b, "\x93NUMPY", 6);
	b[6] = (unsigned char)major;
	for (i = 0; i < lf; i++)
		b[8 + i] = (unsigned char)((n + pad) >> (8 * i));
	memcpy(b + 8 + lf, hdr, n - 1);
	memset(b + 8 + lf + n - 1, ' ', pad);
	b[total - 1] = '\n';
	if (dlen)
		memcpy(b + total, data, dlen);
	spit(path, b, total + dlen);
	free(b);
}

/* Opens path; the caller frees. Reports failure as a test. */
static struct ls_npy *
open_ok(const char *path, const char *what)
{
	char err[LS_ERR_MAX] = "";
	struct ls_npy *n = NULL;

	if (!ok(ls_npy_open(path, &n, err) == LS_OK, "opens %s", what))
		diag("%s", err);
	return n;
}

/* Expects path to be refused with a message naming it and containing want. */
static void
refuse(const char *path, const char *want, const char *what)
{
	char err[LS_ERR_MAX] = "";
	struct ls_npy *n = (struct ls_npy *)1;
	enum ls_status rc = ls_npy_open(path, &n, err);

	if (!ok(rc != LS_OK && !n && strncmp(err, path, strlen(path)) == 0 &&
			(!want || strstr(err, want)),
		"refuses %s", what))
		diag("status %d, message: %s", rc, err);
	else
		diag("%s", err);
}

static void
test_fixture_floats(void)
{
	float got[40], want[40];
	struct ls_npy *n;
	int i, j, k;

	if (have("npy-f4-v1.npy") && (n = open_ok(fixture("npy-f4-v1.npy"), "npy-f4-v1.npy"))) {
		ok(n->kind == LS_NPY_F4 && n->itemsize == 4 && n->ndim == 2 && n->shape[0] == 7 &&
			   n->shape[1] == 3 && n->numel == 21,
		   "f4 v1 is <f4 (7, 3)");
		for (i = 0; i < 7; i++)
			for (j = 0; j < 3; j++)
				want[i * 3 + j] = (float)(i * 10 + j) + 0.25f;
		ls_npy_read_f32(n, 0, 21, got);
		ok_maxdiff(got, want, 21, 0, "f4 v1 values i*10 + j + 0.25");
		ls_npy_read_f32(n, 4, 5, got);
		ok_maxdiff(got, want + 4, 5, 0, "f4 v1 partial read [4, 9)");
		ls_npy_free(n);
	}
	if (have("npy-f8-v1.npy") && (n = open_ok(fixture("npy-f8-v1.npy"), "npy-f8-v1.npy"))) {
		ok(n->kind == LS_NPY_F8 && n->itemsize == 8 && n->shape[0] == 5 && n->shape[1] == 4,
		   "f8 v1 is <f8 (5, 4)");
		for (i = 0; i < 5; i++)
			for (j = 0; j < 4; j++)
				want[i * 4 + j] = (float)((double)i + j * 0.125 + 1.0 / 3.0);
		ls_npy_read_f32(n, 0, 20, got);
		ok_maxdiff(got, want, 20, 0, "f8 values a + b/8 + 1/3, rounded to float");
		ls_npy_free(n);
	}
	if (have("npy-f4-v2.npy") && (n = open_ok(fixture("npy-f4-v2.npy"), "npy-f4-v2.npy"))) {
		ok(n->ndim == 2 && n->shape[0] == 4 && n->shape[1] == 3, "v2.0 header: (4, 3)");
		for (i = 0; i < 4; i++)
			for (j = 0; j < 3; j++)
				want[i * 3 + j] = -(float)(i * 10 + j) - 0.5f;
		ls_npy_read_f32(n, 0, 12, got);
		ok_maxdiff(got, want, 12, 0, "v2.0 values -(i*10 + j) - 0.5");
		ls_npy_free(n);
	}
	if (have("npy-f4-3d.npy") && (n = open_ok(fixture("npy-f4-3d.npy"), "npy-f4-3d.npy"))) {
		ok(n->ndim == 3 && n->shape[0] == 2 && n->shape[1] == 3 && n->shape[2] == 4,
		   "3-d: (2, 3, 4)");
		for (i = 0; i < 2; i++)
			for (j = 0; j < 3; j++)
				for (k = 0; k < 4; k++)
					want[(i * 3 + j) * 4 + k] = (float)(i * 100 + j * 10 + k);
		ls_npy_read_f32(n, 0, 24, got);
		ok_maxdiff(got, want, 24, 0, "3-d values i*100 + j*10 + k");
		ls_npy_free(n);
	}
}

static void
test_fixture_ints(void)
{
	const int64_t i8[6] = { 3, 1, 4, 1, 5, 9 }, u1[6] = { 2, 7, 1, 8, 2, 8 };
	struct ls_npy *n;
	float f[6];
	int i, same;

	if (have("npy-i8.npy") && (n = open_ok(fixture("npy-i8.npy"), "npy-i8.npy"))) {
		ok(n->kind == LS_NPY_INT && n->itemsize == 8 && n->ndim == 1 && n->shape[0] == 6,
		   "i8 is <i8 (6,)");
		for (i = 0, same = 1; i < 6; i++)
			same &= ls_npy_get_int(n, i) == i8[i];
		ok(same, "i8 values 3 1 4 1 5 9");
		ls_npy_read_f32(n, 0, 6, f);
		ok(f[0] == 3 && f[5] == 9, "integers read as float too");
		ls_npy_free(n);
	}
	if (have("npy-u1.npy") && (n = open_ok(fixture("npy-u1.npy"), "npy-u1.npy"))) {
		ok(n->kind == LS_NPY_UINT && n->itemsize == 1 && n->numel == 6, "u1 is |u1 (6,)");
		for (i = 0, same = 1; i < 6; i++)
			same &= ls_npy_get_int(n, i) == u1[i];
		ok(same, "u1 values 2 7 1 8 2 8");
		ls_npy_free(n);
	}
}

static void
test_fixture_refusals(void)
{
	if (have("npy-fortran.npy"))
		refuse(fixture("npy-fortran.npy"),
		       "Fortran-order arrays are not supported; save with numpy.ascontiguousarray",
		       "a Fortran-order array");
	if (have("npy-bigendian.npy"))
		refuse(fixture("npy-bigendian.npy"), "big-endian", "big-endian data");
	if (have("npy-c16.npy"))
		refuse(fixture("npy-c16.npy"), "dtype 'c8' is not supported (need <f4 or <f8",
		       "a complex dtype");
	if (have("npy-truncated.npy"))
		refuse(fixture("npy-truncated.npy"), "truncated", "a truncated file");
}

/* The writer's bytes equal numpy.save's for the same array. */
static void
test_byte_exact(void)
{
	const int64_t sh2[2] = { 7, 3 }, sh3[3] = { 2, 3, 4 };
	float a[24];
	char err[LS_ERR_MAX] = "";
	unsigned char *mine, *theirs;
	size_t n1, n2;
	int i;

	for (i = 0; i < 21; i++)
		a[i] = (float)((i / 3) * 10 + i % 3) + 0.25f;
	if (have("npy-f4-v1.npy")) {
		ok(ls_npy_write_f32(tpath("w73.npy"), a, 2, sh2, err) == LS_OK, "write (7, 3)");
		mine = slurp(tpath("w73.npy"), &n1);
		theirs = slurp(fixture("npy-f4-v1.npy"), &n2);
		ok(mine && theirs && n1 == n2 && memcmp(mine, theirs, n1) == 0,
		   "(7, 3) float32 is byte-identical to numpy's (%zu vs %zu bytes)", n1, n2);
		ok(n1 == 128 + 21 * 4, "preamble is 128 bytes");
		free(mine);
		free(theirs);
		unlink(tpath("w73.npy"));
	}
	for (i = 0; i < 24; i++)
		a[i] = (float)((i / 12) * 100 + (i / 4 % 3) * 10 + i % 4);
	if (have("npy-f4-3d.npy")) {
		ok(ls_npy_write_f32(tpath("w234.npy"), a, 3, sh3, err) == LS_OK, "write (2, 3, 4)");
		mine = slurp(tpath("w234.npy"), &n1);
		theirs = slurp(fixture("npy-f4-3d.npy"), &n2);
		ok(mine && theirs && n1 == n2 && memcmp(mine, theirs, n1) == 0,
		   "(2, 3, 4) float32 is byte-identical to numpy's");
		free(mine);
		free(theirs);
		unlink(tpath("w234.npy"));
	}
}

/* Writes shape, reads it back, compares everything. */
static void
roundtrip(int ndim, const int64_t *shape, const char *what)
{
	char err[LS_ERR_MAX] = "";
	int64_t numel = 1;
	float *a, *b;
	struct ls_npy *n = NULL;
	size_t len;
	unsigned char *raw;
	int i, same = 1;

	for (i = 0; i < ndim; i++)
		numel *= shape[i];
	a = xcalloc((size_t)numel + 1, sizeof *a);
	b = xcalloc((size_t)numel + 1, sizeof *b);
	for (i = 0; i < numel; i++)
		a[i] = (float)i * 0.5f - 3.0f;
	if (!ok(ls_npy_write_f32(tpath("rt.npy"), a, ndim, shape, err) == LS_OK &&
			ls_npy_open(tpath("rt.npy"), &n, err) == LS_OK,
		"%s: write and read", what)) {
		diag("%s", err);
		goto out;
	}
	for (i = 0; i < ndim; i++)
		same &= n->shape[i] == shape[i];
	ok(same && n->ndim == ndim && n->numel == numel && n->kind == LS_NPY_F4,
	   "%s: shape and dtype", what);
	ls_npy_read_f32(n, 0, numel, b);
	ok_maxdiff(b, a, (long)numel, 0, what);
	raw = slurp(tpath("rt.npy"), &len);
	ok(raw && (len - (size_t)numel * 4) % 64 == 0 && raw[len - (size_t)numel * 4 - 1] == '\n',
	   "%s: preamble is a multiple of 64 ending in a newline", what);
	free(raw);
out:
	ls_npy_free(n);
	unlink(tpath("rt.npy"));
	free(a);
	free(b);
}

static void
test_roundtrips(void)
{
	const int64_t s1[1] = { 5 }, s2[2] = { 0, 3 }, s3[3] = { 3, 4, 5 };
	const int64_t s8[8] = { 1, 2, 1, 2, 1, 2, 1, 3 }, sb[2] = { 12345678901LL, 0 };
	char err[LS_ERR_MAX] = "";

	roundtrip(0, NULL, "0-d ()");
	roundtrip(1, s1, "1-d (5,)");
	roundtrip(2, s2, "empty (0, 3)");
	roundtrip(3, s3, "3-d (3, 4, 5)");
	roundtrip(8, s8, "8-d");
	roundtrip(2, sb, "(12345678901, 0)");
	ok(ls_npy_write_f32(tpath("x.npy"), NULL, 9, s8, err) == LS_EINVAL, "9 dims refused");
	ok(ls_npy_write_f32("/nonexistent-dir/x.npy", (float[]){ 1 }, 0, NULL, err) == LS_EIO &&
		   strstr(err, "/nonexistent-dir/x.npy"),
	   "an unwritable path: %s", err);
}

/* Header spellings numpy (or Python 2 numpy) can produce, all readable. */
static void
test_header_variants(void)
{
	const float v[6] = { 1, 2, 3, 4, 5, 6 };
	const uint16_t u2[3] = { 1, 65535, 7 };
	const int8_t i1[2] = { -5, 100 };
	struct ls_npy *n;

	write_raw(tpath("h.npy"), 1, "{'shape': (2, 3), 'fortran_order': False, 'descr': '<f4'}",
		  v, 24);
	if ((n = open_ok(tpath("h.npy"), "keys in any order, no trailing comma"))) {
		ok(n->shape[0] == 2 && n->shape[1] == 3, "shape (2, 3)");
		ls_npy_free(n);
	}
	write_raw(tpath("h.npy"), 1, "{ \"descr\" : \"=f4\" ,'fortran_order':False,'shape':(6L,),}",
		  v, 24);
	if ((n = open_ok(tpath("h.npy"), "double quotes, '=' order, 6L, odd spacing"))) {
		ok(n->ndim == 1 && n->shape[0] == 6, "shape (6,)");
		ls_npy_free(n);
	}
	write_raw(tpath("h.npy"), 3, "{'descr': '<u2', 'fortran_order': False, 'shape': (3,), }",
		  u2, 6);
	if ((n = open_ok(tpath("h.npy"), "a v3.0 header with <u2"))) {
		ok(n->kind == LS_NPY_UINT && ls_npy_get_int(n, 1) == 65535, "<u2 65535");
		ls_npy_free(n);
	}
	write_raw(tpath("h.npy"), 1, "{'descr': '|i1', 'fortran_order': True, 'shape': (2,), }",
		  i1, 2);
	if ((n = open_ok(tpath("h.npy"), "|i1, and Fortran order on a 1-d array"))) {
		ok(ls_npy_get_int(n, 0) == -5 && ls_npy_get_int(n, 1) == 100, "|i1 -5, 100");
		ls_npy_free(n);
	}
	write_raw(tpath("h.npy"), 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }",
		  v, 4);
	if ((n = open_ok(tpath("h.npy"), "a 0-d array"))) {
		ok(n->ndim == 0 && n->numel == 1, "0-d has one element");
		ls_npy_free(n);
	}
	unlink(tpath("h.npy"));
}

static void
bad_hdr(int major, const char *hdr, size_t dlen, const char *want, const char *what)
{
	unsigned char data[64] = { 0 };

	write_raw(tpath("bad.npy"), major, hdr, data, dlen);
	refuse(tpath("bad.npy"), want, what);
}

static void
test_bad_files(void)
{
	const char *p = tpath("bad.npy");
	const char *f4 = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";

	spit(p, "", 0);
	refuse(p, "not a .npy file", "an empty file");
	spit(p, "PK\3\4 this is a zip", 19);
	refuse(p, "not a .npy file", "bad magic");
	spit(p, "\x93NUMPY\1\0", 8);
	refuse(p, "truncated", "a file that ends after the magic");
	spit(p, "\x93NUMPY\1\0\xff\x00{'descr'", 17);
	refuse(p, "truncated", "a header length beyond the file");
	bad_hdr(1, f4, 20, "truncated", "truncated data");
	bad_hdr(1, f4, 28, "28 bytes of data", "extra data");
	bad_hdr(4, f4, 24, "version 4.0", "format version 4.0");
	bad_hdr(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", 24,
		"Fortran-order", "Fortran order");
	bad_hdr(1, "{'descr': '<c16', 'fortran_order': False, 'shape': (2, 3), }", 24,
		"dtype 'c16' is not supported", "complex128");
	bad_hdr(1, "{'descr': '<f2', 'fortran_order': False, 'shape': (2, 3), }", 24,
		"dtype 'f2'", "float16");
	bad_hdr(1, "{'descr': '|O', 'fortran_order': False, 'shape': (2, 3), }", 24,
		"dtype 'O'", "an object array");
	bad_hdr(1, "{'descr': '>i4', 'fortran_order': False, 'shape': (2, 3), }", 24,
		"big-endian", "big-endian int32");
	bad_hdr(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", 8,
		"structured", "a structured dtype");
	bad_hdr(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-2, 3), }", 24, NULL,
		"a negative dim");
	bad_hdr(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }",
		0, "too large", "a shape product overflow");
	bad_hdr(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }",
		0, "too large", "a dim above int64");
	bad_hdr(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,1,1,1,1,1,1,1,1), }",
		4, NULL, "nine dims");
	bad_hdr(1, "{'descr': '<f4', 'fortran_order': False}", 4, "lacks", "a missing shape");
	bad_hdr(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}", 4,
		"unexpected", "an extra key");
	bad_hdr(1, "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,)}", 4,
		"repeated", "a repeated key");
	bad_hdr(1, "{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}", 4, "cannot parse",
		"a non-bool fortran_order");
	bad_hdr(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} junk", 4,
		"cannot parse", "junk after the dict");
	bad_hdr(1, "['descr', '<f4']", 4, "cannot parse", "a list header");
	refuse(tpath("missing.npy"), "missing.npy", "a missing file");
	unlink(p);
}

/* Every strict prefix of a good file is refused without a crash. */
static void
test_prefixes(void)
{
	const int64_t sh[2] = { 3, 2 };
	const float a[6] = { 1, 2, 3, 4, 5, 6 };
	char err[LS_ERR_MAX];
	unsigned char *raw;
	size_t len, i;
	int refused = 0;

	if (ls_npy_write_f32(tpath("p.npy"), a, 2, sh, err) != LS_OK ||
	    !(raw = slurp(tpath("p.npy"), &len))) {
		ok(0, "write the prefix seed");
		return;
	}
	for (i = 0; i < len; i++) {
		struct ls_npy *n = NULL;
		spit(tpath("p.npy"), raw, i);
		refused += ls_npy_open(tpath("p.npy"), &n, err) != LS_OK;
		ls_npy_free(n);
	}
	ok((size_t)refused == len, "all %zu strict prefixes are refused", len);
	free(raw);
	unlink(tpath("p.npy"));
}

int
main(void)
{
	test_fixture_floats();
	test_fixture_ints();
	test_fixture_refusals();
	test_byte_exact();
	test_roundtrips();
	test_header_variants();
	test_bad_files();
	test_prefixes();
	rmdir(tmpdir());
	return done_testing();
}
