/*
 * tpoly_impl.h: operations on tropical polynomials used by the tropical
 * form (tpoly.c): building, products (Minkowski sums), maxima (unions),
 * scaling by a non-negative number. Results are not pruned.
 */
#ifndef LINSCOPE_TPOLY_IMPL_H
#define LINSCOPE_TPOLY_IMPL_H

#include "linscope/tropical.h"

void tp_init(struct ls_tpoly *p, int d);
/* Appends one monomial (d + 1 values). */
void tp_push(struct ls_tpoly *p, const double *row);
void tp_scale(struct ls_tpoly *p, double s);
/* o = p (x) q: every a_i + a_j, b_i + b_j. */
void tp_mul(struct ls_tpoly *o, const struct ls_tpoly *p, const struct ls_tpoly *q);
/* o = max(p, q): both lists. */
void tp_union(struct ls_tpoly *o, const struct ls_tpoly *p, const struct ls_tpoly *q);
void tp_copy(struct ls_tpoly *o, const struct ls_tpoly *p);

#endif
