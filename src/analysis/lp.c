/*
 * lp.c: the one wrapper around GLPK's simplex used by the tropical form and
 * the whole-space regions. Dense, small problems; GLPK's terminal output
 * is switched off; a problem is built and freed per call.
 */
#include <glpk.h>
#include <math.h>
#include <stdlib.h>

#include "base/util.h"
#include "trop_priv.h"

/* GLPK bound type for [lo, hi] with infinities. */
static int
bnd_type(double lo, double hi)
{
	if (isinf(lo) && isinf(hi))
		return GLP_FR;
	if (isinf(hi))
		return GLP_LO;
	if (isinf(lo))
		return GLP_UP;
	return lo == hi ? GLP_FX : GLP_DB;
}

static void
set_bounds(glp_prob *P, int row, int i, double lo, double hi)
{
	int t = bnd_type(lo, hi);
	double l = isinf(lo) ? 0 : lo, h = isinf(hi) ? 0 : hi;

	if (row)
		glp_set_row_bnds(P, i, t, l, h);
	else
		glp_set_col_bnds(P, i, t, l, h);
}

/* Loads the nonzeros of A. */
static void
load_matrix(glp_prob *P, const struct lp *p)
{
	long nz = (long)p->m * p->n, k = 0;
	int *ia = xmalloc((size_t)(nz + 1) * sizeof *ia), *ja = xmalloc((size_t)(nz + 1) * sizeof *ja);
	double *ar = xmalloc((size_t)(nz + 1) * sizeof *ar);
	int i, j;

	for (i = 0; i < p->m; i++)
		for (j = 0; j < p->n; j++)
			if (p->A[(long)i * p->n + j] != 0) {
				k++;
				ia[k] = i + 1, ja[k] = j + 1, ar[k] = p->A[(long)i * p->n + j];
			}
	glp_load_matrix(P, (int)k, ia, ja, ar);
	free(ia), free(ja), free(ar);
}

int
lp_solve(const struct lp *p, double *x, double *obj)
{
	static int quiet;
	glp_prob *P;
	glp_smcp parm;
	int i, st, rc;

	if (!quiet)
		glp_term_out(GLP_OFF), quiet = 1;
	P = glp_create_prob();
	glp_set_obj_dir(P, GLP_MAX);
	if (p->m)
		glp_add_rows(P, p->m);
	glp_add_cols(P, p->n);
	for (i = 0; i < p->m; i++)
		set_bounds(P, 1, i + 1, p->lo[i], p->hi[i]);
	for (i = 0; i < p->n; i++) {
		set_bounds(P, 0, i + 1, p->xlo[i], p->xhi[i]);
		glp_set_obj_coef(P, i + 1, p->c[i]);
	}
	if (p->m)
		load_matrix(P, p);
	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	parm.presolve = GLP_OFF;
	rc = glp_simplex(P, &parm);
	st = glp_get_status(P);
	if (rc == 0 && st == GLP_OPT) {
		for (i = 0; x && i < p->n; i++)
			x[i] = glp_get_col_prim(P, i + 1);
		*obj = glp_get_obj_val(P);
		rc = 0;
	} else if (rc == 0 && (st == GLP_NOFEAS || st == GLP_INFEAS)) {
		rc = 1;
	} else if (rc == 0 && st == GLP_UNBND) {
		rc = 2;
	} else {
		rc = 3;
	}
	glp_delete_prob(P);
	return rc;
}
