/*
 * trop_priv.h: internals shared by the tropical form and the whole-space
 * region traversal (mlp.c, lp.c, tropical.c, tpoly.c, regions_all.c): the
 * small-LP wrapper around GLPK and the affine forms of a pattern.
 */
#ifndef LINSCOPE_TROP_PRIV_H
#define LINSCOPE_TROP_PRIV_H

#include <stdint.h>

#include "linscope/tropical.h"

/* One LP: maximise c.x subject to lo[i] <= A[i].x <= hi[i] (m rows; pass
 * -HUGE_VAL / HUGE_VAL for a free side) and xlo <= x <= xhi (n columns,
 * same convention). Returns 0 and x, *obj at the optimum; 1 infeasible,
 * 2 unbounded, 3 solver failure. */
struct lp {
	int n, m;
	const double *A;     /* (m, n) */
	const double *lo, *hi;
	const double *c, *xlo, *xhi;
};
int lp_solve(const struct lp *p, double *x, double *obj);

static inline int
bit_get(const uint8_t *b, int k)
{
	return b[k >> 3] >> (k & 7) & 1;
}

static inline void
bit_set(uint8_t *b, int k, int v)
{
	if (v)
		b[k >> 3] |= (uint8_t)(1u << (k & 7));
	else
		b[k >> 3] &= (uint8_t)~(1u << (k & 7));
}

/* Affine forms of every unit's pre-activation under pattern bits: rows
 * (units, d + 1), each a (d) then c: pre = a.z + c. out (d + 1, out) may be
 * NULL: the output's form, row 0 the constant, rows 1..d the gradient. */
void mlp_forms(const struct ls_mlp *m, const uint8_t *bits, double *rows, double *out);
/* The affine forms (d + 1) of F and G of output k under pattern bits, by
 * the same routing as the tropical form. */
void mlp_fg_forms(const struct ls_mlp *m, const uint8_t *bits, int k, double *f, double *g);

#endif
