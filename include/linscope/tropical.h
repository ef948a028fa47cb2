/*
 * tropical.h: the tropical form of a small piecewise-linear MLP, and every
 * activation region of its whole input space.
 *
 * The network. The analyses here work on a plain float64 list of dense
 * layers (struct ls_mlp): y = act(W x + b), act relu, leaky relu or
 * identity. ls_mlp_from_net() is the one adapter from a decoder; a decoder
 * that is not such an MLP is refused with a message saying why.
 *
 * Tropical form (Zhang, Naitzat & Lim 2018, section 5). An output unit is
 * F - G, with F and G tropical polynomials: maxima of affine functions
 * ("monomials") a.z + b. An affine layer splits W = W+ - W- and routes
 * F_i - G_i into H = b + sum W+ F_i + W- G_i and G = sum W+ G_i + W- F_i
 * (sums of maxima: Minkowski sums of the monomial sets); relu gives
 * F' = max(H, G), G' = G; leaky relu with slope s in [0, 1] is
 * s x + (1 - s) relu(x), i.e. F' = s H + (1 - s) max(H, G), G' = G.
 * A monomial is redundant when it is the strict maximum on no
 * full-dimensional set; redundant ones are removed after every operation,
 * by one linear program each (GLPK): maximise the margin t by which the
 * monomial beats every other one at some z, capped at 1. It is kept when
 * t > LS_TROP_TOL * (1 + max |b|); exact duplicates are merged first, and
 * near-ties (two monomials within the tolerance) keep one of the two.
 *
 * Regions. An activation region is the set of inputs with one on/off
 * pattern of all units (on: pre-activation > 0), a polyhedron. Every
 * full-dimensional one is found by a traversal from the region of a
 * random point near 0: facets of a region by Clarkson's redundancy
 * removal (small LPs), each neighbour by stepping across a facet's
 * centre. Two regions are "linearly" equal when the affine map of the
 * whole output (before any final smooth activation) is the same on both:
 * linear regions are the connected classes of adjacent regions with equal
 * maps (compared through 8 fixed random projections, relative 1e-9).
 */
#ifndef LINSCOPE_TROPICAL_H
#define LINSCOPE_TROPICAL_H

#include <stdint.h>

#include "linscope/status.h"

#define LS_TROP_TOL 1e-9

struct ls_net;

/* ---- the plain network ------------------------------------------------ */

enum ls_act { LS_ACT_IDENTITY, LS_ACT_RELU, LS_ACT_LEAKY };

struct ls_dense {
	int in, out;
	double *w;         /* (out, in), row-major */
	double *b;         /* (out) */
	enum ls_act act;
	double slope;      /* leaky only */
};

struct ls_mlp {
	int d;             /* input width */
	int nl;            /* dense layers */
	struct ls_dense *l;
	int out;           /* output width */
	int units;         /* inputs of relu / leaky layers */
};

/* The adapter: the analysed layers of net (all of them, or those before a
 * final smooth activation) as dense layers. nhidden > 0 keeps the first
 * nhidden relu / leaky layers and the affine layer after them (its
 * activation dropped): a sub-network. LS_EINVAL with a message for a net
 * that is not such an MLP. Free with ls_mlp_free(). */
enum ls_status ls_mlp_from_net(const struct ls_net *net, int nhidden, struct ls_mlp **m,
			       char *err);
/* Builds an MLP from n dense layers (copied). */
enum ls_status ls_mlp_create(const struct ls_dense *l, int n, struct ls_mlp **m, char *err);
void ls_mlp_free(struct ls_mlp *m);
/* y (out) = the network at z (d), in float64. */
void ls_mlp_forward(const struct ls_mlp *m, const double *z, double *y);
/* Pattern bits of z ((units + 7) / 8 bytes, bit k of byte k / 8); returns
 * the smallest |pre-activation| met. */
double ls_mlp_pattern(const struct ls_mlp *m, const double *z, uint8_t *bits);
/* Zhang-Naitzat-Lim bound on the regions: prod over activation layers of
 * sum_{i<=d} C(n_l, i). */
double ls_mlp_bound(const struct ls_mlp *m);

/* ---- tropical polynomials --------------------------------------------- */

struct ls_tpoly {
	int d;
	long n;
	double *c;         /* (n, d + 1): exponent a, then the constant b */
};

/* max_j a_j.z + b_j (-inf for no monomial). */
double ls_tpoly_eval(const struct ls_tpoly *p, const double *z);
/* Removes redundant monomials (see above); returns the number removed. */
long ls_tpoly_prune(struct ls_tpoly *p);
/* Margin LP of monomial j against the others: the largest t <= 1 such that
 * some z has a_j.z + b_j >= a_i.z + b_i + t for all i != j (z may be
 * NULL). */
double ls_tpoly_margin(const struct ls_tpoly *p, long j, double *z);
void ls_tpoly_free(struct ls_tpoly *p);

struct ls_tropical {
	struct ls_tpoly f, g;
	double f_naive, g_naive;   /* monomials without any pruning (counted) */
	long f_cand, g_cand;       /* before the last pruning */
	long peak;                 /* largest candidate set met */
	double seconds;
};

/* F and G of output unit k of m. max_cand (0: 10^6) bounds any candidate
 * set: past it LS_ENOMEM with a message. prune = 0 skips the pruning
 * (tests; exponential). Free with ls_tropical_free(). */
enum ls_status ls_tropical_form(const struct ls_mlp *m, int k, long max_cand, int prune,
				struct ls_tropical *t, char *err);
void ls_tropical_free(struct ls_tropical *t);

/* ---- every region of the input space ---------------------------------- */

struct ls_rall;

/* All full-dimensional activation regions of m. box (d pairs lo, hi; may
 * be NULL): only the regions meeting the open box, restricted to it.
 * max_regions (0: 10^6): past it LS_ENOMEM. Free with ls_rall_free(). */
enum ls_status ls_regions_all(const struct ls_mlp *m, const double *box, long max_regions,
			      struct ls_rall **r, char *err);
void ls_rall_free(struct ls_rall *r);
long ls_rall_count(const struct ls_rall *r);
long ls_rall_linear_count(const struct ls_rall *r);
long ls_rall_unbounded(const struct ls_rall *r);   /* 0 with a box */
double ls_rall_seconds(const struct ls_rall *r);
const uint8_t *ls_rall_pattern(const struct ls_rall *r, long i);
const double *ls_rall_point(const struct ls_rall *r, long i);   /* interior, (d) */
int ls_rall_is_bounded(const struct ls_rall *r, long i);
long ls_rall_linear_of(const struct ls_rall *r, long i);
/* Units whose zero sets carry region i's facets: *n of them. */
const int *ls_rall_facets(const struct ls_rall *r, long i, int *n);
/* d = 2: the box {s0, s1, t0, t1} holding every region's vertices and
 * interior point, widened by margin (a fraction of its size). */
void ls_rall_bbox2(const struct ls_rall *r, double margin, double box[4]);
/* Distinct affine maps of F (which = 0) or G (1) of output k over the
 * regions: the non-redundant monomials of the tropical form, computed
 * from the regions (an independent route). Fills p; free it. */
void ls_rall_tropical(const struct ls_rall *r, int k, int which, struct ls_tpoly *p);

/* ---- the hypersurfaces over a plane ----------------------------------- */

struct ls_raster;

/* Pixel marks of a tropical map. */
enum { LS_TMAP_F = 1, LS_TMAP_G = 2 };

struct ls_tropmap {
	int w, h;
	double box[4];     /* {s0, s1, t0, t1}: s to the right, t upwards */
	uint8_t *mark;     /* (h, w): LS_TMAP_F when F's maximising monomial
	                      differs from its right or lower
	                      neighbour's (F's tropical hypersurface crosses
	                      between them), LS_TMAP_G for G */
	uint32_t *piece;   /* (h, w): key of the affine piece of F - G */
	long nf, ng;       /* distinct maximising monomials of F, G met */
};

/* The tropical hypersurfaces of F and G of output k of m (the form of
 * ls_tropical_form, followed along its maximising terms at each pixel, no
 * expansion) over the plane z0 + s u + t v, pixel centres of w x h pixels
 * across box. Fast for any width (a forward pass of d + 1 columns per
 * pixel). Free with ls_tropmap_free(). */
enum ls_status ls_tropical_map(const struct ls_mlp *m, int k, const double *z0, const double *u,
			       const double *v, const double box[4], int w, int h,
			       struct ls_tropmap *t, char *err);
/* RGB: F's hypersurface orange, G's cyan, both white; elsewhere a dim
 * colour per affine piece of F - G (their boundaries: where the output
 * is not linear). Free r with ls_raster_free(). */
void ls_tropmap_render(const struct ls_tropmap *t, struct ls_raster *r);
void ls_tropmap_free(struct ls_tropmap *t);

#endif
