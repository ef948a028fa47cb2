/*
 * dirs_score.c: a direction against ground-truth factors. The score of
 * u is the Pearson correlation, over the bank's rows, of the projection
 * z . u / |u| with each factor column: the factor it moves (largest |r|)
 * and how much it leaks into the others. Sums in double, two passes
 * (means first), as numpy.corrcoef computes it.
 */
#include <math.h>
#include <stdlib.h>

#include "linscope/bank.h"
#include "linscope/dirs.h"
#include "linscope/factors.h"
#include "base/util.h"

#if LS_SCORE_MAX < LS_FACTORS_MAX
#error "a score must hold every factor column"
#endif

double
ls_dirs_pearson(const double *x, const double *y, long n)
{
	double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
	long i;

	for (i = 0; i < n; i++)
		mx += x[i], my += y[i];
	mx /= n > 0 ? n : 1;
	my /= n > 0 ? n : 1;
	for (i = 0; i < n; i++) {
		double a = x[i] - mx, b = y[i] - my;
		sxy += a * b, sxx += a * a, syy += b * b;
	}
	return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : NAN;
}

/* |r| as a sort key: NAN below every number. */
static double
key(double r)
{
	return isnan(r) ? -1 : fabs(r);
}

/* The columns in order of decreasing |r|, ties by column (insertion
 * sort: k is small). */
static void
order_by_abs(const double *r, int k, int *order)
{
	int i, j, t;

	for (i = 0; i < k; i++) {
		for (j = i, t = i; j > 0 && key(r[order[j - 1]]) < key(r[t]); j--)
			order[j] = order[j - 1];
		order[j] = t;
	}
}

enum ls_status
ls_dirs_score(const struct ls_bank *b, const float *u, const struct ls_factors *f,
	      struct ls_score *sc, char *err)
{
	long n = ls_bank_rows(b);
	int j, k;
	double *p;

	if (ls_factors_rows(f) != n)
		return ls_err(err, LS_EINVAL, "%s: has %ld rows but the bank has %ld",
			      ls_factors_path(f), ls_factors_rows(f), n);
	k = ls_factors_count(f);
	p = xmalloc((size_t)n * sizeof *p);
	ls_dirs_project(b, u, p);
	sc->k = k;
	for (j = 0; j < k; j++)
		sc->r[j] = ls_dirs_pearson(p, ls_factors_col(f, j), n);
	order_by_abs(sc->r, k, sc->order);
	sc->leak = 0;
	for (j = 1; j < k; j++)
		if (!isnan(sc->r[sc->order[j]]))
			sc->leak += sc->r[sc->order[j]] * sc->r[sc->order[j]];
	sc->leak = sqrt(sc->leak);
	free(p);
	return LS_OK;
}
