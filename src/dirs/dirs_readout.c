/*
 * dirs_readout.c: what a direction says about the bank: projections,
 * per-label histograms, ROC AUC, cosine matrix, share of variance, and
 * the slider units (sigma, raw distance, bank percentiles).
 *
 * Projections are z . u / |u| in double. The AUC is the Mann-Whitney
 * statistic with mid-ranks, so tied scores count one half.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/bank.h"
#include "linscope/dirs.h"
#include "base/util.h"
#include "dirs_int.h"

void
ls_dirs_project(const struct ls_bank *b, const float *u, double *p)
{
	int d = ls_bank_dim(b);
	double n = sqrt(dirs_dot(u, u, d));
	long i, rows = ls_bank_rows(b);

	for (i = 0; i < rows; i++)
		p[i] = n > 0 ? dirs_dot(ls_bank_row(b, i), u, d) / n : 0;
}

int
ls_hist_bin(const struct ls_hist *h, double v)
{
	double w = (h->hi - h->lo) / h->nbins;
	int k = w > 0 ? (int)floor((v - h->lo) / w) : 0;

	return k < 0 ? 0 : k >= h->nbins ? h->nbins - 1 : k;
}

/* Class index of each label value, by search over the classes. */
static int
class_of(const struct ls_labels *l, const char *v)
{
	int k;

	for (k = 0; k < ls_labels_nclasses(l); k++)
		if (strcmp(ls_labels_class(l, k), v) == 0)
			return k;
	return 0;
}

struct ls_hist *
ls_dirs_hist(const double *p, long n, const struct ls_labels *l, int nbins)
{
	struct ls_hist *h = xcalloc(1, sizeof *h);
	long i;
	int k;

	h->nbins = nbins < 1 ? 1 : nbins;
	h->nclasses = l && ls_labels_nclasses(l) > 0 ? ls_labels_nclasses(l) : 1;
	h->lo = n ? p[0] : 0;
	h->hi = n ? p[0] : 1;
	for (i = 1; i < n; i++) {
		h->lo = p[i] < h->lo ? p[i] : h->lo;
		h->hi = p[i] > h->hi ? p[i] : h->hi;
	}
	if (h->hi <= h->lo)
		h->hi = h->lo + 1;
	h->count = xcalloc((size_t)h->nclasses * (size_t)h->nbins, sizeof *h->count);
	h->total = xcalloc((size_t)h->nclasses, sizeof *h->total);
	if (l && h->nclasses > 0 && ls_labels_nclasses(l) > 0) {
		h->names = xcalloc((size_t)h->nclasses, sizeof *h->names);
		for (k = 0; k < h->nclasses; k++)
			h->names[k] = ls_labels_class(l, k);
	}
	for (i = 0; i < n; i++) {
		int c = h->names ? class_of(l, ls_labels_get(l, i)) : 0;
		h->count[(long)c * h->nbins + ls_hist_bin(h, p[i])]++;
		h->total[c]++;
	}
	return h;
}

void
ls_hist_free(struct ls_hist *h)
{
	if (!h)
		return;
	free(h->count);
	free(h->total);
	free(h->names);
	free(h);
}

/* A score and whether it is positive, for ranking. */
struct scored {
	double v;
	int pos;
};

static int
cmp_scored(const void *a, const void *b)
{
	double x = ((const struct scored *)a)->v, y = ((const struct scored *)b)->v;

	return x < y ? -1 : x > y;
}

enum ls_status
ls_dirs_auc(const double *p, const unsigned char *pos, const unsigned char *neg, long n,
	    double *auc, char *err)
{
	struct scored *s = xreallocarray(NULL, (size_t)n + 1, sizeof *s);
	long i, j, m = 0, np = 0, nn;
	double rsum = 0;

	for (i = 0; i < n; i++)
		if (pos[i] || neg[i]) {
			s[m].v = p[i];
			s[m++].pos = pos[i] != 0;
			np += pos[i] != 0;
		}
	nn = m - np;
	if (!np || !nn) {
		free(s);
		return ls_err(err, LS_EINVAL, "auc: the %s class is empty", np ? "negative" : "positive");
	}
	qsort(s, (size_t)m, sizeof *s, cmp_scored);
	for (i = 0; i < m; i = j) {   /* a run of ties gets the mid-rank */
		long c = 0;
		for (j = i; j < m && s[j].v == s[i].v; j++)
			c += s[j].pos;
		rsum += c * ((double)(i + 1 + j) / 2.0);
	}
	*auc = (rsum - (double)np * (np + 1) / 2.0) / ((double)np * (double)nn);
	free(s);
	return LS_OK;
}

int
ls_dirs_cosines(const float *dirs, int m, int d, double *cos, double thresh, int *wi, int *wj)
{
	int i, j, count = 0;
	double best = -1;

	for (i = 0; i < m; i++)
		for (j = i; j < m; j++) {
			const float *a = dirs + (long)i * d, *b = dirs + (long)j * d;
			double na = dirs_dot(a, a, d), nb = dirs_dot(b, b, d);
			double c = na > 0 && nb > 0 ? dirs_dot(a, b, d) / sqrt(na * nb) : 0;
			cos[(long)i * m + j] = cos[(long)j * m + i] = c;
			if (i == j || fabs(c) < thresh)
				continue;
			count++;
			if (fabs(c) > best) {
				best = fabs(c);
				if (wi)
					*wi = i;
				if (wj)
					*wj = j;
			}
		}
	return count;
}

double
ls_dirs_var_share(const struct ls_bank *b, const float *u)
{
	int d = ls_bank_dim(b), k;
	double *mean = xmalloc((size_t)d * sizeof *mean), tr = 0, s;
	long i, n = ls_bank_rows(b);

	ls_bank_mean(b, mean);
	for (i = 0; i < n; i++) {
		const float *z = ls_bank_row(b, i);
		for (k = 0; k < d; k++)
			tr += (z[k] - mean[k]) * (z[k] - mean[k]);
	}
	tr /= (double)n;
	free(mean);
	s = ls_bank_sigma(b, u);
	return tr > 0 ? s * s / tr : 0;
}

const char *
ls_units_name(enum ls_units u)
{
	return u == LS_UNITS_RAW ? "raw" : u == LS_UNITS_PERCENTILE ? "percentile" : "sigma";
}

int
ls_units_parse(const char *s)
{
	if (!strcmp(s, "sigma"))
		return LS_UNITS_SIGMA;
	if (!strcmp(s, "raw"))
		return LS_UNITS_RAW;
	if (!strcmp(s, "percentile") || !strcmp(s, "pct"))
		return LS_UNITS_PERCENTILE;
	return -1;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

void
ls_dirscale_init(struct ls_dirscale *s, const struct ls_bank *b, const float *u)
{
	double sum = 0, ss = 0;
	long i;

	s->n = ls_bank_rows(b);
	s->sorted = xreallocarray(NULL, (size_t)s->n + 1, sizeof *s->sorted);
	ls_dirs_project(b, u, s->sorted);
	for (i = 0; i < s->n; i++)
		sum += s->sorted[i];
	s->mean = s->n ? sum / (double)s->n : 0;
	for (i = 0; i < s->n; i++)
		ss += (s->sorted[i] - s->mean) * (s->sorted[i] - s->mean);
	s->sigma = s->n ? sqrt(ss / (double)s->n) : 0;
	qsort(s->sorted, (size_t)s->n, sizeof *s->sorted, cmp_double);
}

void
ls_dirscale_free(struct ls_dirscale *s)
{
	free(s->sorted);
	s->sorted = NULL;
	s->n = 0;
}

double
ls_dirscale_percentile(const struct ls_dirscale *s, double q)
{
	double pos, f;
	long i;

	if (s->n < 1)
		return 0;
	q = q < 0 ? 0 : q > 100 ? 100 : q;
	pos = q / 100.0 * (double)(s->n - 1);
	i = (long)floor(pos);
	f = pos - (double)i;
	return i + 1 < s->n ? s->sorted[i] + f * (s->sorted[i + 1] - s->sorted[i]) : s->sorted[i];
}

double
ls_dirscale_rank(const struct ls_dirscale *s, double v)
{
	long lo = 0, hi = s->n;
	double f;

	if (s->n < 2)
		return 50;
	if (v <= s->sorted[0])
		return 0;
	if (v >= s->sorted[s->n - 1])
		return 100;
	while (hi - lo > 1) {   /* sorted[lo] <= v < sorted[hi] */
		long mid = (lo + hi) / 2;
		if (s->sorted[mid] <= v)
			lo = mid;
		else
			hi = mid;
	}
	f = s->sorted[hi] > s->sorted[lo] ? (v - s->sorted[lo]) / (s->sorted[hi] - s->sorted[lo]) : 0;
	return 100.0 * ((double)lo + f) / (double)(s->n - 1);
}

double
ls_dirscale_to_raw(const struct ls_dirscale *s, enum ls_units u, double value, double cur)
{
	if (u == LS_UNITS_RAW)
		return value;
	if (u == LS_UNITS_PERCENTILE)
		return ls_dirscale_percentile(s, value) - cur;
	return value * s->sigma;
}

double
ls_dirscale_from_raw(const struct ls_dirscale *s, enum ls_units u, double t, double cur)
{
	if (u == LS_UNITS_RAW)
		return t;
	if (u == LS_UNITS_PERCENTILE)
		return ls_dirscale_rank(s, cur + t);
	return s->sigma > 0 ? t / s->sigma : 0;
}
