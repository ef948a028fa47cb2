/*
 * util.h: memory, the abort hook, atomic file writes, small helpers.
 *
 * Out-of-memory is not a recoverable error: the x* allocators call the abort
 * hook (which the UI sets so the terminal is restored first) and abort().
 */
#ifndef LINSCOPE_UTIL_H
#define LINSCOPE_UTIL_H

#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

#include "linscope/status.h"

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Called before abort() on a fatal error; the UI sets it to endwin(). */
void ls_set_abort_hook(void (*hook)(void));
void ls_fatal(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
#define LS_ASSERT(c) \
	((c) ? (void)0 : ls_fatal("%s:%d: assertion failed: %s", __FILE__, __LINE__, #c))

/*
 * Atomic writes. ls_afile_open() creates a temporary file in the directory of
 * path; write through ls_afile_fp(); ls_afile_commit() flushes, fsyncs and
 * renames it over path (the old file stays intact on any failure);
 * ls_afile_abort() removes the temporary. Either commit or abort frees af.
 * A symbolic link is followed (the file it points to is replaced, the link
 * kept); a FIFO or character device is written directly, never replaced;
 * a directory or other special file is refused at open. A replaced file
 * keeps its mode, a new one gets 0666 & ~umask (see afile.c).
 * flags: LS_AFILE_NOCLOBBER fails when path already exists (atomically);
 * LS_AFILE_NOSYNC skips the fsyncs (still atomic for readers, not durable
 * across a power cut: for throwaway files such as the live preview).
 */
enum { LS_AFILE_NOCLOBBER = 1, LS_AFILE_NOSYNC = 2 };
struct ls_afile;
enum ls_status ls_afile_open(const char *path, struct ls_afile **af, char *err);
FILE *ls_afile_fp(struct ls_afile *af);
enum ls_status ls_afile_commit(struct ls_afile *af, int flags, char *err);
void ls_afile_abort(struct ls_afile *af);
/* Serialises read-modify-write cycles of path between processes: an
 * exclusive flock on path's folder, held until ls_afile_unlock(*lock).
 * Never take it twice in one process (it would wait for itself). */
enum ls_status ls_afile_lock(const char *path, int *lock, char *err);
void ls_afile_unlock(int lock);
/* Test hook: when set, commit fails (as a crash would) right before rename. */
void ls_afile_set_fault(int (*fault)(const char *path));

/* Maps a whole file read-only. Returns LS_OK and sets base and len; an empty
 * file gives *base = NULL, *len = 0. Unmap with ls_unmap(). */
enum ls_status ls_map_file(const char *path, const void **base, size_t *len, char *err);
void ls_unmap(const void *base, size_t len);
/* A mapped file truncated while in use reads as zeros instead of raising
 * SIGBUS (afile.c); ls_map_lost() names such a file (NULL: none) so the
 * program can stop with a clear error. ls_map_file() installs the guard;
 * call ls_map_guard_install() again after installing a SIGBUS handler of
 * your own (the guard passes other faults on to it). */
const char *ls_map_lost(void);
void ls_map_guard_install(void);

/* Parses "A:B" (Python-style, either side may be empty) into *a, *b. */
int ls_parse_range_i(const char *s, long *a, long *b, int *has_a, int *has_b);
/* Parses "A:B" of doubles, both required. */
int ls_parse_range_d(const char *s, double *a, double *b);
/* Parses a comma-separated list of floats (each finite as a float);
 * returns the count and a malloc'd array, or -1 (*out NULL). */
long ls_parse_floats(const char *s, float **out);
/* Parses exactly d such values into v (d). The message says what is wrong
 * with the values only: the caller names where they came from. */
enum ls_status ls_parse_vector(const char *s, int d, float *v, char *err);
/* Parses a whole string as a long / double; 0 on success. */
int ls_parse_long(const char *s, long *v);
int ls_parse_double(const char *s, double *v);

/* FNV-1a 64-bit hash of a buffer, as 16 hex digits in out[17]. */
void ls_hash_hex(const void *data, size_t len, char out[17]);
/* The hash linscope shows and records for a model file: up to
 * LS_HASH_WHOLE bytes, ls_hash_hex of the whole file; above, FNV-1a 64 over
 * the first LS_HASH_HEAD bytes (the header), LS_HASH_BLOCKS blocks of
 * LS_HASH_BLOCK bytes at offsets i * ((len - LS_HASH_BLOCK) / (LS_HASH_BLOCKS - 1)) and the length as 8 little-endian bytes. It
 * names a file; it is not a checksum of every weight. (The FNV offset basis
 * is linscope's historical 1469598103934665603, not the published one.) */
#define LS_HASH_WHOLE (1L << 20)
#define LS_HASH_HEAD (256L << 10)
#define LS_HASH_BLOCKS 256
#define LS_HASH_BLOCK 4096L
void ls_hash_file(const void *data, size_t len, char out[17]);

/* Monotonic time in seconds. */
double ls_now(void);

/* Half-precision conversions. */
float ls_f16_to_f32(uint16_t h);
float ls_bf16_to_f32(uint16_t h);
uint16_t ls_f32_to_f16(float f);
uint16_t ls_f32_to_bf16(float f);

#endif
