/*
 * test-st.c: the safetensors reader and writer.
 *
 * Round trip through ls_st_write; every way a header can be wrong, built in
 * memory and fed to ls_st_open_mem (each must fail with a message naming the
 * file); every prefix of a good file; dtype conversions at spot values.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linscope/st.h"
#include "base/util.h"
#include "../lib/tap.h"

#define NAME "mem.safetensors"

/* A safetensors image: u64 length, the JSON text, then data. Free it. */
static unsigned char *
mk(const char *json, const void *data, size_t datalen, size_t *len)
{
	size_t n = strlen(json);
	unsigned char *b = xcalloc(8 + n + datalen + 1, 1);
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)((uint64_t)n >> (8 * i));
	memcpy(b + 8, json, n);
	if (data)
		memcpy(b + 8 + n, data, datalen);
	*len = 8 + n + datalen;
	return b;
}

/* Expects ls_st_open_mem to fail on buf with a message naming the file and
 * containing want (if not NULL). */
static void
bad_buf(const void *buf, size_t len, const char *want, const char *what)
{
	char err[LS_ERR_MAX] = "";
	struct ls_st *st = (struct ls_st *)1;
	enum ls_status rc = ls_st_open_mem(buf, len, NAME, &st, err);

	if (!ok(rc != LS_OK && st == NULL && strncmp(err, NAME ": ", strlen(NAME) + 2) == 0 &&
		   (!want || strstr(err, want)),
		"rejects %s", what))
		diag("status %d, message: %s", rc, err);
	else
		diag("%s", err);
}

static void
bad(const char *json, size_t datalen, const char *want, const char *what)
{
	size_t len;
	unsigned char *b = mk(json, NULL, datalen, &len);

	bad_buf(b, len, want, what);
	free(b);
}

/* Opens json + data, which must succeed; *buf (the image) outlives st. */
static struct ls_st *
good(const char *json, const void *data, size_t datalen, const char *what, unsigned char **buf)
{
	char err[LS_ERR_MAX] = "";
	struct ls_st *st = NULL;
	size_t len;

	*buf = mk(json, data, datalen, &len);
	if (!ok(ls_st_open_mem(*buf, len, NAME, &st, err) == LS_OK, "accepts %s", what))
		diag("%s", err);
	return st;
}

static void
test_bad_headers(void)
{
	unsigned char tiny[5] = { 2, 0, 0, 0, 0 };
	unsigned char huge[16] = { 0 };

	bad_buf(NULL, 0, "need at least 8", "an empty file");
	bad_buf(tiny, sizeof tiny, "need at least 8", "a 5-byte file");
	huge[0] = 0xff;
	huge[1] = 0xff;
	bad_buf(huge, sizeof huge, "beyond the end", "a header length beyond the file");
	memset(huge, 0, sizeof huge);
	huge[4] = 1; /* 2^32 */
	bad_buf(huge, sizeof huge, "limit", "a header length above the limit");
	bad("{\"a\": {\"dtype\": \"F32\", ", 0, "not valid JSON", "a truncated JSON header");
	bad("hello world", 0, NULL, "a non-JSON header");
	bad("{}garbage", 0, "not valid JSON", "trailing garbage after the JSON");
	bad("[1, 2]", 0, NULL, "a JSON array header");
	bad("{\"a\": 3}", 0, "'a'", "a tensor that is not an object");
	bad("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}", 4,
	    "data_offsets [0, 8] beyond the data section (4 bytes)", "offsets out of range");
	bad("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [8, 4]}}", 8,
	    "'a'", "begin > end");
	bad("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [-4, 0]}}", 8,
	    "'a'", "negative offsets");
	bad("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0]}}", 8, "'a'",
	    "a single offset");
	bad("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
	    " \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}",
	    12, "overlap", "overlapping tensors");
	bad("{\"a\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]},"
	    " \"b\": {\"dtype\": \"U8\", \"shape\": [1], \"data_offsets\": [5, 6]}}",
	    16, "overlap", "a tensor inside another");
	bad("{\"a\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]}}", 8,
	    "'a' has 8 bytes", "a size/shape mismatch");
	bad("{\"a\": {\"dtype\": \"F16\", \"shape\": [2, 2], \"data_offsets\": [0, 16]}}", 16,
	    "'a'", "a size/dtype mismatch");
	bad("{\"w\": {\"dtype\": \"Q7\", \"shape\": [1], \"data_offsets\": [0, 1]}}", 1,
	    "tensor 'w' has unknown dtype 'Q7'", "an unknown dtype");
	bad("{\"w\": {\"dtype\": 4, \"shape\": [1], \"data_offsets\": [0, 1]}}", 1, "'w'",
	    "a non-string dtype");
	bad("{\"w\": {\"shape\": [1], \"data_offsets\": [0, 1]}}", 1, "'w'", "a missing dtype");
	bad("{\"w\": {\"dtype\": \"U8\", \"data_offsets\": [0, 1]}}", 1, "'w'", "a missing shape");
	bad("{\"__metadata__\": {\"k\": 3}}", 0, "'k' is not a string", "non-string metadata");
	bad("{\"__metadata__\": [\"k\"]}", 0, "__metadata__", "metadata that is not an object");
	bad("{\"a\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296], "
	    "\"data_offsets\": [0, 0]}}", 0, "too large", "a shape product overflow");
	bad("{\"a\": {\"dtype\": \"F64\", \"shape\": [2305843009213693952], "
	    "\"data_offsets\": [0, 0]}}", 0, "'a'", "an element count overflowing bytes");
	bad("{\"a\": {\"dtype\": \"F32\", \"shape\": [-1, 2], \"data_offsets\": [0, 0]}}", 0,
	    "shape[0]", "negative dims");
	bad("{\"a\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 4]}}", 4,
	    "shape[0]", "fractional dims");
	bad("{\"a\": {\"dtype\": \"U8\", \"shape\": [1,1,1,1,1,1,1,1,1], "
	    "\"data_offsets\": [0, 1]}}", 1, "dimensions", "too many dims");
	bad("{\"a\": {\"dtype\": \"U8\", \"shape\": [[1]], \"data_offsets\": [0, 1]}}", 1,
	    "nested", "nesting deeper than a header needs");
	bad("{\"a\": {\"dtype\": \"U8\", \"shape\": [1], \"data_offsets\": [0, 1]},"
	    " \"a\": {\"dtype\": \"U8\", \"shape\": [1], \"data_offsets\": [0, 1]}}", 1,
	    "duplicate", "a duplicate tensor name");
	bad("{\"a\": {\"dtype\": \"U8\", \"shape\": [1], \"data_offsets\": "
	    "[0, 99999999999999999999999]}}", 1, NULL, "a huge offset");
	bad("{\"a\\u0000b\": {\"dtype\": \"U8\", \"shape\": [1], \"data_offsets\": [0, 1]}}", 1,
	    NULL, "a NUL in a name");
}

/* A nested-bracket bomb must be refused before jansson recurses. */
static void
test_deep_nesting(void)
{
	size_t n = 100000, i, len;
	char *j = xmalloc(2 * n + 8);
	unsigned char *b;

	j[0] = '{';
	memcpy(j + 1, "\"a\":", 4);
	for (i = 0; i < n; i++)
		j[5 + i] = '[';
	j[5 + n] = '\0';
	b = mk(j, NULL, 0, &len);
	bad_buf(b, len, "nested", "100000 nested arrays");
	free(b);
	free(j);
}

static void
test_good_headers(void)
{
	/* F32 data at an odd offset: reads must not assume alignment */
	unsigned char data[1 + 8 + 3];
	float v[2] = { 1.5f, -7.25f }, got[2] = { 0, 0 };
	struct ls_st *st;
	const struct ls_tensor *t;
	unsigned char *buf;

	memset(data, 0xab, sizeof data);
	memcpy(data + 1, v, 8);
	st = good("{\"__metadata__\": {\"format\": \"pt\"},"
		  " \"odd\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [1, 9]},"
		  " \"empty\": {\"dtype\": \"F32\", \"shape\": [0, 5], \"data_offsets\": [3, 3]},"
		  " \"scalar\": {\"dtype\": \"U8\", \"shape\": [], \"data_offsets\": [11, 12]}}   ",
		  data, sizeof data, "holes, an unaligned tensor, empty and 0-d tensors", &buf);
	if (!st) {
		free(buf);
		return;
	}
	ok(ls_st_count(st) == 3, "three tensors (metadata is not one)");
	t = ls_st_find(st, "odd");
	ok(t && t->numel == 2 && t->nbytes == 8 && t->dtype == LS_F32, "'odd' is F32 [2]");
	if (t)
		ls_tensor_to_f32(t, got);
	ok(got[0] == 1.5f && got[1] == -7.25f, "unaligned F32 values read back");
	t = ls_st_find(st, "empty");
	ok(t && t->numel == 0 && t->ndim == 2 && t->shape[1] == 5, "'empty' is [0, 5]");
	t = ls_st_find(st, "scalar");
	ok(t && t->ndim == 0 && t->numel == 1, "'scalar' is 0-d with one element");
	ok(ls_st_find(st, "nope") == NULL, "find of a missing name is NULL");
	ok(ls_st_tensor(st, 3) == NULL && ls_st_tensor(st, -1) == NULL, "tensor index bounds");
	ok(strcmp(ls_st_tensor(st, 0)->name, "odd") == 0 &&
		   strcmp(ls_st_tensor(st, 2)->name, "scalar") == 0,
	   "tensors keep file order");
	ok(ls_st_meta(st, "format") && strcmp(ls_st_meta(st, "format"), "pt") == 0,
	   "metadata value");
	ok(strcmp(ls_st_path(st), NAME) == 0, "path is the given name");
	ls_st_free(st);
	ls_st_free(NULL);
	free(buf);
}

/* One tensor of the given dtype and raw bytes, converted to float. */
static int
convert(const char *dtype, const void *raw, int n, int size, float *out)
{
	char json[256];
	struct ls_st *st;
	unsigned char *buf;

	snprintf(json, sizeof json,
		 "{\"t\": {\"dtype\": \"%s\", \"shape\": [%d], \"data_offsets\": [0, %d]}}", dtype, n,
		 n * size);
	st = good(json, raw, (size_t)(n * size), dtype, &buf);
	if (st)
		ls_tensor_to_f32(ls_st_find(st, "t"), out);
	ls_st_free(st);
	free(buf);
	return st ? 0 : -1;
}

static void
test_conversions(void)
{
	const uint8_t f16[] = { 0x00, 0x3c, 0x00, 0xc1, 0xff, 0x7b, 0x01, 0x00,
				0x00, 0x7c, 0x00, 0x7e, 0x00, 0x80, 0x00, 0xfc };
	const uint8_t bf16[] = { 0x80, 0x3f, 0x20, 0xc0, 0x7f, 0x47, 0x01, 0x00,
				 0x80, 0x7f, 0xc0, 0x7f, 0x80, 0xff };
	const uint8_t i32[] = { 0xff, 0xff, 0xff, 0xff, 0x05, 0, 0, 0, 0, 0, 0, 0x80 };
	const uint8_t i64[] = { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 7, 0, 0, 0, 0, 0, 0, 0 };
	const uint8_t u8[] = { 0, 1, 255 }, i8[] = { 0x80, 0xff, 3 }, bl[] = { 0, 1, 2 };
	const uint8_t e4m3[] = { 0x38, 0xc4, 0x7e, 0x01, 0x7f }, e5m2[] = { 0x3c, 0xc1, 0x7c };
	double d[3] = { 1.0 / 3.0, -1e300, 65504.0 };
	float o[8];

	if (!convert("F16", f16, 8, 2, o)) {
		ok(o[0] == 1.0f && o[1] == -2.5f && o[2] == 65504.0f, "F16 1, -2.5, 65504");
		ok(o[3] == ldexpf(1.0f, -24), "F16 smallest subnormal is 2^-24");
		ok(isinf(o[4]) && o[4] > 0 && isnan(o[5]), "F16 inf and nan");
		ok(o[6] == 0.0f && signbit(o[6]) && isinf(o[7]) && o[7] < 0, "F16 -0 and -inf");
	}
	if (!convert("BF16", bf16, 7, 2, o)) {
		ok(o[0] == 1.0f && o[1] == -2.5f && o[2] == 65280.0f, "BF16 1, -2.5, 65280");
		ok(o[3] == ldexpf(1.0f, -133), "BF16 smallest subnormal is 2^-133");
		ok(isinf(o[4]) && isnan(o[5]) && isinf(o[6]) && o[6] < 0, "BF16 inf, nan, -inf");
	}
	if (!convert("F64", d, 3, 8, o))
		ok(o[0] == (float)(1.0 / 3.0) && isinf(o[1]) && o[1] < 0 && o[2] == 65504.0f,
		   "F64 narrows to float (overflow to -inf)");
	if (!convert("I32", i32, 3, 4, o))
		ok(o[0] == -1.0f && o[1] == 5.0f && o[2] == -2147483648.0f, "I32 -1, 5, INT32_MIN");
	if (!convert("I64", i64, 2, 8, o))
		ok(o[0] == -2.0f && o[1] == 7.0f, "I64 -2, 7");
	if (!convert("U8", u8, 3, 1, o))
		ok(o[0] == 0.0f && o[1] == 1.0f && o[2] == 255.0f, "U8 0, 1, 255");
	if (!convert("I8", i8, 3, 1, o))
		ok(o[0] == -128.0f && o[1] == -1.0f && o[2] == 3.0f, "I8 -128, -1, 3");
	if (!convert("BOOL", bl, 3, 1, o))
		ok(o[0] == 0.0f && o[1] == 1.0f && o[2] == 1.0f, "BOOL 0, 1, 1");
	if (!convert("F8_E4M3", e4m3, 5, 1, o))
		ok(o[0] == 1.0f && o[1] == -3.0f && o[2] == 448.0f && o[3] == ldexpf(1, -9) &&
			   isnan(o[4]),
		   "F8_E4M3 1, -3, 448, 2^-9, nan");
	if (!convert("F8_E5M2", e5m2, 3, 1, o))
		ok(o[0] == 1.0f && o[1] == -2.5f && isinf(o[2]), "F8_E5M2 1, -2.5, inf");
	ok(ls_f16_to_f32(0x3555) > 0.3332f && ls_f16_to_f32(0x3555) < 0.3334f, "F16 1/3");
}

static void
test_roundtrip(void)
{
	const float a[6] = { 0.5f, -1, 2, 3.25f, 1e-30f, -1e30f }, s = 42;
	const char *meta[] = { "linscope.decoder", "a relu", "note", "h\xc3\xa9 \"quoted\"\n" };
	struct ls_st_out t[3] = {
		{ .name = "a", .ndim = 2, .shape = { 2, 3 }, .data = a },
		{ .name = "s", .ndim = 0, .data = &s },
		{ .name = "z", .ndim = 2, .shape = { 0, 7 }, .data = NULL },
	};
	char path[512], err[LS_ERR_MAX] = "", hash[17];
	struct ls_st *st = NULL;
	float got[6];
	size_t len;
	unsigned char *raw;
	uint64_t hlen = 0;
	int i;

	snprintf(path, sizeof path, "%s/rt.safetensors", tmpdir());
	if (!ok(ls_st_write(path, t, 3, meta, 2, err) == LS_OK, "ls_st_write"))
		diag("%s", err);
	if (!ok(ls_st_open(path, &st, err) == LS_OK, "ls_st_open reads it back")) {
		diag("%s", err);
		return;
	}
	ok(ls_st_count(st) == 3, "three tensors");
	ok(ls_st_meta_count(st) == 2 && strcmp(ls_st_meta_key(st, 0), "linscope.decoder") == 0 &&
		   strcmp(ls_st_meta_value(st, 1), meta[3]) == 0,
	   "metadata in order, with escapes and UTF-8");
	ok(ls_st_meta(st, "missing") == NULL && ls_st_meta_key(st, 2) == NULL, "absent metadata");
	ls_tensor_to_f32(ls_st_find(st, "a"), got);
	ok_maxdiff(got, a, 6, 0, "tensor 'a' values");
	ok(ls_st_find(st, "a")->shape[0] == 2 && ls_st_find(st, "a")->shape[1] == 3 &&
		   strcmp(ls_st_find(st, "a")->dtype_name, "F32") == 0,
	   "tensor 'a' is F32 [2, 3]");
	ls_tensor_to_f32(ls_st_find(st, "s"), got);
	ok(ls_st_find(st, "s")->ndim == 0 && got[0] == 42, "0-d tensor 's'");
	ok(ls_st_find(st, "z")->numel == 0 && ls_st_find(st, "z")->shape[1] == 7, "empty 'z'");
	raw = slurp(path, &len);
	for (i = 0; raw && i < 8; i++)
		hlen |= (uint64_t)raw[i] << (8 * i);
	ok(raw && hlen % 8 == 0 && raw[8] == '{', "header padded to a multiple of 8 (%llu)", (unsigned long long)hlen);
	ok(len == 8 + hlen + 28, "data is contiguous F32 (%zu bytes)", len);
	if (raw) {
		ls_hash_hex(raw, len, hash);
		ok(strcmp(ls_st_hash(st), hash) == 0 && strlen(ls_st_hash(st)) == 16,
		   "hash of the whole file");
	}
	/* every strict prefix of a good file is refused */
	for (i = 0; raw && (size_t)i < len; i++) {
		struct ls_st *p = NULL;
		if (ls_st_open_mem(raw, (size_t)i, "prefix", &p, err) == LS_OK) {
			ls_st_free(p);
			break;
		}
	}
	ok(raw && (size_t)i == len, "all %zu strict prefixes are refused", len);
	free(raw);
	ls_st_free(st);
	unlink(path);
}

/* Single-byte corruptions of a header: anything but a crash is fine. */
static void
test_mutations(void)
{
	const float a[4] = { 1, 2, 3, 4 };
	struct ls_st_out t[2] = {
		{ .name = "w", .ndim = 2, .shape = { 2, 2 }, .data = a },
		{ .name = "b", .ndim = 1, .shape = { 2 }, .data = a },
	};
	const char *meta[] = { "k", "v" };
	const unsigned char subst[] = { 0, '"', '{', '[', ']', '}', ',', '9', '-', 0xff };
	char path[512], err[LS_ERR_MAX];
	size_t len, i, k;
	unsigned char *raw;
	int opened = 0, tried = 0;

	snprintf(path, sizeof path, "%s/mut.safetensors", tmpdir());
	if (ls_st_write(path, t, 2, meta, 1, err) != LS_OK || !(raw = slurp(path, &len))) {
		ok(0, "write the mutation seed: %s", err);
		return;
	}
	for (i = 0; i < len; i++)
		for (k = 0; k < sizeof subst; k++) {
			unsigned char save = raw[i];
			struct ls_st *st = NULL;
			raw[i] = subst[k];
			if (ls_st_open_mem(raw, len, "m", &st, err) == LS_OK) {
				int j;
				float out[4];
				for (j = 0; j < ls_st_count(st); j++)
					if (ls_st_tensor(st, j)->numel <= 4)
						ls_tensor_to_f32(ls_st_tensor(st, j), out);
				opened++;
			}
			ls_st_free(st);
			raw[i] = save;
			tried++;
		}
	ok(tried > 0, "%d single-byte mutations handled (%d still parse)", tried, opened);
	free(raw);
	unlink(path);
}

static void
test_write_errors(void)
{
	const float a[2] = { 1, 2 };
	struct ls_st_out t[2] = {
		{ .name = "x", .ndim = 1, .shape = { 2 }, .data = a },
		{ .name = "x", .ndim = 1, .shape = { 2 }, .data = a },
	};
	const char *meta[] = { "k", "1", "k", "2" };
	char path[512], err[LS_ERR_MAX] = "";
	struct stat sb;
	struct ls_st *st = NULL;

	snprintf(path, sizeof path, "%s/bad.safetensors", tmpdir());
	ok(ls_st_write(path, t, 2, NULL, 0, err) == LS_EINVAL && strstr(err, "'x'"),
	   "duplicate tensor names: %s", err);
	ok(stat(path, &sb) != 0 && errno == ENOENT, "no file is left behind");
	ok(ls_st_write(path, t, 1, meta, 2, err) == LS_EINVAL && strstr(err, "'k'"),
	   "duplicate metadata keys: %s", err);
	t[1].name = "__metadata__";
	ok(ls_st_write(path, t, 2, NULL, 0, err) == LS_EINVAL, "a tensor named __metadata__");
	t[1].name = "y";
	t[1].shape[0] = -2;
	ok(ls_st_write(path, t, 2, NULL, 0, err) == LS_EINVAL, "a negative dim: %s", err);
	t[1].shape[0] = 2;
	t[1].ndim = LS_ST_MAX_DIMS + 1;
	ok(ls_st_write(path, t, 2, NULL, 0, err) == LS_EINVAL, "too many dims");
	t[1].ndim = 1;
	ok(ls_st_write("/nonexistent-dir/x.safetensors", t, 2, NULL, 0, err) == LS_EIO &&
		   strstr(err, "/nonexistent-dir/x.safetensors"),
	   "an unwritable path: %s", err);
	ok(ls_st_write(path, t, 2, meta, 1, err) == LS_OK &&
		   ls_st_write(path, t, 1, NULL, 0, err) == LS_OK,
	   "writing over an existing file");
	ok(ls_st_open(path, &st, err) == LS_OK && ls_st_count(st) == 1 &&
		   ls_st_meta_count(st) == 0,
	   "the second write replaced the first");
	ls_st_free(st);
	unlink(path);
	ok(ls_st_open(path, &st, err) == LS_EIO && st == NULL && strstr(err, path),
	   "a missing file: %s", err);
}

/* The PyTorch-made fixtures parse (written by tools/stio.py). */
static void
test_fixtures(void)
{
	const char *names[] = { "fwd-relu.safetensors", "fwd-relu-f16.safetensors",
				"fwd-relu-bf16.safetensors", "fwd-f64.safetensors" };
	char err[LS_ERR_MAX] = "";
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct ls_st *st = NULL;
		if (access(fixture(names[i]), R_OK) != 0) {
			diag("skipping %s: fixture not present", names[i]);
			continue;
		}
		if (!ok(ls_st_open(fixture(names[i]), &st, err) == LS_OK && ls_st_count(st) > 0 &&
				ls_st_meta(st, "linscope.decoder"),
			"fixture %s parses, with a decoder", names[i]))
			diag("%s", err);
		ls_st_free(st);
	}
}

int
main(void)
{
	test_bad_headers();
	test_deep_nesting();
	test_good_headers();
	test_conversions();
	test_roundtrip();
	test_mutations();
	test_write_errors();
	test_fixtures();
	rmdir(tmpdir());
	return done_testing();
}
