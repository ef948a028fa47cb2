/*
 * blas.c: every OpenBLAS and LAPACKE call of linscope, and the one place
 * that sets OpenBLAS's thread count. Row-major throughout.
 */
#include <cblas.h>
#include <lapacke.h>

#include <stdlib.h>

#include "base/blas.h"
#include "base/util.h"

/* Sets the OpenBLAS thread count (0 keeps OpenBLAS's own choice). */
void
ls_blas_init(int threads)
{
	if (threads > 0)
		openblas_set_num_threads(threads);
}

void
ls_sgemm(int m, int n, int k, float alpha, const float *a, const float *b,
	 int bt, float beta, float *c)
{
	cblas_sgemm(CblasRowMajor, CblasNoTrans, bt ? CblasTrans : CblasNoTrans,
		    m, n, k, alpha, a, k, b, bt ? k : n, beta, c, n);
}

void
ls_sgemm_t(int m, int n, int k, float alpha, const float *a, int at, const float *b, int bt,
	   float beta, float *c)
{
	cblas_sgemm(CblasRowMajor, at ? CblasTrans : CblasNoTrans, bt ? CblasTrans : CblasNoTrans,
		    m, n, k, alpha, a, at ? m : k, b, bt ? k : n, beta, c, n);
}

void
ls_dgemm(int m, int n, int k, double alpha, const double *a, int at,
	 const double *b, int bt, double beta, double *c)
{
	cblas_dgemm(CblasRowMajor, at ? CblasTrans : CblasNoTrans,
		    bt ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, at ? m : k,
		    b, bt ? k : n, beta, c, n);
}

int
ls_dsyevd(int n, double *a, double *w)
{
	return LAPACKE_dsyevd(LAPACK_ROW_MAJOR, 'V', 'U', n, a, n, w);
}

int
ls_dgesdd(int m, int n, double *a, double *s, double *vt)
{
	int k = m < n ? m : n, r;
	double *u = xmalloc((size_t)m * (size_t)k * sizeof *u);

	r = LAPACKE_dgesdd(LAPACK_ROW_MAJOR, 'S', m, n, a, n, s, u, k, vt, n);
	free(u);
	return r;
}

int
ls_dposv(int n, int nrhs, double *a, double *b)
{
	return LAPACKE_dposv(LAPACK_ROW_MAJOR, 'U', n, nrhs, a, n, b, nrhs);
}

/* C (n, n) = alpha * A^T A + beta * C for A (k, n) row-major; only the upper
 * triangle of C (row-major) is referenced and updated. */
void
ls_dsyrk_t(int n, int k, double alpha, const double *a, double beta, double *c)
{
	cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, n, k, alpha, a, n, beta, c, n);
}

/* y (m or n) = alpha * op(A) x + beta * y for A (m, n) row-major; op(A) =
 * A^T when at (then x has m values and y n), else A. */
void
ls_dgemv(int at, int m, int n, double alpha, const double *a, const double *x, double beta,
	 double *y)
{
	cblas_dgemv(CblasRowMajor, at ? CblasTrans : CblasNoTrans, m, n, alpha, a, n, x, 1,
		    beta, y, 1);
}

/* Single-precision ls_dsyrk_t: C (n, n) = alpha A^T A + beta C for A (k, n)
 * row-major, upper triangle of C only. */
void
ls_ssyrk_t(int n, int k, float alpha, const float *a, float beta, float *c)
{
	cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, n, k, alpha, a, n, beta, c, n);
}

/* Single-precision ls_dgemv: y = alpha op(A) x + beta y, A (m, n) row-major. */
void
ls_sgemv(int at, int m, int n, float alpha, const float *a, const float *x, float beta,
	 float *y)
{
	cblas_sgemv(CblasRowMajor, at ? CblasTrans : CblasNoTrans, m, n, alpha, a, n, x, 1,
		    beta, y, 1);
}

float
ls_sdot(int n, const float *x, const float *y)
{
	return cblas_sdot(n, x, 1, y, 1);
}
