/*
 * test-limits.c: resource bounds. Files that claim absurd sizes (a 10 GB
 * tensor, a 2^40-row bank, a 1 MB layer program, JSON nested 100000 deep,
 * a 100000 x 100000 PNG) must be refused with a clear one-line error that
 * names the file, without allocating what they claim and without hanging.
 * Each case's time is printed as a diagnostic only (no timed assertions).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "linscope/bank.h"
#include "linscope/dirfile.h"
#include "linscope/model.h"
#include "linscope/npy.h"
#include "linscope/png.h"
#include "linscope/st.h"
#include "base/util.h"
#include "../lib/tap.h"

/* Writes n bytes to name in the private folder; returns its path. */
static const char *
put_file(const char *name, const void *buf, size_t n)
{
	const char *p = tpath(name);
	FILE *f = fopen(p, "wb");

	if (!f || fwrite(buf, 1, n, f) != n || fclose(f) != 0) {
		perror(p);
		exit(99);
	}
	return p;
}

/* A safetensors image: u64 length, the JSON header, then data (n bytes). */
static const char *
put_st(const char *name, const char *json, const void *data, size_t n)
{
	size_t hl = strlen(json), i;
	unsigned char *b = malloc(8 + hl + n + 1);
	const char *p;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)((uint64_t)hl >> (8 * i));
	memcpy(b + 8, json, hl);
	if (n)
		memcpy(b + 8 + hl, data, n);
	p = put_file(name, b, 8 + hl + n);
	free(b);
	return p;
}

/* A v1 .npy preamble with the given header dict (padded), no data. */
static const char *
put_npy(const char *name, const char *dict, int version)
{
	size_t dl = strlen(dict), pre = version == 1 ? 10 : 12, hl, i;
	unsigned char *b;
	const char *p;

	hl = dl + 1 + (64 - (pre + dl + 1) % 64) % 64;
	b = malloc(pre + hl + 16);
	memcpy(b, "\x93NUMPY", 6);
	b[6] = (unsigned char)version;
	b[7] = 0;
	for (i = 0; i < pre - 8; i++)
		b[8 + i] = (unsigned char)(hl >> (8 * i));
	memcpy(b + pre, dict, dl);
	memset(b + pre + dl, ' ', hl - dl - 1);
	b[pre + hl - 1] = '\n';
	memset(b + pre + hl, 0, 16);
	p = put_file(name, b, pre + hl + 16);
	free(b);
	return p;
}

/* The case's verdict: refused with a one-line error naming the file. */
static void
refused(enum ls_status s, const char *err, const char *file, double t0, const char *what)
{
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	int good = s != LS_OK && strstr(err, base) && !strchr(err, '\n') && strlen(err) > strlen(base) + 4;

	diag("%s: %.3f s: %s", what, ls_now() - t0, s == LS_OK ? "(accepted)" : err);
	ok(good, "%s is refused with a clear error", what);
}

static void
st_limits(void)
{
	char err[LS_ERR_MAX] = "", *deep;
	struct ls_st *st = NULL;
	unsigned char pre[16] = { 0 };
	const char *p;
	double t0;
	size_t i;

	t0 = ls_now();
	p = put_st("big-tensor.safetensors",
		   "{\"w\":{\"dtype\":\"F32\",\"shape\":[50000,50000],\"data_offsets\":[0,10000000000]}}",
		   "\0\0\0\0", 4);
	refused(ls_st_open(p, &st, err), err, p, t0, "a 10 GB tensor in a small file");
	ok(strstr(err, "10000000000") || strstr(err, "offset") || strstr(err, "data"),
	   "the 10 GB error is about the tensor's data");

	t0 = ls_now();
	pre[0] = 0x00, pre[1] = 0xe4, pre[2] = 0x0b, pre[3] = 0x54, pre[4] = 0x02; /* 10e9 */
	p = put_file("big-header.safetensors", pre, sizeof pre);
	refused(ls_st_open(p, &st, err), err, p, t0, "a 10 GB header length");

	t0 = ls_now();
	deep = malloc(100000 + 8);
	deep[0] = '{';
	memcpy(deep + 1, "\"a\":", 4);
	for (i = 5; i < 100005; i++)
		deep[i] = '[';
	deep[i] = 0;
	p = put_st("deep.safetensors", deep, NULL, 0);
	refused(ls_st_open(p, &st, err), err, p, t0, "JSON nested 100000 deep");
	for (i = 0; i < 100000; i += 5)
		memcpy(deep + i, "{\"a\":", 5);
	deep[100000] = 0;
	t0 = ls_now();
	p = put_st("deep-obj.safetensors", deep, NULL, 0);
	refused(ls_st_open(p, &st, err), err, p, t0, "objects nested 20000 deep");
	free(deep);
}

/* A model whose decoder program is n bytes of "relu "; err gets the error. */
static void
program_limit(long n, const char *what, char *err)
{
	char *json;
	struct ls_model *m = NULL;
	const char *p;
	size_t hl = (size_t)n + 256;
	double t0 = ls_now();
	long i;

	json = malloc(hl);
	i = snprintf(json, hl, "{\"__metadata__\":{\"linscope.image\":\"1x1x1\",\"linscope.decoder\":\"");
	for (; n >= 5; n -= 5, i += 5)
		memcpy(json + i, "relu ", 5);
	snprintf(json + i, hl - (size_t)i, "\"}}");
	p = put_st("program.safetensors", json, NULL, 0);
	refused(ls_model_open(p, &m, err), err, p, t0, what);
	free(json);
	ls_model_free(m);
}

static void
model_limits(void)
{
	char err[LS_ERR_MAX] = "";

	program_limit(1L << 20, "a 1 MB layer program", err);
	ok(strstr(err, "65536") != NULL, "the 1 MB program error states the limit");
	program_limit(300 * 5, "a program of 300 layers", err);
	ok(strstr(err, "256") != NULL, "the 300-layer error states the limit");
}

static void
npy_limits(void)
{
	char err[LS_ERR_MAX] = "", *dict;
	struct ls_npy *n = NULL;
	struct ls_bank *b = NULL;
	const char *p;
	double t0 = ls_now();
	size_t i;

	p = put_npy("rows40.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776, 16), }", 1);
	refused(ls_npy_open(p, &n, err), err, p, t0, "a 2^40-row .npy in a small file");
	t0 = ls_now();
	refused(ls_bank_open(p, &b, err), err, p, t0, "a 2^40-row bank in a small file");
	t0 = ls_now();
	p = put_npy("huge-shape.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }", 1);
	refused(ls_npy_open(p, &n, err), err, p, t0, "a .npy shape whose size overflows");
	dict = malloc(200000);
	i = (size_t)sprintf(dict, "{'descr': '<f4', 'fortran_order': False, 'shape': ");
	memset(dict + i, '(', 100000);
	dict[i + 100000] = 0;
	t0 = ls_now();
	p = put_npy("deep.npy", dict, 2);
	refused(ls_npy_open(p, &n, err), err, p, t0, "a .npy header nested 100000 deep");
	free(dict);
}

/* A real (sparse) file of 2^40 rows x 1 column: the bank's row limit. */
static void
sparse_bank(void)
{
	char err[LS_ERR_MAX] = "";
	struct ls_bank *b = NULL;
	const char *p;
	double t0;
	int fd;

	p = put_npy("sparse.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776, 1), }", 1);
	fd = open(p, O_WRONLY);
	/* the preamble (the file less its 16 bytes of data), then 2^40 floats */
	if (fd < 0 || ftruncate(fd, lseek(fd, 0, SEEK_END) - 16 + (4LL << 40)) != 0) {
		diag("cannot make a 4 TB sparse file here: skipping the mapped 2^40-row bank");
		ok(1, "# SKIP sparse 4 TB file not supported");
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	t0 = ls_now();
	refused(ls_bank_open(p, &b, err), err, p, t0, "a mapped 2^40-row bank (4 TB sparse file)");
	ok(strstr(err, "rows") != NULL, "the 2^40-row error is about rows");
	unlink(p);
}

/* CRC-32 (PNG's, bitwise). */
static uint32_t
crc32_png(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	int k;

	while (n--) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
	}
	return c ^ 0xffffffffu;
}

/* A PNG header claiming w x h (the signature, IHDR, an empty IDAT, IEND). */
static const char *
put_png(const char *name, unsigned w, unsigned h)
{
	unsigned char b[8 + 25 + 12 + 12], *c = b + 8;
	uint32_t crc;

	memcpy(b, "\x89PNG\r\n\x1a\n", 8);
	memcpy(c, "\0\0\0\x0dIHDR", 8);
	c[8] = (unsigned char)(w >> 24), c[9] = (unsigned char)(w >> 16);
	c[10] = (unsigned char)(w >> 8), c[11] = (unsigned char)w;
	c[12] = (unsigned char)(h >> 24), c[13] = (unsigned char)(h >> 16);
	c[14] = (unsigned char)(h >> 8), c[15] = (unsigned char)h;
	memcpy(c + 16, "\x08\x00\x00\x00\x00", 5);
	crc = crc32_png(c + 4, 17);
	c[21] = (unsigned char)(crc >> 24), c[22] = (unsigned char)(crc >> 16);
	c[23] = (unsigned char)(crc >> 8), c[24] = (unsigned char)crc;
	memcpy(c + 25, "\0\0\0\0IDAT", 8);
	crc = crc32_png(c + 29, 4);
	c[33] = (unsigned char)(crc >> 24), c[34] = (unsigned char)(crc >> 16);
	c[35] = (unsigned char)(crc >> 8), c[36] = (unsigned char)crc;
	memcpy(c + 37, "\0\0\0\0IEND\xae\x42\x60\x82", 12);
	return put_file(name, b, sizeof b);
}

static void
other_limits(void)
{
	char err[LS_ERR_MAX] = "";
	struct ls_labels *l = NULL;
	struct ls_dirfile *f = NULL;
	struct ls_raster r;
	const char *p;
	double t0 = ls_now();

	p = put_file("labels.txt", "a\nb\nc\n", 6);
	refused(ls_labels_open(p, 1L << 40, &l, err), err, p, t0, "labels for a 2^40-row bank");
	t0 = ls_now();
	p = put_png("huge.png", 100000, 100000);
	refused(ls_png_read(p, 0, &r, err), err, p, t0, "a 100000 x 100000 PNG");
	t0 = ls_now();
	p = put_st("dirs.safetensors",
		   "{\"u\":{\"dtype\":\"F32\",\"shape\":[2684354560],\"data_offsets\":[0,10737418240]}}",
		   NULL, 0);
	refused(ls_dirfile_open(p, 0, &f, err), err, p, t0, "a directions file with a 10 GB vector");
}

/* Removes every file the cases made, then the folder. */
static void
cleanup(void)
{
	static const char *names[] = {
		"big-tensor.safetensors", "big-header.safetensors", "deep.safetensors",
		"deep-obj.safetensors", "program.safetensors", "rows40.npy", "huge-shape.npy",
		"deep.npy", "sparse.npy", "labels.txt", "huge.png", "dirs.safetensors",
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		unlink(tpath(names[i]));
	rmdir(tmpdir());
}

int
main(void)
{
	/* Nothing here may allocate what the files claim: 1 GB of address
	 * space above what the process uses is plenty, but ASan reserves
	 * terabytes, so the limit is only set without it. */
#if !defined(__SANITIZE_ADDRESS__)
	struct rlimit rl = { 4UL << 30, 4UL << 30 };
	setrlimit(RLIMIT_DATA, &rl);
#endif
	st_limits();
	model_limits();
	npy_limits();
	sparse_bank();
	other_limits();
	cleanup();
	return done_testing();
}
