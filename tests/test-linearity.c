/*
 * test-linearity.c: the linearity meter on closed forms (an affine decoder
 * gives 0, 0, 1; relu cases computed by hand), the Jacobian against finite
 * differences and closed forms, the bank gauges against hand-computed
 * statistics, and paint-to-direction on a linear decoder.
 */
#include "tap.h"
#include "test-regions-net.h"

static struct ls_net *
net_of(struct ls_layer *l, int n)
{
	struct ls_net *net;
	char err[LS_ERR_MAX];

	if (ls_net_create(l, n, &net, err) != LS_OK) {
		fprintf(stderr, "%s\n", err);
		exit(99);
	}
	return net;
}

static void
test_meter(void)
{
	static const float A[15] = { 1, 2, 3, -1, 0, 2, 0.5f, 0.5f, 0, 3, -2, 1, 0, 0, 1 };
	static const float b[5] = { 0.1f, 0.2f, 0.3f, 0.4f, 0.5f }, one[2] = { 1, 1 };
	struct ls_layer *l = xcalloc(3, sizeof *l);
	struct ls_linearity r;
	struct ls_net *net;
	float z[3] = { 0.3f, -1, 2 }, u[3] = { 0.6f, 0.8f, 0 }, v[3] = { 0, 0, 1 };
	float z1 = -1, u1 = 1, z2[2] = { -0.5f, 0 }, e1[2] = { 1, 0 }, e2[2] = { 0, 1 };

	l[0] = layer_affine(3, 5, A, b);
	net = net_of(l, 1);
	ls_linearity_at(net, z, u, 0.7, v, 1.3, &r);
	ok(fabs(r.homogeneity) < 1e-12 && fabs(r.additivity) < 1e-12 && fabs(r.first_order - 1) < 1e-12,
	   "affine decoder: homogeneity %.3g, additivity %.3g, share %.15g", r.homogeneity,
	   r.additivity, r.first_order);
	ls_linearity_at(net, z, u, 0.7, NULL, 0, &r);
	ok(isnan(r.additivity), "additivity is NAN without v");
	ls_net_free(net);

	l = xcalloc(2, sizeof *l);
	l[0] = layer_affine(1, 1, one, NULL);
	l[1] = layer_act(LS_LAYER_RELU, 0);
	net = net_of(l, 2);
	ls_linearity_at(net, &z1, &u1, 2, NULL, 0, &r);
	ok(fabs(r.homogeneity - 0.5) < 1e-15 && r.first_order == 0,
	   "relu at -1, step 2: homogeneity |3 - 2*1| / 2 = 0.5 (got %g), share 0 (got %g)",
	   r.homogeneity, r.first_order);
	ls_net_free(net);

	l = xcalloc(2, sizeof *l);
	l[0] = layer_affine(2, 1, one, NULL);
	l[1] = layer_act(LS_LAYER_RELU, 0);
	net = net_of(l, 2);
	ls_linearity_at(net, z2, e1, 1, e2, 1, &r);
	ok(fabs(r.additivity - 0.5) < 1e-15,
	   "relu(x + y) at (-0.5, 0): additivity |1.5 - 0.5 - 0.5| / (0.5 + 0.5) = 0.5 (got %g)", r.additivity);
	ok(r.first_order == 0,
	   "... share: D = 0.5, J = 0 at z: 0 (got %g)", r.first_order);
	ls_net_free(net);
}

/* J of a smooth random net against central differences of the reference
 * forward pass; sigmoid'(0) = 1/4. */
static void
test_jacobian(void)
{
	int w[4] = { 4, 7, 6, 3 }, i, j;
	struct ls_net *net = net_random(w, 3, LS_LAYER_TANH, LS_LAYER_SIGMOID);
	float z[4] = { 0.2f, -0.4f, 0.9f, -1.1f };
	double J[12], y1[3], y2[3], zd[4], md = 0, jv[3];
	float u[4] = { 0.5f, 0.5f, -0.5f, 0.5f };

	ls_jacobian(net, z, J);
	for (i = 0; i < 4; i++) {
		double h = 1e-5;
		for (j = 0; j < 4; j++)
			zd[j] = z[j];
		zd[i] += h;
		fwd_d(net, zd, y1, NULL, 0);
		zd[i] -= 2 * h;
		fwd_d(net, zd, y2, NULL, 0);
		for (j = 0; j < 3; j++)
			md = fmax(md, fabs((y1[j] - y2[j]) / (2 * h) - J[j * 4 + i]));
	}
	ok(md < 1e-8, "tanh/sigmoid net: Jacobian = central differences (max |diff| %.3g)", md);
	ls_jvp(net, z, u, jv);
	for (md = 0, j = 0; j < 3; j++) {
		double s = 0;
		for (i = 0; i < 4; i++)
			s += J[j * 4 + i] * u[i];
		md = fmax(md, fabs(s - jv[j]));
	}
	ok(md < 1e-14, "J u = the Jacobian-vector product (max |diff| %.3g)", md);
	ls_net_free(net);
	{
		static const float one = 1;
		struct ls_layer *l = xcalloc(2, sizeof *l);
		float z0 = 0;
		double g;
		l[0] = layer_affine(1, 1, &one, NULL);
		l[1] = layer_act(LS_LAYER_SIGMOID, 0);
		net = net_of(l, 2);
		ls_jacobian(net, &z0, &g);
		ok(fabs(g - 0.25) < 1e-15, "sigmoid'(0) = 1/4 (got %.17g)", g);
		ls_net_free(net);
	}
}

static void
test_bankstats(void)
{
	static const float rows[8] = { 1, 0, 2, 0, 3, 1, 4, 1 };
	struct ls_bank *b = ls_bank_from_rows(rows, 4, 2);
	struct ls_bankstats *s = ls_bankstats_create(b);
	/* mean (2.5, 0.5); cov [[5/3, 2/3], [2/3, 1/3]], det 1/9; inverse
	 * 9 [[1/3, -2/3], [-2/3, 5/3]] = [[3, -6], [-6, 15]]. */
	float z[2] = { 3.5f, 0.5f };
	double want = sqrt(3.0);   /* x = (1, 0): x^T C^-1 x = 3 */

	ok(fabs(ls_bankstats_mahalanobis(s, z) - want) < 1e-6, "Mahalanobis distance sqrt(3) (got %.9g)",
	   ls_bankstats_mahalanobis(s, z));
	ok(ls_bankstats_norm_pct(s, 2.5) == 50 && ls_bankstats_norm_pct(s, 0.5) == 0 &&
	   ls_bankstats_norm_pct(s, 100) == 100, "norm percentiles: 50, 0, 100");
	ok(ls_bankstats_mahal_pct(s, 1e9) == 100 && ls_bankstats_mahal_quantile(s, 1) > 0,
	   "Mahalanobis percentile and quantile of the bank");
	ls_bankstats_free(s);
	ls_bank_free(b);
}

/* A linear model y = A z with a 2x2 image, written with ls_st_write. */
static void
test_paint(void)
{
	static const float A[8] = { 3, 4, 1, 0, 0, 1, -1, -1 };
	const char *meta[] = { "linscope.decoder", "dec", "linscope.image", "2x2x1" };
	struct ls_st_out t = { "dec.weight", 2, { 4, 2 }, A };
	char path[512], err[LS_ERR_MAX];
	struct ls_model *m;
	float z[2] = { 0.1f, 0.2f }, u[2];
	double g;
	struct ls_offmanifold o;

	snprintf(path, sizeof path, "%s/lin.safetensors", tmpdir());
	if (ls_st_write(path, &t, 1, meta, 2, err) != LS_OK || ls_model_open(path, &m, err) != LS_OK) {
		fprintf(stderr, "%s\n", err);
		exit(99);
	}
	u[0] = u[1] = 0;
	g = 0;
	if (ls_paint_direction(m, z, 0, 0, 1, 1, u, &g, err) != LS_OK)
		diag("%s", err);
	ok(fabs(u[0] - 0.6) < 1e-6 &&
	   fabs(u[1] - 0.8) < 1e-6 && fabs(g - 5) < 1e-12,
	   "pixel (0,0) = 3 z0 + 4 z1: direction (0.6, 0.8), gain 5 (got %g, %g, %g)", u[0], u[1], g);
	ok(ls_paint_direction(m, z, 1, 1, 2, 2, u, &g, err) == LS_OK && fabs(u[0] + 0.70710678) < 1e-6 &&
	   fabs(u[1] + 0.70710678) < 1e-6, "pixel (1,1) = -z0 - z1: direction -(1,1)/sqrt2, brightening");
	ok(ls_paint_direction(m, z, 0, 0, 3, 1, u, &g, err) == LS_EINVAL, "a mask outside the image is refused: %s", err);
	ok(ls_paint_direction(m, z, 1, 0, 1, 1, u, &g, err) == LS_EINVAL, "an empty mask is refused");
	ok(isnan(ls_round_trip_drift(m, z)), "no encoder: drift is NAN");
	{
		static const float rows[4] = { 0, 0, 1, 1 };
		struct ls_bank *b = ls_bank_from_rows(rows, 2, 2);
		struct ls_bankstats *s = ls_bankstats_create(b);
		ls_offmanifold(m, s, z, &o);
		ok(fabs(o.norm - sqrt(0.05)) < 1e-7 && o.norm_pct == 50 && isnan(o.drift),
		   "off-manifold gauges: norm %g at percentile %g", o.norm, o.norm_pct);
		ls_bankstats_free(s);
		ls_bank_free(b);
	}
	ls_model_free(m);
	unlink(path);
	rmdir(tmpdir());
}

int
main(void)
{
	test_meter();
	test_jacobian();
	test_bankstats();
	test_paint();
	return done_testing();
}
