/*
 * dirs_combine.c: combining directions and moving latents: weighted sums,
 * Gram-Schmidt orthogonalisation, erasure of a subspace (orthogonal, and
 * whitened by the bank covariance as LEACE does), lerp and slerp.
 *
 * All arithmetic is in double; results are stored as float.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/blas.h"
#include "linscope/dirs.h"
#include "base/util.h"
#include "dirs_int.h"

/* Relative size below which a vector counts as inside a span. */
#define SPAN_EPS 1e-6

void
ls_dirs_combine(const float *dirs, const double *w, int m, int d, float *out)
{
	int i, k;

	for (k = 0; k < d; k++) {
		double s = 0;
		for (i = 0; i < m; i++)
			s += w[i] * dirs[(long)i * d + k];
		out[k] = (float)s;
	}
}

/* Removes from v (d) its components along the r orthonormal rows of q. */
static void
project_out(double *v, const double *q, int r, int d)
{
	int i, k, pass;

	for (pass = 0; pass < 2; pass++)   /* twice is enough (Kahan) */
		for (i = 0; i < r; i++) {
			double c = 0;
			for (k = 0; k < d; k++)
				c += v[k] * q[(long)i * d + k];
			for (k = 0; k < d; k++)
				v[k] -= c * q[(long)i * d + k];
		}
}

static double
norm_d(const double *v, int d)
{
	double s = 0;
	int k;

	for (k = 0; k < d; k++)
		s += v[k] * v[k];
	return sqrt(s);
}

/* Orthonormal basis (double) of dirs (m, d) into q; returns the rank. */
static int
basis(const float *dirs, int m, int d, double *q)
{
	double *v = xmalloc((size_t)d * sizeof *v);
	int i, k, r = 0;

	for (i = 0; i < m; i++) {
		double n0, n1;
		for (k = 0; k < d; k++)
			v[k] = dirs[(long)i * d + k];
		n0 = norm_d(v, d);
		project_out(v, q, r, d);
		n1 = norm_d(v, d);
		if (!(n0 > 0) || n1 <= SPAN_EPS * n0)
			continue;
		for (k = 0; k < d; k++)
			q[(long)r * d + k] = v[k] / n1;
		r++;
	}
	free(v);
	return r;
}

int
ls_dirs_orthonormal(const float *dirs, int m, int d, float *q)
{
	double *qd = xmalloc(((size_t)m * (size_t)d + 1) * sizeof *qd);
	int r = basis(dirs, m, d, qd), k;

	for (k = 0; k < r * d; k++)
		q[k] = (float)qd[k];
	free(qd);
	return r;
}

enum ls_status
ls_dirs_orthogonalize(float *u, const float *others, int m, int d, char *err)
{
	double *q = xmalloc(((size_t)m * (size_t)d + 1) * sizeof *q);
	double *v = xmalloc((size_t)d * sizeof *v), n0, n1;
	enum ls_status s = LS_OK;
	int r = basis(others, m, d, q), k;

	for (k = 0; k < d; k++)
		v[k] = u[k];
	n0 = norm_d(v, d);
	project_out(v, q, r, d);
	n1 = norm_d(v, d);
	if (!(n0 > 0) || n1 <= SPAN_EPS * n0)
		s = ls_err(err, LS_EINVAL,
			   "orthogonalize: the direction lies in the span of the others");
	else
		for (k = 0; k < d; k++)
			u[k] = (float)v[k];
	free(q);
	free(v);
	return s;
}

void
ls_dirs_erase(float *z, long n, const float *dirs, int m, int d, const double *mean)
{
	double *q = xmalloc(((size_t)m * (size_t)d + 1) * sizeof *q);
	double *v = xmalloc((size_t)d * sizeof *v);
	int r = basis(dirs, m, d, q), k;
	long i;

	for (i = 0; i < n; i++) {
		float *zi = z + i * d;
		for (k = 0; k < d; k++)
			v[k] = zi[k] - (mean ? mean[k] : 0.0);
		project_out(v, q, r, d);
		for (k = 0; k < d; k++)
			zi[k] = (float)(v[k] + (mean ? mean[k] : 0.0));
	}
	free(q);
	free(v);
}

/* ci (d, m) = C^-1 U for U = dirs^T, and g (m, m) = U^T C^-1 U. */
static enum ls_status
whiten_system(const float *dirs, int m, int d, const double *cov, double *ci, double *g,
	      char *err)
{
	double *a = xmalloc((size_t)d * (size_t)d * sizeof *a);
	int i, j, k;

	memcpy(a, cov, (size_t)d * (size_t)d * sizeof *a);
	for (k = 0; k < d; k++)
		for (i = 0; i < m; i++)
			ci[(long)k * m + i] = dirs[(long)i * d + k];
	if (ls_dposv(d, m, a, ci) != 0) {
		free(a);
		return ls_err(err, LS_EINVAL, "erase: the covariance is not positive definite");
	}
	for (i = 0; i < m; i++)
		for (j = 0; j < m; j++) {
			double s = 0;
			for (k = 0; k < d; k++)
				s += dirs[(long)i * d + k] * ci[(long)k * m + j];
			g[(long)i * m + j] = s;
		}
	free(a);
	return LS_OK;
}

/* The whitened erasure of one subspace: C^-1 U (d, m), G = U^T C^-1 U
 * (m, m), and scratch t (m), gs (m, m). */
struct whiten {
	const struct ls_subspace *sp;
	double *ci, *g, *t, *gs;
};

/* z <- z - U G^-1 (C^-1 U)^T (z - mean) for one latent. */
static enum ls_status
whiten_one(float *z, const struct whiten *w)
{
	const float *dirs = w->sp->dirs;
	const double *ci = w->ci, *mean = w->sp->mean;
	double *t = w->t, *gs = w->gs;
	int i, k, m = w->sp->m, d = w->sp->d;

	for (i = 0; i < m; i++) {
		double s = 0;
		for (k = 0; k < d; k++)
			s += ci[(long)k * m + i] * (z[k] - (mean ? mean[k] : 0.0));
		t[i] = s;
	}
	memcpy(gs, w->g, (size_t)m * (size_t)m * sizeof *gs);
	if (ls_dposv(m, 1, gs, t) != 0)
		return LS_EINVAL;
	for (k = 0; k < d; k++) {
		double s = 0;
		for (i = 0; i < m; i++)
			s += dirs[(long)i * d + k] * t[i];
		z[k] = (float)(z[k] - s);
	}
	return LS_OK;
}

enum ls_status
ls_dirs_erase_whitened(float *z, long n, const struct ls_subspace *sp, const double *cov,
		       char *err)
{
	size_t m = (size_t)sp->m, d = (size_t)sp->d;
	struct whiten w = { sp, xmalloc(d * m * sizeof(double)), xmalloc(m * m * sizeof(double)),
			    xmalloc(m * sizeof(double)), xmalloc(m * m * sizeof(double)) };
	enum ls_status s;
	long i;

	if ((s = whiten_system(sp->dirs, sp->m, sp->d, cov, w.ci, w.g, err)) != LS_OK)
		goto out;
	for (i = 0; i < n; i++)
		if (whiten_one(z + i * sp->d, &w) != LS_OK) {
			s = ls_err(err, LS_EINVAL, "erase: the directions are linearly dependent");
			goto out;
		}
out:
	free(w.ci);
	free(w.g);
	free(w.gs);
	free(w.t);
	return s;
}

void
ls_dirs_lerp(const float *a, const float *b, double t, int d, float *out)
{
	int k;

	for (k = 0; k < d; k++)
		out[k] = (float)((1 - t) * a[k] + t * (double)b[k]);
}

enum ls_status
ls_dirs_slerp(const float *a, const float *b, double t, int d, float *out, char *err)
{
	double na = sqrt(dirs_dot(a, a, d)), nb = sqrt(dirs_dot(b, b, d)), c, om, sa, sb, nt;
	int k;

	if (!(na > 0) || !(nb > 0) || (c = dirs_dot(a, b, d) / (na * nb)) > 1 - 1e-12) {
		ls_dirs_lerp(a, b, t, d, out);
		return LS_OK;
	}
	if (c < -1 + 1e-12)
		return ls_err(err, LS_EINVAL, "slerp: the two latents point in opposite directions");
	om = acos(c);
	sa = sin((1 - t) * om) / sin(om);
	sb = sin(t * om) / sin(om);
	nt = (1 - t) * na + t * nb;
	for (k = 0; k < d; k++)
		out[k] = (float)(nt * (sa * a[k] / na + sb * b[k] / nb));
	return LS_OK;
}
