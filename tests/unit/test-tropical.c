/*
 * test-tropical.c: the tropical form and every region of the whole latent
 * space.
 *
 * Hand-computed cases (derivations beside each); F - G against the forward
 * pass at random points; the pruned form against the unpruned one; the
 * monomials of the composition against the distinct pieces over the
 * regions (two independent routes); the regions against a brute-force
 * enumeration of all 2^n patterns in Python (tools/tropical_reference.py,
 * fixtures in tests/fixtures/tropical/); the count in a box against the
 * 2-D region map; the Zhang-Naitzat-Lim bound; errors and budgets.
 */
#include <jansson.h>

#include "../lib/tap.h"
#include "../lib/test-regions-net.h"
#include "linscope/tropical.h"

/* A dense layer over static arrays. */
static struct ls_dense
dense(int in, int out, double *w, double *b, enum ls_act act)
{
	struct ls_dense l = { in, out, w, b, act, 0 };

	return l;
}

static struct ls_mlp *
mlp2(struct ls_dense a, struct ls_dense b)
{
	struct ls_dense l[2] = { a, b };
	struct ls_mlp *m;
	char err[LS_ERR_MAX];

	if (ls_mlp_create(l, 2, &m, err) != LS_OK) {
		fprintf(stderr, "%s\n", err);
		exit(99);
	}
	return m;
}

/* Does p hold exactly the monomials want (n rows of d + 1), any order? */
static int
same_set(const struct ls_tpoly *p, const double *want, int n)
{
	int r = p->d + 1, i, q;
	long j;

	if (p->n != n)
		return 0;
	for (i = 0; i < n; i++) {
		int found = 0;
		for (j = 0; j < p->n && !found; j++) {
			for (q = 0; q < r && fabs(p->c[j * r + q] - want[i * r + q]) < 1e-12; q++)
				;
			found = q == r;
		}
		if (!found)
			return 0;
	}
	return 1;
}

static void
form(const struct ls_mlp *m, int prune, struct ls_tropical *t)
{
	char err[LS_ERR_MAX];

	if (ls_tropical_form(m, 0, 0, prune, t, err) != LS_OK) {
		fprintf(stderr, "%s\n", err);
		exit(99);
	}
}

/* One ReLU, y = relu(x): F = max(x, 0), G = 0. */
static void
test_one_relu(void)
{
	double w1 = 1, b1 = 0, w2 = 1, b2 = 0, F[4] = { 1, 0, 0, 0 }, G[2] = { 0, 0 };
	struct ls_mlp *m = mlp2(dense(1, 1, &w1, &b1, LS_ACT_RELU), dense(1, 1, &w2, &b2, LS_ACT_IDENTITY));
	struct ls_tropical t;

	form(m, 1, &t);
	ok(same_set(&t.f, F, 2) && same_set(&t.g, G, 1), "one relu: F = max(x, 0), G = 0");
	ls_tropical_free(&t);
	ls_mlp_free(m);
}

/* Triangle wave relu(x+1) - 2 relu(x) + relu(x-1). Units: F1 = max(x+1, 0),
 * F2 = max(x, 0), F3 = max(x-1, 0), all G_i = 0. Output weights (1, -2, 1):
 * F = F1 (x) F3 (x) G2^2 = max(2x, x+1, x-1, 0), and x-1 < x+1 everywhere:
 * F = max(2x, x+1, 0) (3 of 4); G = F2^2 = max(2x, 0). */
static void
test_triangle(void)
{
	double w1[3] = { 1, 1, 1 }, b1[3] = { 1, 0, -1 }, w2[3] = { 1, -2, 1 }, b2 = 0;
	double F[6] = { 2, 0, 1, 1, 0, 0 }, G[4] = { 2, 0, 0, 0 };
	struct ls_mlp *m = mlp2(dense(1, 3, w1, b1, LS_ACT_RELU), dense(3, 1, w2, &b2, LS_ACT_IDENTITY));
	struct ls_tropical t, u;
	int k, good = 1;

	form(m, 1, &t);
	form(m, 0, &u);
	ok(same_set(&t.f, F, 3) && same_set(&t.g, G, 2), "triangle: F = max(2x, x+1, 0), G = max(2x, 0)");
	ok(u.f.n == 4 && t.f_naive == 4 && t.g_naive == 2, "triangle: 4 monomials of F without pruning (got %ld)", u.f.n);
	for (k = 0; k < 41; k++) {
		double x = -2 + 0.1 * k, want = fmax(x + 1, 0) - 2 * fmax(x, 0) + fmax(x - 1, 0);
		good &= fabs(ls_tpoly_eval(&t.f, &x) - ls_tpoly_eval(&t.g, &x) - want) < 1e-12;
	}
	ok(good, "triangle: F - G is the triangle wave");
	ls_tropical_free(&t);
	ls_tropical_free(&u);
	ls_mlp_free(m);
}

/* 2-2-1 nets with known redundant monomials.
 * (a) relu(x) + relu(-x) = |x|. Unit 1: F1 = max(x, 0), G1 = 0. Unit 2
 *     (weight -1 routes x to G): H = 0, G2 = x, F2 = max(0, x). Output:
 *     F = F1 (x) F2 = max(2x, x, x, 0), G = G1 (x) G2 = x. The duplicate x
 *     merges, and x is never the strict maximum (it ties with 2x and 0 at
 *     x = 0 only: the lifted point (1, 0, 0) is the midpoint of the edge
 *     from (0, 0, 0) to (2, 0, 0), not a vertex): F = max(2x, 0), G = x,
 *     F - G = |x|.
 * (b) relu(x+y) + relu(x+y-1): F = max(2x+2y-1, x+y, x+y-1, 0), and
 *     x+y-1 < x+y everywhere: 3 monomials. */
static void
test_221(void)
{
	double wa[4] = { 1, 0, -1, 0 }, ba[2] = { 0, 0 }, wb[4] = { 1, 1, 1, 1 }, bb[2] = { 0, -1 };
	double w2[2] = { 1, 1 }, b2 = 0, Fa[6] = { 2, 0, 0, 0, 0, 0 }, Ga[3] = { 1, 0, 0 };
	double Fb[9] = { 2, 2, -1, 1, 1, 0, 0, 0, 0 }, z[2];
	struct ls_mlp *a = mlp2(dense(2, 2, wa, ba, LS_ACT_RELU), dense(2, 1, w2, &b2, LS_ACT_IDENTITY));
	struct ls_mlp *b = mlp2(dense(2, 2, wb, bb, LS_ACT_RELU), dense(2, 1, w2, &b2, LS_ACT_IDENTITY));
	struct ls_tropical t;
	struct ls_tpoly raw;

	form(a, 1, &t);
	ok(same_set(&t.f, Fa, 2) && same_set(&t.g, Ga, 1) && t.f_cand == 4,
	   "2-2-1 |x|: F = max(2x, 0), G = x, the tie x removed (of 4 candidates)");
	ls_tropical_free(&t);
	form(b, 0, &t);
	raw = t.f;
	ok(raw.n == 4 && ls_tpoly_margin(&raw, 0, z) > 0.5, "2-2-1 (b): 4 raw monomials, 2x+2y-1 has a margin");
	ls_tpoly_prune(&t.f);
	ok(same_set(&t.f, Fb, 3), "2-2-1 (b): x+y-1 is the redundant monomial");
	ls_tropical_free(&t);
	ls_mlp_free(a);
	ls_mlp_free(b);
}

/* A random MLP in float64 (weights N(0, 1/in), biases N(0, 0.5)). */
static struct ls_mlp *
mlp_random(int d, const int *w, int nh, int nout, enum ls_act act)
{
	struct ls_dense *l = xcalloc((size_t)nh + 1, sizeof *l);
	struct ls_mlp *m;
	char err[LS_ERR_MAX];
	int i, j, in = d;

	for (i = 0; i <= nh; i++) {
		int out = i < nh ? w[i] : nout;
		l[i].in = in, l[i].out = out;
		l[i].w = xmalloc((size_t)in * out * sizeof *l[i].w);
		l[i].b = xmalloc((size_t)out * sizeof *l[i].b);
		for (j = 0; j < in * out; j++)
			l[i].w[j] = rng_normal() / sqrt(in);
		for (j = 0; j < out; j++)
			l[i].b[j] = 0.5 * rng_normal();
		l[i].act = i < nh ? act : LS_ACT_IDENTITY;
		l[i].slope = 0.2;
		in = out;
	}
	if (ls_mlp_create(l, nh + 1, &m, err) != LS_OK)
		exit(99);
	for (i = 0; i <= nh; i++)
		free(l[i].w), free(l[i].b);
	free(l);
	return m;
}

/* Largest |F - G - y| / (1 + |y|) over random points, y the forward pass. */
static double
fg_error(const struct ls_mlp *m, const struct ls_tpoly *f, const struct ls_tpoly *g)
{
	double z[8], *y = xmalloc((size_t)m->out * sizeof *y), e = 0;
	int k, q;

	for (k = 0; k < 300; k++) {
		for (q = 0; q < m->d; q++)
			z[q] = (k % 3 + 1) * 2 * rng_normal();
		ls_mlp_forward(m, z, y);
		e = fmax(e, fabs(ls_tpoly_eval(f, z) - ls_tpoly_eval(g, z) - y[0]) / (1 + fabs(y[0])));
	}
	free(y);
	return e;
}

/* Random nets: F - G = the network; the pruned form computes the same
 * function as the unpruned one; monomial counts equal the distinct pieces
 * over the regions and never exceed the region count; regions <= bound. */
static void
test_random(void)
{
	static const struct { int d, nh, w[3]; enum ls_act act; } cs[] = {
		{ 2, 1, { 5 }, LS_ACT_RELU }, { 2, 2, { 3, 3 }, LS_ACT_RELU }, { 3, 1, { 6 }, LS_ACT_RELU },
		{ 2, 2, { 3, 2 }, LS_ACT_LEAKY }, { 3, 2, { 3, 3 }, LS_ACT_RELU }, { 4, 1, { 5 }, LS_ACT_RELU },
	};
	int c, good[5] = { 1, 1, 1, 1, 1 };
	char err[LS_ERR_MAX];

	for (c = 0; c < (int)(sizeof cs / sizeof cs[0]); c++) {
		struct ls_mlp *m = mlp_random(cs[c].d, cs[c].w, cs[c].nh, 2, cs[c].act);
		struct ls_tropical t, u;
		struct ls_tpoly rf, rg;
		struct ls_rall *r;
		double e1, e2;
		form(m, 1, &t);
		form(m, 0, &u);
		if (ls_regions_all(m, NULL, 0, &r, err) != LS_OK)
			exit(99);
		ls_rall_tropical(r, 0, 0, &rf);
		ls_rall_tropical(r, 0, 1, &rg);
		e1 = fg_error(m, &t.f, &t.g), e2 = fg_error(m, &u.f, &u.g);
		good[0] &= e1 < 1e-9;
		good[1] &= e2 < 1e-9 && u.f.n >= t.f.n;
		good[2] &= rf.n == t.f.n && rg.n == t.g.n;
		good[3] &= t.f.n <= ls_rall_count(r) && t.g.n <= ls_rall_count(r);
		good[4] &= ls_rall_count(r) <= ls_mlp_bound(m);
		diag("case %d: F %ld/%ld (pruned/raw), G %ld/%ld, pieces %ld/%ld, regions %ld, bound %g, err %.2g %.2g",
		     c, t.f.n, u.f.n, t.g.n, u.g.n, rf.n, rg.n, ls_rall_count(r), ls_mlp_bound(m), e1, e2);
		ls_tpoly_free(&rf), ls_tpoly_free(&rg);
		ls_rall_free(r);
		ls_tropical_free(&t), ls_tropical_free(&u);
		ls_mlp_free(m);
	}
	ok(good[0], "random nets: F - G equals the network (1e-9 relative)");
	ok(good[1], "random nets: the unpruned form computes the same function");
	ok(good[2], "random nets: monomials = distinct affine pieces of F, G over the regions");
	ok(good[3], "random nets: monomials never exceed the regions");
	ok(good[4], "random nets: regions within the Zhang-Naitzat-Lim bound");
}

static double
binom(int n, int k)
{
	double c = 1;

	for (int i = 1; i <= k; i++)
		c = c * (n - i + 1) / i;
	return k < 0 || k > n ? 0 : c;
}

/* One hidden layer of n random hyperplanes in R^d (general position): the
 * arrangement has sum_{i<=d} C(n, i) regions, 2 sum_{i<d} C(n-1, i) of them
 * unbounded (Zaslavsky; Buck 1943). */
static void
test_arrangement(void)
{
	static const int cs[4][2] = { { 2, 12 }, { 3, 10 }, { 4, 8 }, { 1, 5 } };
	char err[LS_ERR_MAX];
	int c, i;

	for (c = 0; c < 4; c++) {
		int d = cs[c][0], n = cs[c][1];
		struct ls_mlp *m = mlp_random(d, &n, 1, 3, LS_ACT_RELU);
		struct ls_rall *r;
		double want = 0, unb = 0;
		for (i = 0; i <= d; i++)
			want += binom(n, i), unb += i < d ? 2 * binom(n - 1, i) : 0;
		if (ls_regions_all(m, NULL, 0, &r, err) != LS_OK)
			exit(99);
		ok(ls_rall_count(r) == want && ls_rall_unbounded(r) == unb && ls_rall_linear_count(r) == want,
		   "arrangement of %d hyperplanes in R^%d: %ld regions (want %g), %ld unbounded (want %g)", n, d,
		   ls_rall_count(r), want, ls_rall_unbounded(r), unb);
		ls_rall_free(r);
		ls_mlp_free(m);
	}
}

/* ---- the Python reference -------------------------------------------- */

static enum ls_act
act_of(const char *s)
{
	return !strcmp(s, "relu") ? LS_ACT_RELU : !strcmp(s, "leaky") ? LS_ACT_LEAKY : LS_ACT_IDENTITY;
}

/* Reads one dense layer of the fixture. */
static void
fixture_layer(json_t *jl, struct ls_dense *l)
{
	json_t *w = json_object_get(jl, "w"), *b = json_object_get(jl, "b");
	int i, j;

	l->out = (int)json_array_size(w);
	l->in = (int)json_array_size(json_array_get(w, 0));
	l->w = xmalloc((size_t)l->in * l->out * sizeof *l->w);
	l->b = xmalloc((size_t)l->out * sizeof *l->b);
	for (i = 0; i < l->out; i++) {
		for (j = 0; j < l->in; j++)
			l->w[i * l->in + j] = json_number_value(json_array_get(json_array_get(w, i), j));
		l->b[i] = json_number_value(json_array_get(b, i));
	}
	l->act = act_of(json_string_value(json_object_get(jl, "act")));
	l->slope = json_number_value(json_object_get(jl, "slope"));
}

static struct ls_mlp *
fixture_mlp(json_t *root)
{
	json_t *jl = json_object_get(root, "layers");
	int n = (int)json_array_size(jl), i;
	struct ls_dense *l = xcalloc((size_t)n, sizeof *l);
	struct ls_mlp *m;
	char err[LS_ERR_MAX];

	for (i = 0; i < n; i++)
		fixture_layer(json_array_get(jl, i), &l[i]);
	if (ls_mlp_create(l, n, &m, err) != LS_OK)
		exit(99);
	for (i = 0; i < n; i++)
		free(l[i].w), free(l[i].b);
	free(l);
	return m;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Are the sorted hex patterns of r those of the fixture? */
static int
same_patterns(const struct ls_rall *r, const struct ls_mlp *m, json_t *jp)
{
	long n = ls_rall_count(r), i;
	int nb = (m->units + 8) / 8, k, same = (long)json_array_size(jp) == n;
	char **s = xcalloc((size_t)n + 1, sizeof *s);

	for (i = 0; i < n; i++) {
		s[i] = xcalloc((size_t)2 * nb + 1, 1);
		for (k = 0; k < nb; k++)
			snprintf(s[i] + 2 * k, 3, "%02x", ls_rall_pattern(r, i)[k]);
	}
	qsort(s, (size_t)n, sizeof *s, cmp_str);
	for (i = 0; same && i < n; i++)
		same = !strcmp(s[i], json_string_value(json_array_get(jp, i)));
	for (i = 0; i < n; i++)
		free(s[i]);
	free(s);
	return same;
}

static long
jint(json_t *root, const char *key)
{
	return (long)json_integer_value(json_object_get(root, key));
}

static void
test_reference(void)
{
	char name[64], err[LS_ERR_MAX];
	int i;

	for (i = 1; i <= 6; i++) {
		json_error_t je;
		json_t *root;
		struct ls_mlp *m;
		struct ls_rall *r;
		struct ls_tropical t;
		snprintf(name, sizeof name, "tropical/net%d.json", i);
		if (!(root = json_load_file(fixture(name), 0, &je))) {
			ok(0, "%s: %s", name, je.text);
			continue;
		}
		m = fixture_mlp(root);
		if (ls_regions_all(m, NULL, 0, &r, err) != LS_OK)
			exit(99);
		form(m, 1, &t);
		ok(ls_rall_count(r) == jint(root, "regions") && ls_rall_unbounded(r) == jint(root, "unbounded") &&
			   ls_rall_linear_count(r) == jint(root, "linear_regions"),
		   "%s: %ld regions, %ld unbounded, %ld linear (reference %ld, %ld, %ld)", name, ls_rall_count(r),
		   ls_rall_unbounded(r), ls_rall_linear_count(r), jint(root, "regions"), jint(root, "unbounded"),
		   jint(root, "linear_regions"));
		ok(same_patterns(r, m, json_object_get(root, "patterns")), "%s: the same patterns", name);
		ok(t.f.n == jint(root, "f_monomials") && t.g.n == jint(root, "g_monomials"),
		   "%s: F %ld, G %ld monomials (reference %ld, %ld)", name, t.f.n, t.g.n, jint(root, "f_monomials"),
		   jint(root, "g_monomials"));
		ls_tropical_free(&t);
		ls_rall_free(r);
		ls_mlp_free(m);
		json_decref(root);
	}
}

/* ---- the adapter, the 2-D map, budgets ---------------------------------- */

/* regions --all restricted to a box counts what the 2-D map counts. */
static void
test_box(void)
{
	static const int w[3] = { 2, 10, 8 };
	static const float z0[2] = { 0, 0 }, u[2] = { 1, 0 }, v[2] = { 0, 1 };
	double box[4] = { -1.5, 2, -1, 1.25 };
	struct ls_net *net = net_random(w, 2, LS_LAYER_RELU, LS_LAYER_SIGMOID);
	struct ls_regionmap *rm;
	struct ls_rall *r, *all;
	struct ls_mlp *m;
	char err[LS_ERR_MAX];

	if (ls_mlp_from_net(net, 0, &m, err) != LS_OK || ls_regions_2d(net, z0, u, v, box, 0, &rm, err) != LS_OK ||
	    ls_regions_all(m, box, 0, &r, err) != LS_OK || ls_regions_all(m, NULL, 0, &all, err) != LS_OK) {
		ok(0, "box: %s", err);
		return;
	}
	ok(ls_rall_count(r) == ls_regionmap_count(rm), "box: %ld regions in the box, the 2-D map has %ld",
	   ls_rall_count(r), ls_regionmap_count(rm));
	ok(ls_rall_count(r) <= ls_rall_count(all) && ls_rall_count(all) <= ls_regions_bound(net, 2),
	   "box: %ld in the box <= %ld in the plane <= bound %g", ls_rall_count(r), ls_rall_count(all),
	   ls_regions_bound(net, 2));
	ok(m->units == ls_net_units(net) && ls_mlp_bound(m) == ls_regions_bound(net, 2),
	   "adapter: same units and bound as the net");
	ls_regionmap_free(rm);
	ls_rall_free(r);
	ls_rall_free(all);
	ls_mlp_free(m);
	ls_net_free(net);
}

static void
test_errors(void)
{
	static const int w[3] = { 2, 4, 3 };
	struct ls_net *smooth = net_random(w, 2, LS_LAYER_TANH, LS_LAYER_IDENTITY);
	struct ls_mlp *m = NULL;
	struct ls_rall *r = NULL;
	struct ls_tropical t;
	char err[LS_ERR_MAX] = "";
	int ws[2] = { 12 };

	ok(ls_mlp_from_net(smooth, 0, &m, err) == LS_EINVAL && strstr(err, "not piecewise linear") && !m,
	   "a tanh inside: refused (%s)", err);
	ls_net_free(smooth);
	m = mlp_random(2, ws, 1, 1, LS_ACT_RELU);
	ok(ls_regions_all(m, NULL, 10, &r, err) == LS_ENOMEM && !r && strstr(err, "more than 10"),
	   "region budget: LS_ENOMEM (%s)", err);
	ok(ls_tropical_form(m, 0, 100, 0, &t, err) == LS_ENOMEM, "monomial budget: LS_ENOMEM (%s)", err);
	ok(ls_tropical_form(m, 3, 0, 1, &t, err) == LS_EINVAL, "output out of range: %s", err);
	ls_mlp_free(m);
	{
		double wn = NAN, b = 0;
		struct ls_dense l = dense(1, 1, &wn, &b, LS_ACT_RELU);
		ok(ls_mlp_create(&l, 1, &m, err) == LS_EINVAL && strstr(err, "not finite"), "a NaN weight: refused (%s)", err);
	}
}

/* ---- the hypersurfaces over a plane ------------------------------------ */

/* Distance from (s, t) to the line a s + b t = c. */
static double
line_dist(double s, double t, double a, double b, double c)
{
	return fabs(a * s + b * t - c) / hypot(a, b);
}

/* y = relu(s) - relu(t) + relu(s + t - 1) + 0.5: F = max(s, 0) +
 * max(s + t - 1, 0) + 0.5, G = max(t, 0) (positive weights route to F).
 * F's hypersurface is the lines s = 0 and s + t = 1, G's the line t = 0;
 * F has 4 maximising monomials in [-2, 2]^2 (0, s, s + t - 1, 2s + t - 1),
 * G 2. A pixel is marked when the line passes between it and its right or
 * lower neighbour, so a marked centre is at most one pixel from a line, and
 * the left (upper) pixel of every pair that straddles a line is marked. */
static void
test_map_hand(void)
{
	double w1[6] = { 1, 0, 0, 1, 1, 1 }, b1[3] = { 0, 0, -1 }, w2[3] = { 1, -1, 1 }, b2 = 0.5;
	double z0[2] = { 0, 0 }, u[2] = { 1, 0 }, v[2] = { 0, 1 }, box[4] = { -2, 2, -2, 2 };
	struct ls_mlp *m = mlp2(dense(2, 3, w1, b1, LS_ACT_RELU), dense(3, 1, w2, &b2, LS_ACT_IDENTITY));
	struct ls_tropmap t;
	char err[LS_ERR_MAX];
	const int W = 200, H = 160;
	double px = 4.0 / W, py = 4.0 / H, pmax = fmax(px, py);
	int x, y, far_ok = 1, near_ok = 1, gfar = 1, gnear = 1, nmark = 0;

	ok(ls_tropical_map(m, 0, z0, u, v, box, W, H, &t, err) == LS_OK, "hand map: made (%s)", err);
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++) {
			double s = -2 + (x + 0.5) * px, tt = 2 - (y + 0.5) * py;
			int mk = t.mark[y * W + x];
			double df = fmin(line_dist(s, tt, 1, 0, 0), line_dist(s, tt, 1, 1, 1));
			nmark += mk != 0;
			if ((mk & LS_TMAP_F) && df > pmax * 1.0001)
				far_ok = 0;
			if ((mk & LS_TMAP_G) && fabs(tt) > py * 1.0001)
				gfar = 0;
			/* pairs straddling a line along the row and the column */
			if (x + 1 < W && s < 0 && s + px > 0 &&
			    !(mk & LS_TMAP_F))
				near_ok = 0;
			if (x + 1 < W && s + tt < 1 && s + px + tt > 1 &&
			    !(mk & LS_TMAP_F))
				near_ok = 0;
			if (y + 1 < H && tt > 0 && tt - py < 0 &&
			    !(mk & LS_TMAP_G))
				gnear = 0;
		}
	ok(far_ok, "hand map: F marks lie within a pixel of s = 0 or s + t = 1");
	ok(near_ok, "hand map: every pixel pair straddling s = 0 or s + t = 1 is marked F");
	ok(gfar && gnear, "hand map: G marks exactly along t = 0");
	ok(t.nf == 4 && t.ng == 2, "hand map: 4 monomials of F and 2 of G met (got %ld, %ld)", t.nf, t.ng);
	ok(nmark < W * H / 10, "hand map: lines, not areas (%d marked pixels)", nmark);
	ls_tropmap_free(&t);
	ok(ls_tropical_map(m, 1, z0, u, v, box, W, H, &t, err) == LS_EINVAL, "map: output out of range (%s)", err);
	ok(ls_tropical_map(m, 0, z0, u, v, box, 1, H, &t, err) == LS_EINVAL, "map: 1 pixel wide refused (%s)", err);
	ls_mlp_free(m);
}

/* Index of the maximising monomial of p at z, and the gap to the next. */
static long
argmax_gap(const struct ls_tpoly *p, const double *z, double *gap)
{
	double best = -INFINITY, second = -INFINITY;
	long j, bj = -1;

	for (j = 0; j < p->n; j++) {
		const double *c = p->c + j * (p->d + 1);
		double v = c[p->d];
		for (int q = 0; q < p->d; q++)
			v += c[q] * z[q];
		if (v > best)
			second = best, best = v, bj = j;
		else if (v > second)
			second = v;
	}
	*gap = best - second;
	return bj;
}

/* Random nets (relu, leaky, 2 and 3 hidden layers): the marks equal those
 * from the pruned polynomials of ls_tropical_form (argmax per pixel),
 * except at pixels within 1e-7 of a tie; distinct monomials met never
 * exceed the polynomial's. On a random plane of a 3-D input too. */
static void
test_map_random(void)
{
	static const struct { int d, nh, w[3]; enum ls_act act; } cs[] = {
		{ 2, 1, { 8 }, LS_ACT_RELU }, { 2, 2, { 5, 4 }, LS_ACT_RELU },
		{ 2, 2, { 4, 3 }, LS_ACT_LEAKY }, { 3, 2, { 4, 4 }, LS_ACT_RELU },
	};
	const int W = 48, H = 40;
	int c, good = 1, counts = 1;
	char err[LS_ERR_MAX];

	for (c = 0; c < (int)(sizeof cs / sizeof cs[0]); c++) {
		struct ls_mlp *m = mlp_random(cs[c].d, cs[c].w, cs[c].nh, 1, cs[c].act);
		double z0[3], u[3], v[3], box[4] = { -3, 3, -2.5, 2.5 }, z[3], gap;
		long *af = xmalloc(sizeof *af * W * H * 2), p;
		uint8_t *want = xcalloc((size_t)W * H, 1), *amb = xcalloc((size_t)W * H, 1);
		struct ls_tropical t;
		struct ls_tropmap tm;
		int q, x, y, bad = 0;
		for (q = 0; q < 3; q++)
			z0[q] = 0.3 * rng_normal(), u[q] = q == 0, v[q] = q == 1;
		if (cs[c].d == 3)
			u[2] = 0.5, v[2] = -0.7;
		form(m, 1, &t);
		if (ls_tropical_map(m, 0, z0, u, v, box, W, H, &tm, err) != LS_OK)
			exit(99);
		for (y = 0; y < H; y++)
			for (x = 0; x < W; x++) {
				double s = box[0] + (x + 0.5) / W * 6, tt = box[3] - (y + 0.5) / H * 5;
				p = (long)y * W + x;
				for (q = 0; q < cs[c].d; q++)
					z[q] = z0[q] + s * u[q] + tt * v[q];
				af[2 * p] = argmax_gap(&t.f, z, &gap);
				amb[p] |= gap < 1e-7;
				af[2 * p + 1] = argmax_gap(&t.g, z, &gap);
				amb[p] |= gap < 1e-7;
			}
		for (p = 0; p < (long)W * H; p++)
			for (q = 0; q < 2; q++) {
				long nb[2] = { p % W + 1 < W ? p + 1 : -1, p + W < (long)W * H ? p + W : -1 };
				for (int e = 0; e < 2; e++)
					if (nb[e] >= 0 && af[2 * p + q] != af[2 * nb[e] + q])
						want[p] |= q ? LS_TMAP_G : LS_TMAP_F;
			}
		for (p = 0; p < (long)W * H; p++)
			bad += !amb[p] && want[p] != tm.mark[p];
		good &= bad == 0;
		counts &= tm.nf <= t.f.n && tm.ng <= t.g.n;
		diag("map case %d: F %ld/%ld met, G %ld/%ld, %d pixels differ", c, tm.nf, t.f.n, tm.ng, t.g.n, bad);
		ls_tropmap_free(&tm);
		ls_tropical_free(&t);
		free(af), free(want), free(amb);
		ls_mlp_free(m);
	}
	ok(good, "random nets: map marks = argmax changes of the pruned F and G");
	ok(counts, "random nets: monomials met in the map <= those of the form");
}

int
main(void)
{
	ls_blas_init(1);
	test_one_relu();
	test_triangle();
	test_221();
	test_random();
	test_arrangement();
	test_reference();
	test_box();
	test_errors();
	test_map_hand();
	test_map_random();
	return done_testing();
}
