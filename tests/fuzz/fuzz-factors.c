/*
 * fuzz-factors.c: libFuzzer harness for the ground-truth factors reader
 * (factors.h). The first byte is the expected row count (255: any), the
 * second the length L of a names file (0: none); the next L bytes are the
 * names (factors.txt), the rest the .npy (factors.npy). A successful open
 * must give k names and k finite columns of the promised rows.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/factors.h"
#include "base/util.h"
#include "fuzz.h"

/* Reads everything a successful open promises. */
static void
factors_walk(const struct ls_factors *f, long nrows)
{
	long i;
	int j;

	if ((nrows >= 0 && ls_factors_rows(f) != nrows) || ls_factors_count(f) < 1 ||
	    ls_factors_count(f) > LS_FACTORS_MAX)
		abort();
	for (j = 0; j < ls_factors_count(f); j++) {
		const double *c = ls_factors_col(f, j);
		if (!ls_factors_name(f, j))
			abort();
		for (i = 0; i < ls_factors_rows(f); i++)
			if (!isfinite(c[i]))
				abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ls_factors *f = NULL;
	char err[LS_ERR_MAX] = "", names[600];
	const char *npy;
	enum ls_status s;
	long nrows;
	size_t l;

	if (size < 2)
		return 0;
	nrows = data[0] == 255 ? -1 : data[0];
	l = data[1];
	if (l > size - 2)
		l = size - 2;
	data += 2, size -= 2;
	snprintf(names, sizeof names, "%s/factors.txt", fuzz_scratch());
	unlink(names);
	if (l)
		fuzz_file("factors.txt", data, l);
	npy = fuzz_file("factors.npy", data + l, size - l);
	s = ls_factors_open(npy, nrows, &f, err);
	fuzz_check_err(s, err);
	if (s == LS_OK)
		factors_walk(f, nrows);
	ls_factors_free(f);
	return 0;
}
