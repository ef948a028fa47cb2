/*
 * npy.h: NumPy .npy files, format v1.0, v2.0 (and 3.0).
 *
 * Reading maps the file; float data is '<f4' or '<f8', integer data (labels)
 * any of '<i1..<i8', '|u1', '<u2..<u8'. Fortran order, big-endian data and
 * other dtypes are refused with a clear message. Writing is float32, C order,
 * v1.0 (v2.0 when the header needs it), atomic.
 */
#ifndef LINSCOPE_NPY_H
#define LINSCOPE_NPY_H

#include <stddef.h>
#include <stdint.h>

#include "linscope/status.h"

#define LS_NPY_MAX_DIMS 8

enum ls_npy_kind { LS_NPY_F4, LS_NPY_F8, LS_NPY_INT, LS_NPY_UINT };

struct ls_npy {
	enum ls_npy_kind kind;
	int itemsize;                 /* bytes per element */
	int ndim;
	int64_t shape[LS_NPY_MAX_DIMS];
	int64_t numel;
	const void *data;             /* into the mapping */
	/* private */
	const void *map;
	size_t maplen;
};

/* Returns LS_OK and *npy; free with ls_npy_free(). */
enum ls_status ls_npy_open(const char *path, struct ls_npy **npy, char *err);
void ls_npy_free(struct ls_npy *npy);
/* Copies elements [off, off+n) as float32 (float kinds only). */
void ls_npy_read_f32(const struct ls_npy *npy, int64_t off, int64_t n, float *out);
/* Element i as an integer (integer kinds only). */
int64_t ls_npy_get_int(const struct ls_npy *npy, int64_t i);

/* Writes a float32 array of the given shape atomically. */
enum ls_status ls_npy_write_f32(const char *path, const float *data, int ndim,
				const int64_t *shape, char *err);

#endif
