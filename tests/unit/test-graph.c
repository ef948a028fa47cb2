/*
 * test-graph.c: the graph runtime against PyTorch. Every fixture of
 * tests/fixtures/onnx/MANIFEST.json (made by tools/make_onnx_fixtures.py)
 * is built from its ONNX file and run on its input NAME-z.npy: the batch
 * of 5 at once and each row alone (GEMV and GEMM paths) must match the
 * torch output NAME-y.npy to 1e-4 relative; the float64 forward too; a
 * fixed-batch export decodes 5 rows; the piecewise-linear flag matches the
 * manifest; bad files fail with one line naming the file.
 */
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "linscope/model.h"
#include "linscope/npy.h"
#include "linscope/onnx.h"
#include "analysis/regions_priv.h"
#include "linscope/regions.h"
#include "model/graph.h"
#include "tap.h"
#include "test-regions-net.h"

static float *
npy_load(const char *name, long *n)
{
	char err[LS_ERR_MAX];
	struct ls_npy *a;
	float *v;

	if (ls_npy_open(fixture(name), &a, err) != LS_OK) {
		diag("%s", err);
		return NULL;
	}
	*n = (long)a->numel;
	v = xmalloc((size_t)a->numel * sizeof *v + 4);
	ls_npy_read_f32(a, 0, a->numel, v);
	ls_npy_free(a);
	return v;
}

static struct ls_net *
net_load(const char *file, char *err)
{
	struct ls_onnx *o;
	struct ls_net *net = NULL;
	char path[512];

	snprintf(path, sizeof path, "onnx/%s", file);
	if (ls_onnx_open(fixture(path), &o, err) != LS_OK)
		return NULL;
	ls_onnx_net(o, &net, err);
	ls_onnx_free(o);
	return net;
}

/* max |a - b| / max(1, max |b|) */
static double
rel_diff(const float *a, const float *b, long n)
{
	double m = 0, s = 1;
	long i;

	for (i = 0; i < n; i++) {
		if (fabs(b[i]) > s)
			s = fabs(b[i]);
		if (!(fabs(a[i] - b[i]) <= m))
			m = isnan(a[i]) ? INFINITY : fabs(a[i] - b[i]);
	}
	return m / s;
}

/* The float64 forward of rows, as floats. */
static void
forward64(const struct ls_net *net, const float *z, long rows, float *y)
{
	const struct ls_graph *g = ls_net_graph(net);
	double *x = xmalloc((size_t)(rows * net->in) * sizeof *x), **vals, *blk;
	long i;

	for (i = 0; i < rows * net->in; i++)
		x[i] = z[i];
	blk = graph_forward64_all(g, x, rows, &vals);
	for (i = 0; i < rows * net->out; i++)
		y[i] = (float)vals[g->outv][i];
	free(blk), free(vals), free(x);
}

/* The linear parts along a direction = central differences of the float64
 * forward (every kind's lin, through the whole graph). */
static double
lin_vs_fd(const struct ls_net *net, const float *z)
{
	const struct ls_graph *g = ls_net_graph(net);
	int in = net->in, out = net->out, i;
	double *x = xmalloc(3 * (size_t)in * sizeof *x), *u = x + in, *xs = u + in, h = 1e-6;
	double *dy = xmalloc((size_t)out * sizeof *dy), **v, *blk, worst = 0, sc = 1e-3;
	double *yp = xmalloc(2 * (size_t)out * sizeof *yp);

	for (i = 0; i < in; i++)
		x[i] = z[i], u[i] = sin(1.0 + i);
	if (graph_lin(g, x, u, 1, NULL, dy, NULL) != LS_OK)
		worst = INFINITY;
	for (int sgn = 0; sgn < 2; sgn++) {
		for (i = 0; i < in; i++)
			xs[i] = x[i] + (sgn ? -h : h) * u[i];
		blk = graph_forward64_all(g, xs, 1, &v);
		memcpy(yp + sgn * out, v[g->outv], (size_t)out * sizeof *yp);
		free(blk), free(v);
	}
	for (i = 0; i < out; i++)
		sc = fmax(sc, fabs(dy[i]));
	for (i = 0; i < out; i++)
		worst = fmax(worst, fabs((yp[i] - yp[out + i]) / (2 * h) - dy[i]) / sc);
	free(x), free(dy), free(yp);
	return worst;
}

static void
check_fixture(const char *name, int pl_want)
{
	char err[LS_ERR_MAX] = "", file[256], zf[256], yf[256];
	struct ls_net *net;
	float *z, *y, *got;
	long nz, ny, rows, r;
	double d5, d1 = 0, d64;

	snprintf(file, sizeof file, "%s.onnx", name);
	snprintf(zf, sizeof zf, "onnx/%s-z.npy", name);
	snprintf(yf, sizeof yf, "onnx/%s-y.npy", name);
	net = net_load(file, err);
	if (!ok(net != NULL, "%s: builds", name)) {
		diag("%s", err);
		return;
	}
	z = npy_load(zf, &nz), y = npy_load(yf, &ny);
	rows = nz / net->in;
	if (!ok(z && y && rows * net->in == nz && rows * net->out == ny, "%s: %ld rows of %d -> %d",
		name, rows, net->in, net->out)) {
		ls_net_free(net), free(z), free(y);
		return;
	}
	got = xcalloc((size_t)ny, sizeof *got);
	ls_net_forward(net, z, rows, got);
	d5 = rel_diff(got, y, ny);
	for (r = 0; r < rows; r++) {
		double d;
		ls_net_forward(net, z + r * net->in, 1, got + r * net->out);
		d = rel_diff(got + r * net->out, y + r * net->out, net->out);
		d1 = d > d1 ? d : d1;
	}
	forward64(net, z, rows, got);
	d64 = rel_diff(got, y, ny);
	ok(d5 <= 1e-4, "%s: batch of %ld matches torch (rel %.2g)", name, rows, d5);
	ok(d1 <= 1e-4, "%s: one row at a time matches torch (rel %.2g)", name, d1);
	ok(d64 <= 1e-4, "%s: float64 forward matches torch (rel %.2g)", name, d64);
	d64 = lin_vs_fd(net, z);
	ok(d64 <= 1e-5, "%s: linear part = central differences (rel %.2g)", name, d64);
	if (pl_want >= 0)
		ok((graph_pl_head(ls_net_graph(net), NULL, &(int){ 0 }) != GPL_SMOOTH) == pl_want,
		   "%s: piecewise linear (before a final sigmoid/tanh) is %d", name, pl_want);
	ls_net_free(net);
	free(z), free(y), free(got);
}

/* A batch-1 export decodes 5 rows: each as the same row alone. */
static void
check_fixedbatch(void)
{
	char err[LS_ERR_MAX];
	struct ls_net *net = net_load("fixedbatch.onnx", err);
	float *z, *y, *one;
	long nz, ny, i, r;
	double d = 0;

	if (!ok(net != NULL, "fixedbatch: builds"))
		return;
	z = npy_load("onnx/fixedbatch-z.npy", &nz);
	y = npy_load("onnx/fixedbatch-y.npy", &ny);
	{
		float *z5 = xmalloc(5 * (size_t)net->in * sizeof *z5), *y5 = xmalloc(5 * (size_t)net->out * sizeof *y5);
		one = xmalloc((size_t)net->out * sizeof *one);
		for (r = 0; r < 5; r++)
			for (i = 0; i < net->in; i++)
				z5[r * net->in + i] = r == 2 ? z[i] : z[i] * (float)(r + 1) * 0.5f - 0.1f * (float)r;
		ls_net_forward(net, z5, 5, y5);
		ok(rel_diff(y5 + 2 * net->out, y, ny) <= 1e-4, "fixedbatch: row 3 of a batch of 5 matches torch");
		for (r = 0; r < 5; r++) {
			double e;
			ls_net_forward(net, z5 + r * net->in, 1, one);
			e = rel_diff(y5 + r * net->out, one, net->out);
			d = e > d ? e : d;
		}
		ok(d <= 1e-6, "fixedbatch: 5 rows decode as each row alone (rel %.2g)", d);
		free(z5), free(y5), free(one);
	}
	free(z), free(y);
	ls_net_free(net);
}

static void
check_bad(const char *file)
{
	char err[LS_ERR_MAX] = "";
	struct ls_net *net = net_load(file, err);

	ok(!net && strstr(err, file) && !strchr(err, '\n'), "%s: refused with one line naming the file", file);
	diag("%s", err);
	ls_net_free(net);
}

/* Exact pieces through the node table against the float64 numpy
 * reference of tools/onnx_regions_ref.py (NAME-regions.json), and dense
 * sampling: every sampled pattern change lies in a piece boundary's gap. */
static void
check_regions(const char *name)
{
	char err[LS_ERR_MAX], file[256], jf[256];
	json_error_t je;
	json_t *j, *bp;
	struct ls_net *net;
	struct ls_pieces p;
	float *z0, *u;
	double worst = 0;
	size_t i;
	int k;

	snprintf(file, sizeof file, "%s.onnx", name);
	snprintf(jf, sizeof jf, "onnx/%s-regions.json", name);
	if (!(j = json_load_file(fixture(jf), 0, &je)))
		return;
	net = net_load(file, err);
	if (!ok(net && !net->layers, "%s: a graph without a layer view", name)) {
		json_decref(j);
		ls_net_free(net);
		return;
	}
	z0 = xmalloc((size_t)net->in * sizeof *z0), u = xmalloc((size_t)net->in * sizeof *u);
	for (k = 0; k < net->in; k++) {
		z0[k] = (float)json_real_value(json_array_get(json_object_get(j, "z0"), (size_t)k));
		u[k] = (float)json_real_value(json_array_get(json_object_get(j, "u"), (size_t)k));
	}
	bp = json_object_get(j, "breakpoints");
	if (ok(ls_regions_1d(net, z0, u, -3, 3, &p, err) == LS_OK, "%s: exact pieces", name)) {
		ok(p.npieces - 1 == (int)json_array_size(bp), "%s: %d pieces, the numpy reference finds %zu breakpoints",
		   name, p.npieces, json_array_size(bp));
		for (i = 0; i < json_array_size(bp) && (int)i < p.npieces - 1; i++)
			worst = fmax(worst, fabs(p.bp[i] - json_real_value(json_array_get(bp, i))));
		ok(worst < 1e-7, "%s: breakpoints agree with the reference (max diff %.2g)", name, worst);
		ls_pieces_free(&p);
	} else {
		diag("%s", err);
	}
	json_decref(j);
	free(z0), free(u);
	ls_net_free(net);
}

/* Fills f (n) from a JSON array of numbers. */
static void
json_floats(json_t *a, float *f, int n)
{
	int k;

	for (k = 0; k < n; k++)
		f[k] = (float)json_number_value(json_array_get(a, (size_t)k));
}

/* Area sum, distinct patterns and each region's pattern = the forward
 * pattern at its centroid; returns the number of regions that fail. */
static long
map_selfcheck(struct ls_net *net, const struct ls_regionmap *rm, const float *z0, const float *u,
	      const float *v, double *area)
{
	int nb = (ls_net_units(net) + 7) / 8, k, nv;
	uint8_t *bits = xcalloc((size_t)nb + 1, 1);
	uint64_t *id = xmalloc(((size_t)ls_regionmap_count(rm) + 1) * sizeof *id);
	float *z = xmalloc((size_t)net->in * sizeof *z);
	long i, j, bad = 0, n = ls_regionmap_count(rm);

	*area = 0;
	for (i = 0; i < n; i++) {
		const double *p = ls_regionmap_polygon(rm, i, &nv);
		double s = 0, t = 0;
		for (k = 0; k < nv; k++)
			s += p[2 * k] / nv, t += p[2 * k + 1] / nv;
		for (k = 0; k < net->in; k++)
			z[k] = (float)(z0[k] + s * u[k] + t * v[k]);
		ls_net_pattern(net, z, bits);
		bad += memcmp(bits, ls_regionmap_pattern(rm, i), (size_t)nb) != 0;
		*area += ls_regionmap_area(rm, i);
		id[i] = ls_regionmap_id(rm, i);
	}
	for (i = 0; i < n; i++)   /* distinct patterns (ids stand for them) */
		for (j = i + 1; j < n; j++)
			bad += id[i] == id[j];
	free(bits), free(id), free(z);
	return bad;
}

/* Exact 2-D region map through the node table against the numpy
 * reference (NAME-regions2d.json): on an N x N grid, two samples share a
 * polygon iff they share the reference's pattern class, so the polygons
 * hit are as many as the classes. */
static void
check_regions2d(const char *name)
{
	char err[LS_ERR_MAX], file[256], jf[256];
	json_error_t je;
	json_t *j, *cl;
	struct ls_net *net;
	struct ls_regionmap *rm = NULL;
	double box[4], area, t0;
	float *z0, *u, *v;
	long *poly_cls, *cls_poly, n, i, k, conflicts = 0, hit = 0, nc, bad;

	snprintf(file, sizeof file, "%s.onnx", name);
	snprintf(jf, sizeof jf, "onnx/%s-regions2d.json", name);
	if (!ok((j = json_load_file(fixture(jf), 0, &je)) != NULL, "%s loads", jf))
		return;
	if (!(net = net_load(file, err))) {
		ok(0, "%s: %s", name, err);
		json_decref(j);
		return;
	}
	z0 = xmalloc(3 * (size_t)net->in * sizeof *z0), u = z0 + net->in, v = u + net->in;
	json_floats(json_object_get(j, "z0"), z0, net->in);
	json_floats(json_object_get(j, "u"), u, net->in);
	json_floats(json_object_get(j, "v"), v, net->in);
	for (k = 0; k < 4; k++)
		box[k] = json_number_value(json_array_get(json_object_get(j, "box"), (size_t)k));
	n = (long)json_integer_value(json_object_get(j, "n"));
	nc = (long)json_integer_value(json_object_get(j, "count"));
	cl = json_object_get(j, "classes");
	t0 = ls_now();
	if (!ok(ls_regions_2d(net, z0, u, v, box, 0, &rm, err) == LS_OK, "%s: exact 2-D map", name)) {
		diag("%s", err);
		goto out;
	}
	diag("%s: %ld regions (%ld linear) in %.3f s", name, ls_regionmap_count(rm),
	     ls_regionmap_linear_count(rm), ls_now() - t0);
	poly_cls = xmalloc(((size_t)ls_regionmap_count(rm) + 1) * sizeof *poly_cls);
	cls_poly = xmalloc(((size_t)nc + 1) * sizeof *cls_poly);
	memset(poly_cls, 0xff, ((size_t)ls_regionmap_count(rm) + 1) * sizeof *poly_cls);
	memset(cls_poly, 0xff, ((size_t)nc + 1) * sizeof *cls_poly);
	for (i = 0; i < n * n; i++) {
		long c = (long)json_integer_value(json_array_get(cl, (size_t)i)), r;
		double s = box[0] + (i % n + 0.5) * (box[1] - box[0]) / n;
		double t = box[2] + (i / n + 0.5) * (box[3] - box[2]) / n;
		if (c < 0)
			continue;
		if ((r = ls_regionmap_locate(rm, s, t)) < 0) {
			conflicts++;
			continue;
		}
		if (poly_cls[r] < 0 && cls_poly[c] < 0)
			poly_cls[r] = c, cls_poly[c] = r, hit++;
		else if (poly_cls[r] != c || cls_poly[c] != r)
			conflicts++;
	}
	ok(conflicts == 0 && hit == nc, "%s: %ld polygons hold the reference's %ld patterns on a %ldx%ld "
	   "grid one to one (%ld samples disagree)", name, hit, nc, n, n, conflicts);
	bad = map_selfcheck(net, rm, z0, u, v, &area);
	ok(bad == 0 && fabs(area - (box[1] - box[0]) * (box[3] - box[2])) < 1e-9 * fabs(area),
	   "%s: polygons tile the box (area %.12g) with distinct patterns, each the forward "
	   "pattern at its centroid (%ld fail)", name, area, bad);
	free(poly_cls), free(cls_poly);
out:
	ls_regionmap_free(rm);
	json_decref(j);
	free(z0);
	ls_net_free(net);
}

/* A graph map past its region cap or its memory budget stops with a clear
 * error and no map. */
static void
check_regions2d_limits(void)
{
	static const double box[4] = { -1, 1, -1, 1 };
	char err[LS_ERR_MAX] = "";
	struct ls_net *net = net_load("dcgan32.onnx", err);
	struct ls_regionmap *rm = NULL;
	float z0[8] = { 0.1f, 0.2f, -0.3f, 0.4f, 0.5f, -0.6f, 0.7f, 0.8f }, u[8] = { 1 }, v[8] = { 0, 1 };

	if (!ok(net != NULL, "dcgan32 loads"))
		return;
	ok(ls_regions_2d(net, z0, u, v, box, 100, &rm, err) == LS_ENOMEM && !rm &&
	   strstr(err, "more than 100 regions"), "graph map: the region cap stops it (%s)", err);
	ls_regions_set_mem_max(1 << 20);
	ok(ls_regions_2d(net, z0, u, v, box, 0, &rm, err) == LS_ENOMEM && !rm &&
	   strstr(err, "memory budget"), "graph map: the memory budget stops it (%s)", err);
	ls_regions_set_mem_max(0);
	ok(ls_regions_2d(net, z0, u, v, box, 0, &rm, err) == LS_OK && ls_regionmap_count(rm) > 1000,
	   "graph map: the default budget lets it finish");
	ls_regionmap_free(rm);
	ls_net_free(net);
}

/* The node-table cuts agree with the layer-wise cuts on MLPs: regions,
 * linear regions and the sorted areas. */
static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
check_2d_vs_layers(void)
{
	static const int w[] = { 3, 12, 10, 4 };
	static const double box[4] = { -3, 3, -2, 2.5 };
	static const struct ls_regionmap_opts no_limit = { 0, NULL };
	char err[LS_ERR_MAX];
	int t, same = 1, k;
	long i, tot = 0;

	for (t = 0; t < 6; t++) {
		struct ls_net *net = net_random(w, 3, t % 2 ? LS_LAYER_LEAKY_RELU : LS_LAYER_RELU,
						t % 3 ? LS_LAYER_IDENTITY : LS_LAYER_SIGMOID);
		float z0[3], u[3], v[3];
		struct ls_regionmap *a = NULL, *b = NULL;
		for (k = 0; k < 3; k++)
			z0[k] = (float)rng_normal(), u[k] = (float)rng_normal(), v[k] = (float)rng_normal();
		if (ls_regions_2d(net, z0, u, v, box, 0, &a, err) != LS_OK ||
		    regions_graph_2d(net, z0, u, v, box, &no_limit, &b, err) != LS_OK) {
			diag("%s", err);
			same = 0;
		} else if (ls_regionmap_count(a) != ls_regionmap_count(b) ||
			   ls_regionmap_linear_count(a) != ls_regionmap_linear_count(b)) {
			diag("random MLP %d: %ld/%ld regions layer-wise, %ld/%ld by the node table", t,
			     ls_regionmap_count(a), ls_regionmap_linear_count(a), ls_regionmap_count(b),
			     ls_regionmap_linear_count(b));
			same = 0;
		} else {
			long n = ls_regionmap_count(a);
			double *x = xmalloc(2 * (size_t)n * sizeof *x);
			for (i = 0; i < n; i++)
				x[i] = ls_regionmap_area(a, i), x[n + i] = ls_regionmap_area(b, i);
			qsort(x, (size_t)n, sizeof *x, cmp_double);
			qsort(x + n, (size_t)n, sizeof *x, cmp_double);
			for (i = 0; i < n; i++)
				same &= fabs(x[i] - x[n + i]) < 1e-9;
			tot += n;
			free(x);
		}
		ls_regionmap_free(a), ls_regionmap_free(b);
		ls_net_free(net);
	}
	ok(same && tot > 100, "node-table 2-D cuts = layer-wise regions, linear regions and areas on 6 "
	   "random MLPs (%ld regions)", tot);
}

/* The node-table walk agrees with the layer-wise insertion on MLPs. */
static void
check_walk_vs_layers(void)
{
	static const int w[] = { 3, 12, 10, 4 };
	char err[LS_ERR_MAX];
	int t, same = 1, k;

	for (t = 0; t < 10; t++) {
		struct ls_net *net = net_random(w, 3, t % 2 ? LS_LAYER_LEAKY_RELU : LS_LAYER_RELU,
						LS_LAYER_IDENTITY);
		float z0[3], u[3];
		struct ls_pieces a, b;
		for (k = 0; k < 3; k++)
			z0[k] = (float)rng_normal(), u[k] = (float)rng_normal() / 1.7f;
		if (ls_regions_1d(net, z0, u, -4, 4, &a, err) != LS_OK ||
		    regions_graph_1d(net, z0, u, -4, 4, NULL, &b, err) != LS_OK) {
			same = 0;
			ls_net_free(net);
			continue;
		}
		same &= a.npieces == b.npieces && a.nlinear == b.nlinear;
		for (k = 0; same && k < a.npieces - 1; k++)
			same &= fabs(a.bp[k] - b.bp[k]) < 1e-8 && a.flips[k] == b.flips[k];
		ls_pieces_free(&a), ls_pieces_free(&b);
		ls_net_free(net);
	}
	ok(same, "node-table walk = layer-wise pieces, flips and linear pieces on 10 random MLPs");
}

struct lin_job {
	const struct ls_graph *g;
	const double *x;
	double *dy;
	long k;
};

static void *
lin_run(void *arg)
{
	struct lin_job *j = arg;

	graph_lin(j->g, j->x, j->x + j->g->inn, j->k, NULL, j->dy, NULL);
	return NULL;
}

/* Nodes holding float64 weight copies that graph_need64 makes (not the
 * builder's exact ones). */
static int
lazy_copies(const struct ls_graph *g)
{
	int i, n = 0;

	for (i = 0; i < g->nnodes; i++)
		n += !g->nodes[i].wd_exact && (g->nodes[i].wd || g->nodes[i].bd);
	return n;
}

/* The float64 copies are made on first use only, once, also when two
 * threads ask at the same moment: both get the serial answer. */
static void
check_lazy64(const char *file)
{
	char err[LS_ERR_MAX];
	struct ls_net *a = net_load(file, err), *b = net_load(file, err);
	struct lin_job j[2];
	pthread_t th;
	double *x, *dy;
	long k = 3, i, out;
	int weighted = 0;

	if (!ok(a && b, "%s opens twice", file))
		return;
	out = a->out;
	for (i = 0; i < ls_net_graph(a)->nnodes; i++)
		weighted += ls_net_graph(a)->nodes[i].nw > 0 && !ls_net_graph(a)->nodes[i].wd_exact;
	ok(weighted > 0 && lazy_copies(ls_net_graph(a)) == 0,
	   "%s: no float64 copies after open (%d weighted nodes)", file, weighted);
	x = xmalloc((size_t)(a->in * (k + 1)) * sizeof *x);
	for (i = 0; i < a->in * (k + 1); i++)
		x[i] = sin(0.7 * (double)i);
	dy = xcalloc((size_t)(3 * out * k), sizeof *dy);
	j[0] = (struct lin_job){ ls_net_graph(a), x, dy, k };
	lin_run(&j[0]);
	ok(lazy_copies(ls_net_graph(a)) == weighted, "%s: made by the first linear map (%d)", file,
	   lazy_copies(ls_net_graph(a)));
	j[0] = (struct lin_job){ ls_net_graph(b), x, dy + out * k, k };
	j[1] = (struct lin_job){ ls_net_graph(b), x, dy + 2 * out * k, k };
	pthread_create(&th, NULL, lin_run, &j[1]);
	lin_run(&j[0]);
	pthread_join(th, NULL);
	ok(!memcmp(dy, dy + out * k, (size_t)(out * k) * sizeof *dy) &&
	   !memcmp(dy, dy + 2 * out * k, (size_t)(out * k) * sizeof *dy),
	   "%s: two threads at once on a fresh net = the serial linear map", file);
	free(x), free(dy);
	ls_net_free(a), ls_net_free(b);
}

int
main(void)
{
	json_error_t je;
	json_t *m = json_load_file(fixture("onnx/MANIFEST.json"), 0, &je), *fx, *f;
	size_t i;

	if (!ok(m != NULL, "MANIFEST.json loads"))
		return done_testing();
	fx = json_object_get(m, "fixtures");
	json_array_foreach(fx, i, f) {
		const char *name = json_string_value(json_object_get(f, "name"));
		json_t *pl = json_object_get(f, "piecewise_linear");
		if (!strcmp(name, "squeeze-if") || !json_object_get(f, "y_shapes"))
			continue;
		check_fixture(name, json_is_boolean(pl) ? json_is_true(pl) : -1);
	}
	check_fixedbatch();
	check_walk_vs_layers();
	check_regions("dcgan32");
	check_regions("convvae-dec");
	check_regions("maxpool-s2p1");
	check_regions("residual");
	check_lazy64("dcgan32.onnx");
	check_2d_vs_layers();
	check_regions2d("dcgan32");
	check_regions2d("convvae-dec");
	check_regions2d("maxpool-s2p1");
	check_regions2d("upres");
	check_regions2d_limits();
	check_bad("bad-unsupported-op.onnx");
	check_bad("bad-missing-init.onnx");
	check_bad("bad-chain.onnx");
	check_bad("squeeze-if.onnx");
	json_decref(m);
	return done_testing();
}
