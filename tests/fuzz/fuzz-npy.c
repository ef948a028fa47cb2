/*
 * fuzz-npy.c: libFuzzer harness for the .npy reader (magic, version,
 * header dict, dtype, shape against the file size) through ls_npy_open().
 * Every element of an array that opens is read back.
 */
#include <stdint.h>
#include <stdlib.h>

#include "linscope/npy.h"
#include "base/util.h"
#include "fuzz.h"

/* Reads every element, as float32 or as an integer according to the kind. */
static void
npy_walk(const struct ls_npy *n)
{
	volatile double sink = 0;
	int64_t i, numel = 1;
	int k;
	float *v;

	for (k = 0; k < n->ndim; k++)   /* a zero dimension makes any product 0 */
		if (n->shape[k] < 0 || __builtin_mul_overflow(numel, n->shape[k], &numel))
			numel = -1;
	for (k = 0; k < n->ndim; k++)
		if (n->shape[k] == 0)
			numel = 0;
	if (numel != n->numel || n->numel < 0)
		abort();
	if (n->kind == LS_NPY_INT || n->kind == LS_NPY_UINT) {
		for (i = 0; i < n->numel; i++)
			sink += (double)ls_npy_get_int(n, i);
		return;
	}
	v = malloc((size_t)n->numel * sizeof *v + 1);
	ls_npy_read_f32(n, 0, n->numel, v);
	if (n->numel > 1)
		ls_npy_read_f32(n, n->numel - 1, 1, v);
	free(v);
	(void)sink;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("in.npy", data, size);
	struct ls_npy *n = NULL;
	char err[LS_ERR_MAX] = "";
	enum ls_status s;

	s = ls_npy_open(path, &n, err);
	fuzz_check_err(s, err);
	if (s == LS_OK) {
		npy_walk(n);
		ls_npy_free(n);
	}
	return 0;
}
