/*
 * factors.h: ground-truth factors of a bank: a float .npy of shape (N, k),
 * row i the true factor values of bank row i (a data generator's smile,
 * glasses, hair hue, ...), with the column names one per line in the
 * sibling text file (the .npy's name with .txt for .npy; "f0".."f{k-1}"
 * when there is none). Every value must be finite.
 */
#ifndef LINSCOPE_FACTORS_H
#define LINSCOPE_FACTORS_H

#include "linscope/status.h"

#define LS_FACTORS_MAX 256   /* columns */

struct ls_factors;

/* Opens path expecting nrows rows (nrows < 0: any). A wrong shape, a
 * non-finite value (naming its row and column) or a names file without
 * exactly k lines is LS_EFORMAT naming the file. Free with
 * ls_factors_free(). */
enum ls_status ls_factors_open(const char *path, long nrows, struct ls_factors **f,
			       char *err);
void ls_factors_free(struct ls_factors *f);
const char *ls_factors_path(const struct ls_factors *f);
long ls_factors_rows(const struct ls_factors *f);
int ls_factors_count(const struct ls_factors *f);
/* Name of column j (0..k-1). */
const char *ls_factors_name(const struct ls_factors *f, int j);
/* Column j (N values, double). */
const double *ls_factors_col(const struct ls_factors *f, int j);

#endif
