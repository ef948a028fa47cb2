/*
 * fuzz-png.c: libFuzzer harness for PNG input (ls_png_read through
 * libpng's simplified API): the bytes are read as gray, as RGB and as
 * stored; every pixel of an image that opens is read back.
 */
#include <stdint.h>
#include <stdlib.h>

#include "linscope/png.h"
#include "base/util.h"
#include "fuzz.h"

/* Reads path as want_c channels and touches every pixel. */
static void
png_try(const char *path, int want_c)
{
	struct ls_raster r;
	char err[LS_ERR_MAX] = "";
	enum ls_status s;
	volatile unsigned sink = 0;
	size_t i, n;

	s = ls_png_read(path, want_c, &r, err);
	fuzz_check_err(s, err);
	if (s != LS_OK)
		return;
	if (r.w < 1 || r.h < 1 || r.w > LS_PNG_MAX_SIDE || r.h > LS_PNG_MAX_SIDE ||
	    (r.c != 1 && r.c != 3) || (want_c && r.c != want_c))
		abort();
	n = (size_t)r.w * (size_t)r.h * (size_t)r.c;
	for (i = 0; i < n; i++)
		sink += r.px[i];
	ls_raster_free(&r);
	(void)sink;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("in.png", data, size);
	int mode = size ? data[size - 1] % 3 : 0;

	png_try(path, mode == 2 ? 3 : mode);
	return 0;
}
