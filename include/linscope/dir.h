/*
 * dir.h: naming latent directions on the command line and in scripts.
 *
 * A direction spec is one of
 *   axis:K      the K-th latent axis (0-based)
 *   rows:I-J    bank[J] - bank[I]: from row I towards row J
 *   FILE:NAME   the tensor NAME of a directions file (linscope-files(5))
 */
#ifndef LINSCOPE_DIR_H
#define LINSCOPE_DIR_H

#include "linscope/status.h"

struct ls_bank;

/* Resolves spec into u (d values, not normalised). b may be NULL when the
 * spec needs no bank. */
enum ls_status ls_dir_resolve(const char *spec, const struct ls_bank *b, int d,
			      float *u, char *err);
/* Scales u to unit length; LS_EINVAL (naming what) if it is zero. */
enum ls_status ls_dir_normalize(float *u, int d, const char *what, char *err);

#endif
