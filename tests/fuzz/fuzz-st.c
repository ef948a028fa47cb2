/*
 * fuzz-st.c: libFuzzer harness for the safetensors reader (header JSON,
 * dtypes, shapes, offsets, overlap) through ls_st_open_mem(). Every tensor
 * that opens is converted to float32 and every metadata entry is read, so
 * a bad offset or size shows up as an ASan report.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/st.h"
#include "base/util.h"
#include "fuzz.h"

/* Reads everything a successful open promises. */
static void
st_walk(const struct ls_st *st)
{
	int i, n = ls_st_count(st);
	volatile float sink = 0;

	for (i = 0; i < n; i++) {
		const struct ls_tensor *t = ls_st_tensor(st, i);
		float *v;

		if (ls_st_find(st, t->name) != t)
			abort();
		if (t->numel < 0 || (t->numel > 0 && !t->data && t->nbytes))
			abort();
		v = malloc((size_t)t->numel * sizeof *v + 1);
		ls_tensor_to_f32(t, v);
		if (t->numel > 0)
			sink += v[0] + v[t->numel - 1];
		free(v);
	}
	for (i = 0; i < ls_st_meta_count(st); i++)
		if (ls_st_meta(st, ls_st_meta_key(st, i)) == NULL || !ls_st_meta_value(st, i))
			abort();
	(void)ls_st_hash(st);
	(void)sink;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ls_st *st = NULL;
	char err[LS_ERR_MAX] = "";
	enum ls_status s;
	/* a private copy, so reads past the end are caught exactly */
	uint8_t *buf = malloc(size ? size : 1);

	memcpy(buf, data, size);
	s = ls_st_open_mem(buf, size, "fuzz.safetensors", &st, err);
	fuzz_check_err(s, err);
	if (s == LS_OK) {
		st_walk(st);
		ls_st_free(st);
	}
	free(buf);
	return 0;
}
