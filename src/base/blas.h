/*
 * blas.h: the only door to OpenBLAS and LAPACKE. Every cblas_* and LAPACKE_*
 * call in linscope goes through these functions (src/blas.c), and the thread
 * count is set in one place.
 */
#ifndef LINSCOPE_BLAS_H
#define LINSCOPE_BLAS_H

/* Sets OpenBLAS threads once (0: leave OpenBLAS's default / env). */
void ls_blas_init(int threads);
/* C (m, n) = alpha * A (m, k) * op(B) + beta * C, row-major. If bt, B is
 * (n, k) and used transposed (the nn.Linear layout); else B is (k, n). */
void ls_sgemm(int m, int n, int k, float alpha, const float *a, const float *b,
	      int bt, float beta, float *c);
/* Single precision with both transposes, the ls_dgemm convention: A is
 * (m, k) or, when at, (k, m) stored; B (k, n) or, when bt, (n, k). */
void ls_sgemm_t(int m, int n, int k, float alpha, const float *a, int at, const float *b,
		int bt, float beta, float *c);
/* Double precision, same convention. at transposes A ((k, m) stored). */
void ls_dgemm(int m, int n, int k, double alpha, const double *a, int at,
	      const double *b, int bt, double beta, double *c);
/* Eigen-decomposition of a symmetric (n, n) matrix a, row-major, in place:
 * eigenvalues ascending in w, eigenvectors in the columns of a. 0 on success. */
int ls_dsyevd(int n, double *a, double *w);
/* Thin SVD of a (m, n) row-major: s (min), vt (min, n). 0 on success. */
int ls_dgesdd(int m, int n, double *a, double *s, double *vt);
/* Solves a x = b for symmetric positive definite a (n, n), b (n, nrhs). */
int ls_dposv(int n, int nrhs, double *a, double *b);
/* C (n, n) = alpha * A^T A + beta * C for A (k, n) row-major; updates the
 * upper triangle of C only (row-major: c[i*n+j], j >= i). */
void ls_dsyrk_t(int n, int k, double alpha, const double *a, double beta, double *c);
/* y = alpha * op(A) x + beta * y for A (m, n) row-major; op(A) = A^T when
 * at (x has m values, y n), else A (x has n values, y m). */
void ls_dgemv(int at, int m, int n, double alpha, const double *a, const double *x,
	      double beta, double *y);

/* Single precision ls_dsyrk_t (float32 A and C; upper triangle of C). */
void ls_ssyrk_t(int n, int k, float alpha, const float *a, float beta, float *c);

/* Single precision ls_dgemv (same convention). */
void ls_sgemv(int at, int m, int n, float alpha, const float *a, const float *x, float beta,
	      float *y);

/* x . y over n floats (the benchmarks' read-bandwidth probe: x . x reads x once). */
float ls_sdot(int n, const float *x, const float *y);

#endif
