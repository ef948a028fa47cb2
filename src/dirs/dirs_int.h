/*
 * dirs_int.h: helpers shared by the dirs_*.c files (not public).
 */
#ifndef LINSCOPE_DIRS_INT_H
#define LINSCOPE_DIRS_INT_H

#include <stdint.h>

struct ls_bank;

/* Rows per block of the blocked float32 BLAS passes over a bank. */
#define DIRS_BLOCK 2048

/* xoshiro256** seeded through splitmix64: reproducible everywhere. */
struct dirs_rng {
	uint64_t s[4];
};
void dirs_rng_seed(struct dirs_rng *r, uint64_t seed);
uint64_t dirs_rng_next(struct dirs_rng *r);
double dirs_rng_uniform(struct dirs_rng *r);   /* [0, 1) */
double dirs_rng_normal(struct dirs_rng *r);    /* N(0, 1) */

/* Adds alpha * sum over masked rows of (z - mean)(z - mean)^T into the
 * full symmetric cov (d, d) (mean may be NULL: about the origin). */
void dirs_scatter_add(const struct ls_bank *b, const unsigned char *mask,
		      const double *mean, double alpha, double *cov);
/* The same reporting rows done of the bank's (p may be NULL); returns
 * nonzero, cov incomplete, when p asked to stop. */
struct ls_progress;
int dirs_scatter_add_p(const struct ls_bank *b, const unsigned char *mask, const double *mean,
		       double alpha, double *cov, const struct ls_progress *p);
/* Copies the upper triangle of a (n, n) into the lower one. */
void dirs_symmetrize(double *a, int n);
/* The top k eigenvectors of the symmetric a (n, n) (destroyed): u (k, n)
 * rows in decreasing eigenvalue order, signed by ls_dirs_fix_sign, ev (k)
 * (may be NULL). Returns 0 on success. */
int dirs_top_eig(double *a, int n, int k, float *u, double *ev);
/* Dot product in double. */
double dirs_dot(const float *a, const float *b, int d);

#endif
