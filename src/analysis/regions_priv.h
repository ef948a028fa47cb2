/*
 * regions_priv.h: shared internals of the region code (regions1d.c,
 * regions2d.c): a double-precision view of the analysed layers of a net.
 *
 * Invariants: layers [0, nl) are affine, relu, leaky_relu or identity;
 * uoff[i] is the index of the first unit of activation layer i (-1 for other
 * layers); units are numbered in layer order; nl_act <= nl is the number of
 * layers up to and including the last relu / leaky_relu.
 */
#ifndef LINSCOPE_REGIONS_PRIV_H
#define LINSCOPE_REGIONS_PRIV_H

#include <stdatomic.h>
#include <stdint.h>

#include "linscope/model.h"
#include "linscope/regions.h"

#define RM_K 8        /* random projections of the output compared for linear maps */

struct pl_net {
	struct ls_net *net;
	enum ls_pl_kind kind;
	int nl, nl_act;
	int units, nbytes;
	int *uoff;        /* (nl) */
	double **w, **b;  /* (nl): (out, in) and (out) of affine layers, else NULL */
	int out;          /* width after layer nl - 1 */
	int maxw;
};

/* Copies the analysed layers to double. LS_EINVAL for LS_PL_NO nets. */
enum ls_status pl_net_init(struct pl_net *p, struct ls_net *net, char *err);
void pl_net_free(struct pl_net *p);
/* Y (g*r, out) = X (g*r, in) W^T of affine layer i, plus the bias on every
 * row whose index is a multiple of r (the point rows; the others are
 * directions). */
void pl_affine(const struct pl_net *p, int i, const double *x, long g, int r, double *y);
/* Sets the bits of activation layer i's units from values v (width). */
void pl_signs(const struct pl_net *p, int i, const double *v, uint8_t *bits);
/* Applies activation layer i with the states in bits to r rows x (r, width). */
void pl_mask(const struct pl_net *p, int i, double *x, int r, const uint8_t *bits);
/* Propagates g groups of r rows (point row then r-1 direction rows) from
 * the input through layers [0, nl): the state of each unit is taken from
 * the group's point row; bits (g, nbytes) may be NULL. Returns a malloc'd
 * (g*r, p->out) block. */
double *pl_forward_groups(const struct pl_net *p, const double *x, long g, int r, int nl,
			  uint8_t *bits);
/* Random projection (w, RM_K) of the analysed output to compare affine maps
 * cheaply: rows after layer *nstop - 1 times it (plus *pb on point rows)
 * give RM_K fixed random combinations of the output. Free both. */
double *pl_projection(const struct pl_net *pl, int *nstop, double **pb);
/* Number of differing bits. */
int pl_bits_diff(const uint8_t *a, const uint8_t *b, int nbytes);
/* FNV-1a 64 of n bytes. */
uint64_t pl_hash(const uint8_t *bits, int nbytes);

/* The calling thread's cancel flag (path.c sets it around a build; NULL:
 * never cancelled): the 1-D methods poll it between layers / pieces and
 * stop with LS_EINVAL "cancelled" once it is non-zero. */
extern _Thread_local const atomic_int *regions_cancel;
static inline int
regions_cancelled(void)
{
	return regions_cancel && atomic_load(regions_cancel);
}
/* Exact 1-D pieces of any graph through the node table (regions_graph.c);
 * the same contract as ls_regions_1d_opts() (o may be NULL). */
enum ls_status regions_graph_1d(struct ls_net *net, const float *z0, const float *u, double a,
				double b, const struct ls_regions_opts *o, struct ls_pieces *p,
				char *err);
/* The piece budget of o: o->max_pieces, or max when o sets none. */
long regions_max_pieces(const struct ls_regions_opts *o, long max);

/* ---- 2D (regions2d.c, regionmap.c) ---- */

#define RM_MAP_TOL 1e-9 /* relative: projected maps this close are equal */

struct poly {
	int nv;
	double *v;    /* (nv, 2), followed in the same block by lab */
	int *lab;     /* (nv): unit whose zero line carries edge i -> i+1, -1: box */
};

/* A batch of polygons with pattern bits and coefficient rows. */
struct pset {
	long n, cap;
	int w, nb;       /* w: rows' width; nb: pattern bytes (for the budget) */
	struct poly *p;
	uint8_t *bits;   /* (n, nbytes) */
	double *c;       /* (n, 3, w) */
};

struct ls_regionmap {
	double box[4];
	int nbytes, d;
	struct pset r;       /* the regions; c holds (3, RM_K) projections */
	double *area;
	long nlinear, *lin;
	long npairs, *pairs;
	int *color;
	float *z0, *u, *v;
	int geo;             /* adjacency found geometrically (graph maps: a
				cut can change several pattern bits) */
};

/* Is (s, t) inside or on convex polygon q (counterclockwise)? */
static inline int
rm_poly_contains(const struct poly *q, double s, double t)
{
	int i;

	for (i = 0; i < q->nv; i++) {
		const double *a = q->v + 2 * i, *b = q->v + 2 * ((i + 1) % q->nv);
		if ((b[0] - a[0]) * (t - a[1]) - (b[1] - a[1]) * (s - a[0]) < 0)
			return 0;
	}
	return 1;
}

/* Areas, adjacency, linear regions and colours (regionmap.c). */
void rm_finish(struct ls_regionmap *rm);

/* Polygon and set helpers of regions2d.c, shared with regions2d_graph.c. */
void rm_poly_make(struct poly *q, const double *v, const int *lab, int nv);
/* Splits q by the sign of val (at its vertices) into hi (>= 0) and lo
 * (<= 0); the new edge is labelled unit. */
void rm_poly_split(const struct poly *q, const double *val, int unit, struct poly *hi,
		   struct poly *lo);
void rm_centroid(const struct poly *q, double *s, double *t);
void rm_pset_take(struct pset *s, int nbytes, const struct poly *q, const uint8_t *bits,
		  const double *c);
void rm_pset_free(struct pset *s, int keep_polys);
/* May one more entry go into o within the memory budget? */
int rm_room(struct pset *o, int nbytes);
int rm_over_budget(void);

/* Exact 2-D regions of any graph through the node table
 * (regions2d_graph.c); called by ls_regions_2d() with the checks done and
 * the memory budget set. */
enum ls_status regions_graph_2d(struct ls_net *net, const float *z0, const float *u,
				const float *v, const double box[4],
				const struct ls_regionmap_opts *o, struct ls_regionmap **out,
				char *err);
/* The affine map (3, head width) of region i of a graph map. */
void regions_graph_affine(struct ls_net *net, const struct ls_regionmap *rm, long i,
			  double *coef);

#endif
