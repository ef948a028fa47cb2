/*
 * test-regions2d.c: exact regions over a plane. A single hidden layer of
 * width n in general position reaches 1 + n + n(n-1)/2 regions; random nets
 * are checked for the partition invariants (areas, distinct patterns,
 * neighbours differing in one unit, affine maps), against dense sampling
 * (reference double forward pass), against the 1D method on lines of the
 * plane, and against the bound.
 */
#include "../lib/tap.h"
#include "../lib/test-regions-net.h"

/* One hidden layer of n random lines through the disc of radius 1. */
static struct ls_net *
net_lines(int n, enum ls_layer_kind tail)
{
	struct ls_layer *l = xcalloc(4, sizeof *l);
	float *w = xmalloc((size_t)(2 * n) * sizeof *w), *b = xmalloc((size_t)n * sizeof *b);
	float *w2 = xmalloc((size_t)n * sizeof *w2);
	struct ls_net *net;
	char err[LS_ERR_MAX];
	int j, k = 0;

	for (j = 0; j < n; j++) {
		double a = 6.283185307179586 * rng_uniform();
		w[2 * j] = (float)cos(a);
		w[2 * j + 1] = (float)sin(a);
		b[j] = (float)(2 * rng_uniform() - 1);
		w2[j] = (float)(1 + rng_uniform());
	}
	l[k++] = layer_affine(2, n, w, b);
	l[k++] = layer_act(LS_LAYER_RELU, 0);
	l[k++] = layer_affine(n, 1, w2, NULL);
	if (tail != LS_LAYER_IDENTITY)
		l[k++] = layer_act(tail, 0);
	if (ls_net_create(l, k, &net, err) != LS_OK)
		exit(99);
	free(w), free(b), free(w2);
	return net;
}

static void
test_lines(void)
{
	static const float z0[2] = { 0, 0 }, u[2] = { 1, 0 }, v[2] = { 0, 1 };
	double box[4] = { -1e4, 1e4, -1e4, 1e4 };
	char err[LS_ERR_MAX];
	int n, good = 1, lin = 1, bound = 1;

	for (n = 1; n <= 12; n++) {
		struct ls_net *net = net_lines(n, n % 2 ? LS_LAYER_SIGMOID : LS_LAYER_IDENTITY);
		struct ls_regionmap *rm;
		long want = 1 + n + (long)n * (n - 1) / 2;
		if (ls_regions_2d(net, z0, u, v, box, 0, &rm, err) != LS_OK) {
			ok(0, "lines %d: %s", n, err);
			continue;
		}
		if (ls_regionmap_count(rm) != want) {
			good = 0;
			diag("n = %d: %ld regions, want %ld", n, ls_regionmap_count(rm), want);
		}
		lin &= ls_regionmap_linear_count(rm) == want;
		bound &= ls_regionmap_count(rm) <= ls_regions_bound(net, 2);
		ls_regionmap_free(rm);
		ls_net_free(net);
	}
	ok(good, "one hidden layer of width n = 1..12, lines in general position: 1 + n + n(n-1)/2 regions");
	ok(lin, "... and as many linear regions (every output weight is non-zero)");
	ok(bound, "... which is the bound sum_{i<=2} C(n, i)");
}

/* A unit with zero output weight: regions count it, linear_regions not. */
static void
test_dead_unit(void)
{
	static const float w1[4] = { 1, 0, 0, 1 }, b1[2] = { 0, 0 }, w2[2] = { 1, 0 };
	static const float z0[2] = { 0, 0 }, u[2] = { 1, 0 }, v[2] = { 0, 1 };
	double box[4] = { -1, 1, -1, 1 };
	struct ls_layer *l = xcalloc(3, sizeof *l);
	struct ls_regionmap *rm;
	struct ls_net *net;
	char err[LS_ERR_MAX];

	l[0] = layer_affine(2, 2, w1, b1);
	l[1] = layer_act(LS_LAYER_RELU, 0);
	l[2] = layer_affine(2, 1, w2, NULL);
	if (ls_net_create(l, 3, &net, err) != LS_OK)
		exit(99);
	if (ls_regions_2d(net, z0, u, v, box, 0, &rm, err) != LS_OK) {
		fprintf(stderr, "%s\n", err);
		exit(99);
	}
	ok(ls_regionmap_count(rm) == 4 && ls_regionmap_linear_count(rm) == 2,
	   "relu(x) + 0 relu(y) on the square: 4 regions, 2 linear regions (got %ld, %ld)",
	   ls_regionmap_count(rm), ls_regionmap_linear_count(rm));
	ls_regionmap_free(rm);
	ls_net_free(net);
}

struct rstats {
	int area, distinct, adj1, affine, sampled, line, bound, colors;
};

/* Invariants of one map; the affine maps at random points. */
static void
check_map(struct ls_net *net, const struct ls_regionmap *rm, const float *z0, const float *u,
	  const float *v, struct rstats *st)
{
	long n = ls_regionmap_count(rm), i, j, np;
	int nb = (ls_net_units(net) + 7) / 8, k;
	const long *pr = ls_regionmap_adjacency(rm, &np);
	double box[4], sum = 0, coef[3 * 64], y[64], z[16];

	ls_regionmap_box(rm, box);
	for (i = 0; i < n; i++)
		sum += ls_regionmap_area(rm, i);
	st->area &= fabs(sum - (box[1] - box[0]) * (box[3] - box[2])) < 1e-9 * (box[1] - box[0]) * (box[3] - box[2]);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			st->distinct &= memcmp(ls_regionmap_pattern(rm, i), ls_regionmap_pattern(rm, j), (size_t)nb) != 0;
	for (i = 0; i < np; i++) {
		int f = 0;
		for (k = 0; k < nb; k++)
			f += __builtin_popcount(ls_regionmap_pattern(rm, pr[2 * i])[k] ^ ls_regionmap_pattern(rm, pr[2 * i + 1])[k]);
		st->adj1 &= f == 1;
		st->colors &= ls_regionmap_color(rm, pr[2 * i]) != ls_regionmap_color(rm, pr[2 * i + 1]);
	}
	for (k = 0; k < 200; k++) {
		double s = box[0] + (box[1] - box[0]) * rng_uniform(), t = box[2] + (box[3] - box[2]) * rng_uniform();
		long r = ls_regionmap_locate(rm, s, t);
		int q;
		if (r < 0) {
			st->affine = 0;
			continue;
		}
		for (q = 0; q < net->in; q++)
			z[q] = (double)z0[q] + s * u[q] + t * v[q];
		fwd_d(net, z, y, NULL, 1);
		ls_regionmap_affine(net, rm, r, coef);
		for (q = 0; q < net->out; q++) {
			double a = coef[q] + s * coef[net->out + q] + t * coef[2 * net->out + q];
			st->affine &= fabs(a - y[q]) <= 1e-9 * (1 + fabs(y[q]));
		}
	}
}

/* Dense grid sampling: every sampled pattern is the pattern of the region
 * that contains the sample. */
static void
check_sampling(struct ls_net *net, const struct ls_regionmap *rm, const float *z0,
	       const float *u, const float *v, int g, struct rstats *st)
{
	int nb = (ls_net_units(net) + 7) / 8, a, b, q;
	uint8_t *bits = xcalloc((size_t)nb + 1, 1);
	double box[4], z[16], y[64];

	ls_regionmap_box(rm, box);
	for (a = 0; a < g; a++)
		for (b = 0; b < g; b++) {
			double s = box[0] + (box[1] - box[0]) * (a + 0.5) / g;
			double t = box[2] + (box[3] - box[2]) * (b + 0.5) / g;
			long r = ls_regionmap_locate(rm, s, t);
			for (q = 0; q < net->in; q++)
				z[q] = (double)z0[q] + s * u[q] + t * v[q];
			fwd_d(net, z, y, bits, 1);
			if (r < 0 || memcmp(bits, ls_regionmap_pattern(rm, r), (size_t)nb)) {
				/* on a boundary the sample may belong to either side */
				long r2 = ls_regionmap_locate(rm, s + 1e-7, t + 1e-7);
				if (r2 < 0 || memcmp(bits, ls_regionmap_pattern(rm, r2), (size_t)nb))
					st->sampled = 0;
			}
		}
	free(bits);
}

/* Number of polygons the horizontal line t = tl crosses with positive
 * length. */
static long
line_count(const struct ls_regionmap *rm, double tl)
{
	long n = ls_regionmap_count(rm), i, c = 0;

	for (i = 0; i < n; i++) {
		int nv, k;
		const double *p = ls_regionmap_polygon(rm, i, &nv);
		double lo = INFINITY, hi = -INFINITY;
		for (k = 0; k < nv; k++) {
			const double *a = p + 2 * k, *b = p + 2 * ((k + 1) % nv);
			if ((a[1] - tl) * (b[1] - tl) <= 0 && a[1] != b[1]) {
				double s = a[0] + (tl - a[1]) / (b[1] - a[1]) * (b[0] - a[0]);
				lo = fmin(lo, s), hi = fmax(hi, s);
			}
		}
		c += hi - lo > 1e-9;
	}
	return c;
}

static void
test_random(int trials, int d, enum ls_layer_kind hidden)
{
	int w[4] = { d, 9, 7, 3 }, i, k;
	struct rstats st = { 1, 1, 1, 1, 1, 1, 1, 1 };
	char err[LS_ERR_MAX];
	long total = 0;

	for (i = 0; i < trials; i++) {
		struct ls_net *net = net_random(w, 3, hidden, i % 2 ? LS_LAYER_SIGMOID : LS_LAYER_IDENTITY);
		float z0[4], u[4], v[4], zl[4];
		double box[4] = { -2.5, 2, -1.5, 3 };
		struct ls_regionmap *rm;
		for (k = 0; k < d; k++)
			z0[k] = (float)rng_normal(), u[k] = (float)rng_normal(), v[k] = (float)rng_normal();
		if (ls_regions_2d(net, z0, u, v, box, 0, &rm, err) != LS_OK) {
			ok(0, "random %d: %s", i, err);
			continue;
		}
		total += ls_regionmap_count(rm);
		check_map(net, rm, z0, u, v, &st);
		check_sampling(net, rm, z0, u, v, 300, &st);
		st.bound &= ls_regionmap_count(rm) <= ls_regions_bound(net, 2);
		for (k = 0; k < 3; k++) {
			struct ls_pieces p;
			double tl = box[2] + (box[3] - box[2]) * rng_uniform();
			float tf = (float)tl;
			int q;
			for (q = 0; q < d; q++)
				zl[q] = z0[q] + tf * v[q];
			if (ls_regions_1d(net, zl, u, box[0], box[1], &p, err) == LS_OK) {
				long c = line_count(rm, (double)tf);
				if (c != p.npieces) {
					st.line = 0;
					diag("net %d line t=%g: 2D %ld, 1D %d", i, (double)tf, c, p.npieces);
				}
				ls_pieces_free(&p);
			}
		}
		ls_regionmap_free(rm);
		ls_net_free(net);
	}
	diag("d = %d, %s: %ld regions in %d maps", d, ls_layer_kind_name(hidden), total, trials);
	ok(st.area, "d=%d %s: polygon areas sum to the box area", d, ls_layer_kind_name(hidden));
	ok(st.distinct, "d=%d %s: no pattern appears in two regions", d, ls_layer_kind_name(hidden));
	ok(st.adj1, "d=%d %s: adjacent regions differ in exactly one unit", d, ls_layer_kind_name(hidden));
	ok(st.colors, "d=%d %s: adjacent regions have different colours", d, ls_layer_kind_name(hidden));
	ok(st.affine, "d=%d %s: the output at random points equals the region's affine map", d,
	   ls_layer_kind_name(hidden));
	ok(st.sampled, "d=%d %s: every sampled pattern (300x300 grid) is its region's", d,
	   ls_layer_kind_name(hidden));
	ok(st.line, "d=%d %s: 1D pieces on lines of the plane = polygons crossed", d,
	   ls_layer_kind_name(hidden));
	ok(st.bound, "d=%d %s: regions never exceed the bound", d, ls_layer_kind_name(hidden));
}

static void
test_bad(void)
{
	struct ls_net *net = net_lines(3, LS_LAYER_IDENTITY);
	static const float z0[2] = { 0, 0 }, u[2] = { 1, 0 }, v[2] = { 0, 1 };
	double box[4] = { 1, -1, 0, 1 };
	struct ls_regionmap *rm;
	char err[LS_ERR_MAX];

	ok(ls_regions_2d(net, z0, u, v, box, 0, &rm, err) == LS_EINVAL && !rm, "an empty box is refused: %s", err);
	box[0] = -1e4, box[1] = 1e4, box[2] = -1e4, box[3] = 1e4;
	ok(ls_regions_2d(net, z0, u, v, box, 2, &rm, err) == LS_ENOMEM && !rm,
	   "max_regions stops the enumeration: %s", err);
	ls_net_free(net);
}

/* C5: a region map has a memory budget; past it, a clear LS_ENOMEM (not an
 * out-of-memory abort), and the same plane within the budget succeeds. */
static void
test_budget(void)
{
	static const int w[] = { 2, 64, 64, 1 };
	static const float z0[2] = { 0, 0 }, u[2] = { 1, 0 }, v[2] = { 0, 1 };
	double box[4] = { -3, 3, -3, 3 };
	struct ls_net *net = net_random(w, 3, LS_LAYER_RELU, LS_LAYER_IDENTITY);
	struct ls_regionmap *rm = NULL;
	char err[LS_ERR_MAX] = "";
	enum ls_status st;
	long n;

	st = ls_regions_2d(net, z0, u, v, box, 0, &rm, err);
	n = st == LS_OK ? ls_regionmap_count(rm) : -1;
	ls_regionmap_free(rm);
	rm = NULL;
	ok(st == LS_OK && n > 100, "a 64-64 relu plane within the default budget: %ld regions", n);
	ls_regions_set_mem_max(64 << 10);   /* 64 KB: about a dozen 64-wide rows */
	st = ls_regions_2d(net, z0, u, v, box, 0, &rm, err);
	ok(st == LS_ENOMEM && rm == NULL && strstr(err, "memory budget of 0 MB"),
	   "past a 64 KB budget: LS_ENOMEM, '%s'", err);
	ls_regions_set_mem_max(0);
	ls_net_free(net);
}

int
main(void)
{
	test_budget();
	test_lines();
	test_dead_unit();
	test_bad();
	test_random(20, 2, LS_LAYER_RELU);
	test_random(10, 4, LS_LAYER_LEAKY_RELU);
	return done_testing();
}
