/*
 * session_erase.c: erasing a concept from the bank (LEACE for a linear
 * concept, ls_dirs_erase_whitened): with u the direction and C, mu the
 * bank's covariance and mean, every row becomes
 *     z - u (u^T C^-1 (z - mu)) / (u^T C^-1 u)
 * When u is the difference of two classes' means (meandiff), the classes'
 * means agree afterwards, so no linear probe does better than chance at
 * telling them apart (Belrose et al. 2023). The bank is replaced in
 * memory (labels, factors, marks and z0 stay: the same rows); every
 * sigma is recomputed. Not undone (as any change of bank).
 */
#include <stdlib.h>
#include <string.h>

#include "linscope/bank.h"
#include "linscope/dirs.h"
#include "base/util.h"
#include "session_impl.h"

/* Rows of b with u erased, whitened by b's covariance, into z (n, d). */
static enum ls_status
erase_rows(const struct ls_bank *b, const float *u, float *z, char *err)
{
	int d = ls_bank_dim(b), k;
	double *mean = xmalloc((size_t)d * sizeof *mean);
	double *cov = xreallocarray(NULL, (size_t)d * (size_t)d, sizeof *cov), tr = 0;
	struct ls_subspace sp = { u, 1, d, mean };
	enum ls_status st;

	memcpy(z, ls_bank_data(b), (size_t)ls_bank_rows(b) * (size_t)d * sizeof *z);
	if ((st = ls_dirs_cov(b, NULL, mean, cov, err)) == LS_OK) {
		for (k = 0; k < d; k++)
			tr += cov[(size_t)k * d + k];
		for (k = 0; k < d; k++)   /* a tiny ridge keeps C invertible */
			cov[(size_t)k * d + k] += 1e-9 * tr / d;
		st = ls_dirs_erase_whitened(z, ls_bank_rows(b), &sp, cov, err);
	}
	free(mean);
	free(cov);
	return st;
}

enum ls_status
ls_session_erase(struct ls_session *s, int i, char *err)
{
	long n;
	float *z;
	enum ls_status st;

	if (!s->bank)
		return ls_err(err, LS_EINVAL, "erase: needs a bank (bank FILE)");
	if (i < 0 || i >= s->ndirs)
		return ls_err(err, LS_EINVAL, "erase: no direction %d", i);
	n = ls_bank_rows(s->bank);
	z = xreallocarray(NULL, (size_t)n * (size_t)s->d, sizeof *z);
	if ((st = erase_rows(s->bank, s->dirs[i].u, z, err)) == LS_OK) {
		ls_bank_free(s->bank);
		s->bank = ls_bank_from_rows(z, n, s->d);
		s->erased++;
		session_bank_changed(s);
	}
	free(z);
	return st;
}

int
ls_session_erased(const struct ls_session *s)
{
	return s->erased;
}
