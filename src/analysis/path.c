/*
 * path.c: the exact path of a slider (path.h): the breakpoints of the
 * segment's pieces, the pre-tail output at each of them, and frames by
 * interpolation between two cached rows followed by the net's tail.
 *
 * Invariants: t (n) is strictly increasing, t[0] = a, t[n-1] = b; y (n,
 * hn) holds the pre-tail value (graph value head) at each t, computed in
 * float64 and rounded once to float32. Between t[k] and t[k+1] no unit of
 * the analysed part changes state, so the pre-tail value is affine there
 * and the interpolation is exact (up to that one rounding).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "linscope/model.h"
#include "linscope/path.h"
#include "linscope/regions.h"
#include "model/graph.h"
#include "regions_priv.h"

#define PATH_CHUNK_VALUES (16L << 20)   /* doubles of forward scratch per chunk */

struct ls_path {
	const struct ls_graph *g;
	int head;          /* graph value before the smooth tail (or the output) */
	long hn;           /* its numel */
	long n;            /* points */
	int nlinear;       /* linear pieces (regions.h) */
	double *t;         /* (n) */
	float *y;          /* (n, hn) */
	double t_pieces, t_forward;
	const atomic_int *cancel;   /* during the build only */
};

void
ls_path_free(struct ls_path *p)
{
	if (!p)
		return;
	free(p->t);
	free(p->y);
	free(p);
}

/* The points a, breakpoints, b of the exact pieces (regions.h). */
static enum ls_status
path_points(struct ls_net *net, const float *z0, const float *u, double a, double b,
	    struct ls_path *p, char *err)
{
	struct ls_pieces pc;
	enum ls_status s;
	long k;

	regions_cancel = p->cancel;
	s = ls_regions_1d(net, z0, u, a, b, &pc, err);
	regions_cancel = NULL;
	if (s != LS_OK)
		return s;
	p->n = pc.npieces + 1;
	p->nlinear = pc.nlinear;
	p->t = xreallocarray(NULL, (size_t)p->n, sizeof *p->t);
	p->t[0] = a;
	for (k = 0; k + 1 < pc.npieces; k++)
		p->t[k + 1] = pc.bp[k];
	p->t[p->n - 1] = b;
	ls_pieces_free(&pc);
	return LS_OK;
}

/* The pre-tail rows at every point, in chunks of one batched float64
 * forward of the graph prefix; 0, or -1 when cancelled. */
static int
path_forward(struct ls_path *p, const float *z0, const float *u, int d)
{
	long per = graph_fwd_need(p->g, 1), chunk = PATH_CHUNK_VALUES / (per > 0 ? per : 1), r, i;
	double *x, *y, *scr;

	chunk = chunk < 1 ? 1 : chunk > p->n ? p->n : chunk;
	x = xreallocarray(NULL, (size_t)(chunk * d), sizeof *x);
	y = xreallocarray(NULL, (size_t)(chunk * p->hn), sizeof *y);
	scr = xreallocarray(NULL, (size_t)graph_fwd_need(p->g, chunk) + 1, sizeof *scr);
	for (r = 0; r < p->n && !(p->cancel && atomic_load(p->cancel)); r += chunk) {
		long m = p->n - r < chunk ? p->n - r : chunk, k;
		for (k = 0; k < m; k++)
			for (i = 0; i < d; i++)
				x[k * d + i] = (double)z0[i] + p->t[r + k] * (double)u[i];
		graph_forward64_to(p->g, x, m, p->head, y, scr);
		for (i = 0; i < m * p->hn; i++)
			p->y[r * p->hn + i] = (float)y[i];
	}
	free(x), free(y), free(scr);
	return r < p->n ? -1 : 0;
}

enum ls_status
ls_path_create(struct ls_net *net, const float *z0, const float *u, double a, double b,
	       long long budget, struct ls_path **out, char *err)
{
	return ls_path_create_cancel(net, z0, u, a, b, budget, NULL, out, err);
}

enum ls_status
ls_path_create_cancel(struct ls_net *net, const float *z0, const float *u, double a, double b,
		      long long budget, const atomic_int *cancel, struct ls_path **out, char *err)
{
	struct ls_path *p;
	enum ls_status s;
	long long need;
	double t0 = ls_now();
	int act;

	*out = NULL;
	if (budget <= 0)
		budget = LS_PATH_BUDGET;
	if (ls_net_pl_kind(net, NULL) == LS_PL_NO ||
	    graph_pl_head(ls_net_graph(net), NULL, &act) == GPL_SMOOTH)
		return ls_err(err, LS_EINVAL, "%s", LS_NOT_PL_TEXT);
	p = xcalloc(1, sizeof *p);
	p->g = ls_net_graph(net);
	p->head = graph_tail(p->g, &act);
	p->hn = graph_vnumel(p->g, p->head);
	p->cancel = cancel;
	if ((s = path_points(net, z0, u, a, b, p, err)) != LS_OK)
		goto fail;
	p->t_pieces = ls_now() - t0;
	need = (long long)p->n * p->hn * (long long)sizeof(float);
	if (need > budget) {
		s = ls_err(err, LS_ENOMEM, "the exact path needs %.1f MB for %ld points (budget %.1f MB)",
			   need / 1048576.0, p->n, budget / 1048576.0);
		goto fail;
	}
	p->y = xreallocarray(NULL, (size_t)(p->n * p->hn), sizeof *p->y);
	if (path_forward(p, z0, u, net->in) != 0) {
		s = ls_err(err, LS_EINVAL, "cancelled");
		goto fail;
	}
	p->t_forward = ls_now() - t0 - p->t_pieces;
	p->cancel = NULL;
	*out = p;
	return LS_OK;
fail:
	ls_path_free(p);
	return s;
}

/* The k with t[k] <= t <= t[k+1] (0 <= k < n - 1; n >= 2). */
static long
path_find(const struct ls_path *p, double t)
{
	long lo = 0, hi = p->n - 1;

	while (hi - lo > 1) {
		long mid = lo + (hi - lo) / 2;
		if (p->t[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

int
ls_path_frame(const struct ls_path *p, double t, float *out)
{
	const float *ya, *yb;
	float lam;
	long k, i;

	if (!(t >= p->t[0] && t <= p->t[p->n - 1]))
		return -1;
	k = path_find(p, t);
	ya = p->y + k * p->hn;
	yb = ya + p->hn;
	lam = (float)((t - p->t[k]) / (p->t[k + 1] - p->t[k]));
	if (lam == 0)
		memcpy(out, ya, (size_t)p->hn * sizeof *out);
	else if (lam == 1)
		memcpy(out, yb, (size_t)p->hn * sizeof *out);
	else
		for (i = 0; i < p->hn; i++)
			out[i] = ya[i] + lam * (yb[i] - ya[i]);
	graph_tail_apply(p->g, p->head, out, 1, out);
	return 0;
}

long ls_path_npoints(const struct ls_path *p) { return p->n; }
int ls_path_nlinear(const struct ls_path *p) { return p->nlinear; }
const double *ls_path_points(const struct ls_path *p) { return p->t; }

long long
ls_path_bytes(const struct ls_path *p)
{
	return (long long)p->n * (long long)(p->hn * (long)sizeof(float) + (long)sizeof(double)) +
	       (long long)sizeof *p;
}

void
ls_path_times(const struct ls_path *p, double *pieces_s, double *forward_s)
{
	if (pieces_s)
		*pieces_s = p->t_pieces;
	if (forward_s)
		*forward_s = p->t_forward;
}
