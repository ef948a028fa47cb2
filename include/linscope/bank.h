/*
 * bank.h: a bank of latent vectors (N, d) and optional labels.
 *
 * A bank is a float32 matrix held in memory (converted from '<f8' or
 * copied from '<f4'; '<f4' banks larger than LS_BANK_MAP_BYTES are used
 * in place from the mapping). Labels are strings, one per row, read from a
 * text file (one per line) or an integer .npy of shape (N,).
 * Statistics accumulate in double.
 */
#ifndef LINSCOPE_BANK_H
#define LINSCOPE_BANK_H

#include <stdint.h>

#include "linscope/labels.h"
#include "linscope/status.h"

#define LS_BANK_MAP_BYTES (64L << 20)
#define LS_BANK_MAX_ROWS (1L << 31)

struct ls_bank;

/* Returns LS_OK and *b; free with ls_bank_free(). */
enum ls_status ls_bank_open(const char *path, struct ls_bank **b, char *err);
/* A bank over a copy of rows (n, d). */
struct ls_bank *ls_bank_from_rows(const float *rows, long n, int d);
void ls_bank_free(struct ls_bank *b);
const char *ls_bank_path(const struct ls_bank *b);
long ls_bank_rows(const struct ls_bank *b);
int ls_bank_dim(const struct ls_bank *b);
const float *ls_bank_row(const struct ls_bank *b, long i);   /* (d) */
const float *ls_bank_data(const struct ls_bank *b);          /* (N, d) */

/* Mean (d) and standard deviation of the projections on u (not
 * necessarily unit: the projection is z.u / |u|). */
void ls_bank_mean(const struct ls_bank *b, double *mean);
double ls_bank_sigma(const struct ls_bank *b, const float *u);


#endif
