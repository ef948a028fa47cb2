/*
 * st.h: safetensors files (read, memory-mapped; write, F32, atomic).
 *
 * Layout: u64 little-endian header length N, N bytes of JSON, raw data.
 * ls_st_open() checks every dtype, shape, and offset against the file before
 * returning: offsets lie inside the data section, sizes equal the product of
 * the shape times the dtype size, and no two tensors overlap.
 */
#ifndef LINSCOPE_ST_H
#define LINSCOPE_ST_H

#include <stddef.h>
#include <stdint.h>

#include "linscope/status.h"

#define LS_ST_MAX_DIMS 8
#define LS_ST_MAX_HEADER (100u << 20)  /* 100 MB of JSON */

enum ls_dtype { LS_F32, LS_F16, LS_BF16, LS_F64, LS_I64, LS_I32, LS_U8, LS_OTHER };

struct ls_tensor {
	const char *name;
	enum ls_dtype dtype;
	const char *dtype_name;       /* as in the file, e.g. "F32" */
	int ndim;
	int64_t shape[LS_ST_MAX_DIMS];
	int64_t numel;
	const void *data;             /* into the mapping, little-endian */
	size_t nbytes;
};

struct ls_st;

/* Returns LS_OK and *st; free with ls_st_free(). */
enum ls_status ls_st_open(const char *path, struct ls_st **st, char *err);
/* Parses a safetensors image held in memory (not copied: keep buf alive). */
enum ls_status ls_st_open_mem(const void *buf, size_t len, const char *name,
			      struct ls_st **st, char *err);
void ls_st_free(struct ls_st *st);

const char *ls_st_path(const struct ls_st *st);
int ls_st_count(const struct ls_st *st);
const struct ls_tensor *ls_st_tensor(const struct ls_st *st, int i);
const struct ls_tensor *ls_st_find(const struct ls_st *st, const char *name);
/* Converts any float dtype to float32; out holds t->numel floats. */
void ls_tensor_to_f32(const struct ls_tensor *t, float *out);

/* __metadata__: string values; NULL if absent. */
const char *ls_st_meta(const struct ls_st *st, const char *key);
int ls_st_meta_count(const struct ls_st *st);
const char *ls_st_meta_key(const struct ls_st *st, int i);
const char *ls_st_meta_value(const struct ls_st *st, int i);
/* Hash of the file (ls_hash_file: FNV-1a 64 of the whole file up to 1 MiB,
 * of the header and 256 sampled 4 KiB blocks above; hex). */
const char *ls_st_hash(const struct ls_st *st);

/* Writer: F32 tensors plus string metadata, written atomically. */
struct ls_st_out {
	const char *name;
	int ndim;
	int64_t shape[LS_ST_MAX_DIMS];
	const float *data;
};
enum ls_status ls_st_write(const char *path, const struct ls_st_out *t, int nt,
			   const char *const *meta_kv, int nmeta, char *err);

#endif
