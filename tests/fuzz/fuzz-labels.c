/*
 * fuzz-labels.c: libFuzzer harness for the labels reader: the bytes as a
 * text labels file and, when they look like a .npy, as an integer .npy. The
 * expected row count comes from the first byte so the count check, the
 * dropped final empty line and the "more labels than rows" path all run.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/bank.h"
#include "base/util.h"
#include "fuzz.h"

/* Reads every label and class a successful open promises. */
static void
labels_walk(const struct ls_labels *l, long nrows)
{
	long i;
	int k;

	if (ls_labels_count(l) != nrows)
		abort();
	for (i = 0; i < nrows; i++)
		if (!ls_labels_get(l, i) || strlen(ls_labels_get(l, i)) > 256)
			abort();
	for (k = 0; k < ls_labels_nclasses(l); k++)
		if (!ls_labels_class(l, k))
			abort();
}

/* Opens path expecting nrows labels. */
static void
labels_try(const char *path, long nrows)
{
	struct ls_labels *l = NULL;
	char err[LS_ERR_MAX] = "";
	enum ls_status s;

	s = ls_labels_open(path, nrows, &l, err);
	fuzz_check_err(s, err);
	if (s == LS_OK) {
		labels_walk(l, nrows);
		ls_labels_free(l);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long nrows;

	if (size < 1)
		return 0;
	nrows = data[0];
	data++, size--;
	labels_try(fuzz_file("labels.txt", data, size), nrows);
	if (size >= 6 && memcmp(data, "\x93NUMPY", 6) == 0)
		labels_try(fuzz_file("labels.npy", data, size), nrows);
	return 0;
}
