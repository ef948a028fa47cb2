/*
 * test-regions1d.c: exact pieces along a segment. Closed forms (the triangle
 * wave), the two exact methods against each other, dense sampling of
 * activation patterns with an independent double forward pass, partition
 * invariants and the Zhang-Naitzat-Lim bound.
 */
#include "../lib/tap.h"
#include "../lib/test-regions-net.h"

static void
test_triangle(void)
{
	struct ls_net *net = net_triangle();
	float z0 = 0, u = 1;
	struct ls_pieces p, q;
	char err[LS_ERR_MAX];

	ok(ls_regions_1d(net, &z0, &u, -3, 3, &p, err) == LS_OK, "triangle: layered");
	ok(p.npieces == 4 && p.nlinear == 4, "triangle: 4 pieces, 4 linear (got %d, %d)",
	   p.npieces, p.nlinear);
	ok(p.npieces == 4 && p.bp[0] == -1 && p.bp[1] == 0 && p.bp[2] == 1,
	   "triangle: breakpoints -1, 0, 1 exactly");
	ok(ls_regions_1d_walk(net, &z0, &u, -3, 3, &q, err) == LS_OK && q.npieces == 4 &&
	   q.bp[0] == -1 && q.bp[1] == 0 && q.bp[2] == 1, "triangle: walk agrees");
	ls_pieces_free(&p);
	ls_pieces_free(&q);
	ok(ls_regions_1d(net, &z0, &u, -0.5, 0.5, &p, err) == LS_OK && p.npieces == 2 &&
	   p.bp[0] == 0, "triangle: sub-range -0.5:0.5 has one breakpoint at 0");
	ls_pieces_free(&p);
	ok(ls_regions_1d(net, &z0, &u, 1, 3, &p, err) == LS_OK && p.npieces == 1,
	   "triangle: a breakpoint at the end of the range is not inside it");
	ls_pieces_free(&p);
	z0 = 0.25f;
	u = -1;
	ok(ls_regions_1d(net, &z0, &u, 0, 2, &p, err) == LS_OK && p.npieces == 3 &&
	   fabs(p.bp[0] - 0.25) < 1e-15 && fabs(p.bp[1] - 1.25) < 1e-15,
	   "triangle: z0 = 0.25, u = -1: breakpoints 0.25 and 1.25");
	ls_pieces_free(&p);
	ok(ls_regions_1d(net, &z0, &u, 2, 1, &p, err) == LS_EINVAL, "A > B is refused: %s", err);
	ls_net_free(net);
}

/* Triangle plus a unit with bias -2 whose output weight is zero: a flip
 * that changes nothing. pieces 5, linear_pieces 4. */
static void
test_dead_unit(void)
{
	static const float w1[4] = { 1, 1, 1, 1 }, b1[4] = { 1, 0, -1, -2 };
	static const float w2[4] = { 1, -2, 1, 0 };
	struct ls_layer *l = xcalloc(3, sizeof *l);
	struct ls_net *net;
	struct ls_pieces p, q;
	char err[LS_ERR_MAX];
	float z0 = 0, u = 1;

	l[0] = layer_affine(1, 4, w1, b1);
	l[1] = layer_act(LS_LAYER_RELU, 0);
	l[2] = layer_affine(4, 1, w2, NULL);
	if (ls_net_create(l, 3, &net, err) != LS_OK)
		exit(99);
	if (ls_regions_1d(net, &z0, &u, -3, 3, &p, err) != LS_OK)
		exit(99);
	ok(p.npieces == 5 && p.nlinear == 4, "dead unit: pieces 5 (got %d), linear_pieces 4 (got %d)",
	   p.npieces, p.nlinear);
	ok(p.nlinear == 4 && p.lin_bp[2] == 1, "dead unit: linear breakpoints -1, 0, 1");
	ok(ls_regions_1d_walk(net, &z0, &u, -3, 3, &q, err) == LS_OK && q.npieces == 5 &&
	   q.nlinear == 4, "dead unit: walk agrees");
	ls_pieces_free(&p);
	ls_pieces_free(&q);
	ls_net_free(net);
}

/* Kinds: smooth tail, smooth hidden, leaky. */
static void
test_kinds(void)
{
	int w[4] = { 3, 6, 5, 2 };
	struct ls_net *a, *b;
	struct ls_pieces p, q;
	char err[LS_ERR_MAX];
	float z0[3] = { 0.1f, -0.2f, 0.3f }, u[3] = { 0.6f, 0.8f, 0 };
	uint64_t keep = rng_state;

	a = net_random(w, 3, LS_LAYER_RELU, LS_LAYER_SIGMOID);
	rng_state = keep;
	b = net_random(w, 3, LS_LAYER_RELU, LS_LAYER_IDENTITY);
	ok(ls_net_pl_kind(a, NULL) == LS_PL_TAIL && ls_net_pl_kind(b, NULL) == LS_PL_YES,
	   "sigmoid after the last affine layer: piecewise linear up to it");
	if (ls_regions_1d(a, z0, u, -4, 4, &p, err) != LS_OK || ls_regions_1d(b, z0, u, -4, 4, &q, err) != LS_OK)
		exit(99);
	ok(p.npieces == q.npieces &&
	   p.nlinear == q.nlinear && p.kind == LS_PL_TAIL,
	   "the sigmoid tail does not change the counts (%d pieces)", q.npieces);
	ls_pieces_free(&p);
	ls_pieces_free(&q);
	ls_net_free(a);
	ls_net_free(b);
	a = net_random(w, 3, LS_LAYER_TANH, LS_LAYER_IDENTITY);
	ok(ls_net_pl_kind(a, NULL) == LS_PL_NO &&
	   ls_regions_1d(a, z0, u, -4, 4, &p, err) == LS_EINVAL && strstr(err, "not piecewise linear"),
	   "a tanh hidden layer is refused: %s", err);
	ls_net_free(a);
}

/* Pieces of p as t boundaries (npieces + 1). */
static double *
bounds_of(const struct ls_pieces *p)
{
	double *t = xmalloc((size_t)(p->npieces + 1) * sizeof *t);
	int k;

	t[0] = p->a;
	for (k = 0; k + 1 < p->npieces; k++)
		t[k + 1] = p->bp[k];
	t[p->npieces] = p->b;
	return t;
}

/* Pattern (reference forward) of z0 + t u. */
static void
pat_at(const struct ls_net *net, const float *z0, const float *u, double t, uint8_t *bits,
       double *y)
{
	double z[16];
	int i;

	for (i = 0; i < net->in; i++)
		z[i] = (double)z0[i] + t * u[i];
	fwd_d(net, z, y, bits, 1);
}

/* Dense sampling: every sample's pattern is the pattern of its exact
 * piece; the number of sampled changes equals pieces - 1 when the spacing
 * is below the shortest piece. Returns 1 on success. */
static int
check_sampling(struct ls_net *net, const float *z0, const float *u, const struct ls_pieces *p,
	       long ns, int *equal_count)
{
	int nb = (ls_net_units(net) + 8) / 8, k = 0, good = 1;
	uint8_t *s = xcalloc((size_t)nb, 1), *prev = xcalloc((size_t)nb, 1), *want = xcalloc((size_t)nb, 1);
	double *t = bounds_of(p), y[64], shortest = INFINITY;
	long i, changes = 0;

	for (i = 0; i < p->npieces; i++)
		shortest = fmin(shortest, t[i + 1] - t[i]);
	pat_at(net, z0, u, 0.5 * (t[0] + t[1]), want, y);
	for (i = 0; i < ns; i++) {
		double ti = p->a + (p->b - p->a) * (i + 0.5) / ns;
		pat_at(net, z0, u, ti, s, y);
		if (i && memcmp(s, prev, (size_t)nb))
			changes++;
		memcpy(prev, s, (size_t)nb);
		while (ti > t[k + 1]) {
			k++;
			pat_at(net, z0, u, 0.5 * (t[k] + t[k + 1]), want, y);
		}
		if (fabs(ti - t[k]) > 1e-9 && fabs(ti - t[k + 1]) > 1e-9 && memcmp(s, want, (size_t)nb))
			good = 0;
	}
	*equal_count = (p->b - p->a) / ns >= shortest || changes == p->npieces - 1;
	free(s), free(prev), free(want), free(t);
	return good;
}

/* Partition invariants: lengths sum to B - A, neighbours differ, and the
 * output is affine on each piece. */
static int
check_partition(struct ls_net *net, const float *z0, const float *u, const struct ls_pieces *p)
{
	int nb = (ls_net_units(net) + 8) / 8, k, j, good = 1;
	uint8_t *a = xcalloc((size_t)nb, 1), *b = xcalloc((size_t)nb, 1);
	double *t = bounds_of(p), sum = 0, y0[64], y1[64], ym[64];

	for (k = 0; k < p->npieces; k++) {
		double lo = t[k], hi = t[k + 1], r = rng_uniform();
		sum += hi - lo;
		good &= hi > lo;
		pat_at(net, z0, u, lo + 0.25 * (hi - lo), a, y0);
		pat_at(net, z0, u, lo + 0.75 * (hi - lo), b, y1);
		pat_at(net, z0, u, lo + (0.25 + 0.5 * r) * (hi - lo), b, ym);
		for (j = 0; j < net->out && j < 64; j++)
			good &= fabs(ym[j] - (y0[j] + r * (y1[j] - y0[j]))) <= 1e-9 * (1 + fabs(ym[j]));
		if (k) {
			pat_at(net, z0, u, t[k] - 0.25 * (t[k] - t[k - 1]), b, y1);
			good &= memcmp(a, b, (size_t)nb) != 0;
		}
	}
	good &= fabs(sum - (p->b - p->a)) < 1e-12 * (p->b - p->a);
	free(a), free(b), free(t);
	return good;
}

static int
same_pieces(const struct ls_pieces *p, const struct ls_pieces *q, double *md)
{
	int k;

	*md = 0;
	if (p->npieces != q->npieces || p->nlinear != q->nlinear)
		return 0;
	for (k = 0; k + 1 < p->npieces; k++)
		*md = fmax(*md, fabs(p->bp[k] - q->bp[k]));
	return *md < 1e-9;
}

static void
test_random(int trials, enum ls_layer_kind hidden)
{
	int w[4] = { 3, 10, 8, 2 }, i, all_same = 1, all_samp = 1, all_eq = 1, all_part = 1, all_bound = 1;
	int flips_ok = 1;
	double md, worst = 0;
	char err[LS_ERR_MAX];

	for (i = 0; i < trials; i++) {
		struct ls_net *net = net_random(w, 3, hidden, LS_LAYER_IDENTITY);
		float z0[3], u[3];
		struct ls_pieces p, q;
		int j, eq;
		for (j = 0; j < 3; j++)
			z0[j] = (float)rng_normal(), u[j] = (float)rng_normal();
		if (ls_regions_1d(net, z0, u, -3, 3, &p, err) != LS_OK ||
		    ls_regions_1d_walk(net, z0, u, -3, 3, &q, err) != LS_OK) {
			ok(0, "random net %d: %s", i, err);
			continue;
		}
		if (!same_pieces(&p, &q, &md)) {
			all_same = 0;
			diag("net %d: layered %d/%d, walk %d/%d pieces/linear", i, p.npieces,
			     p.nlinear, q.npieces, q.nlinear);
		}
		worst = fmax(worst, md);
		all_samp &= check_sampling(net, z0, u, &p, 200000, &eq);
		all_eq &= eq;
		all_part &= check_partition(net, z0, u, &p);
		all_bound &= p.npieces <= ls_regions_bound(net, 1);
		for (j = 0; j + 1 < p.npieces; j++)
			flips_ok &= p.flips[j] >= 1;
		ls_pieces_free(&p);
		ls_pieces_free(&q);
		ls_net_free(net);
	}
	ok(all_same, "%s: layered and walking methods agree on %d nets (max |dt| %.3g)",
	   ls_layer_kind_name(hidden), trials, worst);
	ok(all_samp, "%s: every sampled pattern is its exact piece's pattern", ls_layer_kind_name(hidden));
	ok(all_eq, "%s: sampled changes = pieces - 1 when spacing < shortest piece", ls_layer_kind_name(hidden));
	ok(all_part, "%s: lengths sum to B - A, neighbours differ, affine on each piece",
	   ls_layer_kind_name(hidden));
	ok(all_bound, "%s: pieces never exceed the bound prod(1 + n_l)", ls_layer_kind_name(hidden));
	ok(flips_ok, "%s: at least one unit flips at each breakpoint", ls_layer_kind_name(hidden));
}

/* A thin piece: two units crossing 1e-6 apart are both found. */
static void
test_thin(void)
{
	static const float w1[2] = { 1, 1 }, b1[2] = { 0, -1e-6f }, w2[2] = { 1, 1 };
	struct ls_layer *l = xcalloc(3, sizeof *l);
	struct ls_net *net;
	struct ls_pieces p, q;
	char err[LS_ERR_MAX];
	float z0 = 0, u = 1;

	l[0] = layer_affine(1, 2, w1, b1);
	l[1] = layer_act(LS_LAYER_RELU, 0);
	l[2] = layer_affine(2, 1, w2, NULL);
	if (ls_net_create(l, 3, &net, err) != LS_OK)
		exit(99);
	if (ls_regions_1d(net, &z0, &u, -1000, 1000, &p, err) != LS_OK)
		exit(99);
	ok(p.npieces == 3 && fabs(p.bp[1] - p.bp[0] - (double)1e-6f) < 1e-12,
	   "a piece of width 1e-6 in a range of 2000 is found (%d pieces)", p.npieces);
	ok(ls_regions_1d_walk(net, &z0, &u, -1000, 1000, &q, err) == LS_OK && q.npieces == 3,
	   "walk finds it too");
	ls_pieces_free(&p);
	ls_pieces_free(&q);
	ls_net_free(net);
}

struct prog_log {
	int calls, monotone, stop_at;
	double last, total;
};

static int
prog_fn(void *ctx, double done, double total)
{
	struct prog_log *l = ctx;

	l->monotone &= done >= l->last && done <= total && total > 0;
	l->last = done, l->total = total;
	return ++l->calls == l->stop_at;
}

/* Budget and progress of ls_regions_1d_opts on the triangle (4 pieces). */
static void
test_budget(void)
{
	struct ls_net *net = net_triangle();
	struct prog_log lg = { 0, 1, 0, 0, 0 };
	struct ls_progress pr = { prog_fn, &lg };
	struct ls_regions_opts o = { 4, &pr };
	char err[LS_ERR_MAX] = "";
	struct ls_pieces p;
	float z0 = 0, u = 1;

	ok(ls_regions_1d_opts(net, &z0, &u, -3, 3, &o, &p, err) == LS_OK && p.npieces == 4,
	   "budget 4 on 4 pieces: the answer");
	ok(lg.calls >= 1 && lg.monotone && lg.last == lg.total,
	   "progress: %d reports, monotone, ending at the total (%g of %g)", lg.calls, lg.last, lg.total);
	ls_pieces_free(&p);
	o.max_pieces = 3;
	ok(ls_regions_1d_opts(net, &z0, &u, -3, 3, &o, &p, err) == LS_ENOMEM &&
	   !strcmp(err, "more than 3 pieces along the segment"), "budget 3: LS_ENOMEM, '%s'", err);
	o.max_pieces = 0;
	lg = (struct prog_log){ 0, 1, 1, 0, 0 };
	ok(ls_regions_1d_opts(net, &z0, &u, -3, 3, &o, &p, err) == LS_ENOMEM && strstr(err, "stopped"),
	   "a progress function returning nonzero stops the work: '%s'", err);
	ls_net_free(net);
}

int
main(void)
{
	test_triangle();
	test_budget();
	test_dead_unit();
	test_kinds();
	test_thin();
	test_random(40, LS_LAYER_RELU);
	test_random(20, LS_LAYER_LEAKY_RELU);
	return done_testing();
}
