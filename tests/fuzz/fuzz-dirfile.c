/*
 * fuzz-dirfile.c: libFuzzer harness for directions files: the bytes are
 * opened with ls_dirfile_open(); a set that opens is walked, changed (put,
 * set_meta, rename, remove), saved to a second path and reopened, and the
 * reopened set must equal the saved one (names, order, vectors, metadata):
 * whatever linscope accepts, it writes back faithfully.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/dirfile.h"
#include "base/util.h"
#include "fuzz.h"

/* Reads everything the accessors promise. */
static void
dirfile_walk(const struct ls_dirfile *f)
{
	volatile double sink = 0;
	int i, k;

	for (i = 0; i < ls_dirfile_count(f); i++) {
		const char *nm = ls_dirfile_name(f, i);

		if (ls_dirfile_dim(f, i) < 1 || ls_dirfile_find(f, nm) != i)
			abort();
		sink += ls_dirfile_vec(f, i)[ls_dirfile_dim(f, i) - 1];
		sink += ls_dirfile_sigma(f, i);
		for (k = 0; k < ls_dirfile_meta_count(f, i); k++)
			if (!ls_dirfile_meta(f, i, ls_dirfile_meta_key(f, i, k)) ||
			    !ls_dirfile_meta_value(f, i, k))
				abort();
	}
	(void)sink;
}

/* Do a and b hold the same directions, in the same order? */
static int
dirfile_same(const struct ls_dirfile *a, const struct ls_dirfile *b)
{
	int i, k, d;

	if (ls_dirfile_count(a) != ls_dirfile_count(b))
		return 0;
	for (i = 0; i < ls_dirfile_count(a); i++) {
		d = ls_dirfile_dim(a, i);
		if (strcmp(ls_dirfile_name(a, i), ls_dirfile_name(b, i)) != 0 ||
		    d != ls_dirfile_dim(b, i) ||
		    memcmp(ls_dirfile_vec(a, i), ls_dirfile_vec(b, i), (size_t)d * sizeof(float)) ||
		    ls_dirfile_meta_count(a, i) != ls_dirfile_meta_count(b, i))
			return 0;
		for (k = 0; k < ls_dirfile_meta_count(a, i); k++) {
			const char *v = ls_dirfile_meta(b, i, ls_dirfile_meta_key(a, i, k));
			if (!v || strcmp(v, ls_dirfile_meta_value(a, i, k)) != 0)
				return 0;
		}
	}
	return 1;
}

/* Changes f through the API; failures must leave it consistent. */
static void
dirfile_edit(struct ls_dirfile *f)
{
	static const float u[3] = { 1.0f, -2.0f, 0.5f };
	struct ls_dirmeta m = { "fuzz", "bank.npy", "1", NULL, NULL, "a note", 1.5 };
	char err[LS_ERR_MAX];
	const char *first;
	int d = ls_dirfile_count(f) ? ls_dirfile_dim(f, 0) : 3;
	float *v = calloc((size_t)d, sizeof *v);

	memcpy(v, u, (size_t)(d < 3 ? d : 3) * sizeof *v);
	fuzz_check_err(ls_dirfile_put(f, "fz", v, d, &m, 0, err), err);
	fuzz_check_err(ls_dirfile_set_num(f, "fz", "alpha", 0.25, err), err);
	if (ls_dirfile_count(f) > 1) {
		first = ls_dirfile_name(f, 0);
		fuzz_check_err(ls_dirfile_set_meta(f, first, "note", "edited", err), err);
		fuzz_check_err(ls_dirfile_rename(f, ls_dirfile_name(f, 0), "fz2", 1, err), err);
	}
	if (ls_dirfile_count(f) > 2)
		fuzz_check_err(ls_dirfile_remove(f, ls_dirfile_name(f, 1), err), err);
	free(v);
}

/* Saves f under a second name and checks the reopened copy. */
static void
dirfile_roundtrip(const uint8_t *data, size_t size)
{
	struct ls_dirfile *f = NULL, *g = NULL;
	char err[LS_ERR_MAX] = "";
	const char *out;
	enum ls_status s;

	out = fuzz_file("out.safetensors", data, size);
	s = ls_dirfile_open(out, 0, &f, err);
	fuzz_check_err(s, err);
	if (s != LS_OK)
		return;
	dirfile_walk(f);
	dirfile_edit(f);
	dirfile_walk(f);
	if ((s = ls_dirfile_save(f, err)) == LS_OK) {
		if (ls_dirfile_open(out, 0, &g, err) != LS_OK || !dirfile_same(f, g)) {
			fprintf(stderr, "fuzz-dirfile: saved set does not read back: %s\n", err);
			abort();
		}
		ls_dirfile_free(g);
	}
	fuzz_check_err(s, err);
	ls_dirfile_free(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dirfile_roundtrip(data, size);
	return 0;
}
