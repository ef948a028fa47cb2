/*
 * cli_tropical.c: `linscope tropical` (F and G of one output unit),
 * `linscope regions --all` (every region of the whole latent space) and
 * `linscope regionmap --all` (the map of all of them, d = 2).
 *
 * All three read the model, turn its decoder into a plain MLP with the
 * one adapter (ls_mlp_from_net()) and print counts and times. Bad input or
 * a budget exceeded: one line on stderr, exit 2.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_tropical.h"
#include "linscope/png.h"
#include "linscope/regions.h"
#include "linscope/tropical.h"

enum { TR_ALL = 2000, TR_OUTPUT, TR_LAYERS, TR_MAXM, TR_MAXR, TR_BOX, TR_LIST, TR_NOPRUNE, TR_METHOD, TR_PNG };

struct tr_opts {
	const char *cmd, *model, *out, *png;
	int json, list, all, prune;
	long output, layers, maxm, maxr;
	double *box;
	long nbox;
	int have_output, by_regions;
};

/* A non-negative count option. */
static int
tr_count(const struct tr_opts *o, const char *name, const char *v, long *x, long lo)
{
	if (ls_parse_long(v, x) || *x < lo)
		return cli_usage(o->cmd, "%s wants an integer >= %ld, not '%s'", name, lo, v);
	return 0;
}

/* --box lo1,hi1,lo2,hi2,... */
static int
tr_box(struct tr_opts *o, const char *v)
{
	float *f;
	long n = ls_parse_floats(v, &f), i;

	if (n < 2 || n % 2) {
		if (n >= 0)
			free(f);
		return cli_usage(o->cmd, "--box wants lo,hi pairs for every latent dimension, not '%s'", v);
	}
	free(o->box);
	o->box = xmalloc((size_t)n * sizeof *o->box);
	for (i = 0; i < n; i++)
		o->box[i] = f[i];
	free(f);
	o->nbox = n;
	for (i = 0; i < n; i += 2)
		if (!isfinite(o->box[i]) || !isfinite(o->box[i + 1]) || !(o->box[i] < o->box[i + 1]))
			return cli_usage(o->cmd, "--box: each pair wants finite lo < hi");
	return 0;
}

static int
tr_opt(struct tr_opts *o, int c, const char *v)
{
	switch (c) {
	case 'm': o->model = v; return 0;
	case 'o': o->out = v; return 0;
	case OPT_JSON: o->json = 1; return 0;
	case TR_ALL: o->all = 1; return 0;
	case TR_LIST: o->list = 1; return 0;
	case TR_NOPRUNE: o->prune = 0; return 0;
	case TR_OUTPUT: o->have_output = 1; return tr_count(o, "--output", v, &o->output, 0);
	case TR_LAYERS: return tr_count(o, "--layers", v, &o->layers, 1);
	case TR_MAXM: return tr_count(o, "--max-monomials", v, &o->maxm, 1);
	case TR_MAXR: return tr_count(o, "--max-regions", v, &o->maxr, 1);
	case TR_BOX: return tr_box(o, v);
	case TR_PNG: o->png = v; return 0;
	case TR_METHOD:
		if (strcmp(v, "compose") && strcmp(v, "regions"))
			return cli_usage(o->cmd, "--method wants compose or regions, not '%s'", v);
		o->by_regions = !strcmp(v, "regions");
		return 0;
	}
	return 2;
}

/* getopt_long over the options; -1 for --help. */
static int
tr_parse(int argc, char **argv, struct tr_opts *o)
{
	static const struct option lo[] = {
		{ "help", no_argument, 0, 'h' }, { "json", no_argument, 0, OPT_JSON },
		{ "all", no_argument, 0, TR_ALL }, { "output", required_argument, 0, TR_OUTPUT },
		{ "layers", required_argument, 0, TR_LAYERS }, { "list", no_argument, 0, TR_LIST },
		{ "max-monomials", required_argument, 0, TR_MAXM }, { "no-prune", no_argument, 0, TR_NOPRUNE },
		{ "max-regions", required_argument, 0, TR_MAXR }, { "box", required_argument, 0, TR_BOX },
		{ "method", required_argument, 0, TR_METHOD }, { "png", required_argument, 0, TR_PNG },
		{ 0, 0, 0, 0 } };
	int c, r;

	optind = 1;
	while ((c = getopt_long(argc, argv, "hm:o:", lo, NULL)) != -1) {
		if (c == 'h')
			return -1;
		if ((r = tr_opt(o, c, optarg)) != 0)
			return r;
	}
	if (optind < argc)
		return cli_usage(o->cmd, "unexpected argument '%s'", argv[optind]);
	return 0;
}

int
cli_has_all(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--all"))
			return 1;
	return 0;
}

/* Model and its MLP (sub-network of --layers N). */
static enum ls_status
tr_load(const struct tr_opts *o, struct ls_model **m, struct ls_mlp **mlp, char *err)
{
	enum ls_status s;

	*mlp = NULL;
	if ((s = cli_model_open(o->model, m, err)) != LS_OK)
		return s;
	if ((s = ls_mlp_from_net(ls_model_decoder(*m), (int)o->layers, mlp, err)) != LS_OK) {
		char tmp[LS_ERR_MAX];
		snprintf(tmp, sizeof tmp, "%s: %s", ls_model_path(*m), err);
		memcpy(err, tmp, sizeof tmp);
	}
	return s;
}

#define MAP_W 512   /* tropical --png width */

/* ---- tropical ----------------------------------------------------------- */

static const char tropical_help[] =
	"usage: linscope tropical [-m MODEL] --output K [--layers N] [--json] [--list]\n"
	"                         [--max-monomials M] [--no-prune] [--method compose|regions]\n"
	"       linscope tropical [-m MODEL] --output K --png MAP.png [--box S0,S1,T0,T1]\n"
	"\n"
	"The tropical form of output unit K of the decoder (before its final smooth\n"
	"activation): K's value is F(z) - G(z), F and G maxima of affine functions\n"
	"a.z + b (monomials), composed layer by layer as in Zhang, Naitzat & Lim\n"
	"(2018), with redundant monomials (never the strict maximum on an open set)\n"
	"removed after every step by linear programs (GLPK).\n"
	"  --layers N        analyse the sub-network of the first N hidden layers:\n"
	"                    K is then a pre-activation of hidden layer N + 1\n"
	"  --list            print the monomials (a_1 ... a_d b per line)\n"
	"  --max-monomials M a candidate set larger than M is an error (exit 2);\n"
	"                    default 1000000\n"
	"  --no-prune        keep every monomial (exponential; small nets only)\n"
	"  --method regions  instead of composing, enumerate every activation region\n"
	"                    (as 'regions --all') and keep the distinct affine pieces\n"
	"                    of F and G: the same non-redundant monomials, often much\n"
	"                    faster (candidates and naive counts are then 0)\n"
	"  --max-regions N   the region budget of --method regions (default 10^6)\n"
	"  --png MAP.png     d = 2: instead, the tropical hypersurfaces of F (orange)\n"
	"                    and G (cyan; white where both) over the latent plane,\n"
	"                    512 pixels wide, across --box (default -3,3,-3,3); dim\n"
	"                    colours are the affine pieces of F - G. No polynomial\n"
	"                    is expanded (fast for any width)\n"
	"Printed: monomials of F and G after pruning, before the last pruning\n"
	"(candidates) and without any pruning (naive, counted), the largest\n"
	"candidate set, the time. --json: one object with those keys and the\n"
	"monomials (\"f\", \"g\": arrays of [a_1, ..., a_d, b]).\n";

static void
print_poly_json(const char *name, const struct ls_tpoly *p, long cand, double naive)
{
	long j;
	int q;

	printf("\"%s\": {\"monomials\": %ld, \"candidates\": %ld, \"naive\": %.17g, \"terms\": [",
	       name, p->n, cand, naive);
	for (j = 0; j < p->n; j++) {
		printf("%s[", j ? ", " : "");
		for (q = 0; q <= p->d; q++)
			printf("%s%.17g", q ? ", " : "", p->c[j * (p->d + 1) + q]);
		printf("]");
	}
	printf("]}");
}

static void
print_poly_text(const char *name, const struct ls_tpoly *p, int list)
{
	long j;
	int q;

	for (j = 0; list && j < p->n; j++) {
		printf("%s", name);
		for (q = 0; q <= p->d; q++)
			printf(" %.17g", p->c[j * (p->d + 1) + q]);
		printf("\n");
	}
}

static void
tropical_print(const struct tr_opts *o, const struct ls_mlp *m, const struct ls_tropical *t)
{
	if (o->json) {
		printf("{\"output\": %ld, \"d\": %d, \"units\": %d, \"layers\": %d, ", o->output, m->d, m->units, m->nl);
		print_poly_json("f", &t->f, t->f_cand, t->f_naive);
		printf(", ");
		print_poly_json("g", &t->g, t->g_cand, t->g_naive);
		printf(", \"peak\": %ld, \"seconds\": %.6g}\n", t->peak, t->seconds);
		return;
	}
	printf("network: d = %d, %d dense layers, %d units; output %ld\n", m->d, m->nl, m->units, o->output);
	printf("F: %ld monomials (%ld candidates before the last pruning, %.6g without pruning)\n",
	       t->f.n, t->f_cand, t->f_naive);
	printf("G: %ld monomials (%ld candidates before the last pruning, %.6g without pruning)\n",
	       t->g.n, t->g_cand, t->g_naive);
	if (o->by_regions)
		printf("method: regions (%ld activation regions enumerated)\ntime: %.3f s\n", t->peak, t->seconds);
	else
		printf("largest candidate set: %ld\ntime: %.3f s\n", t->peak, t->seconds);
	print_poly_text("F", &t->f, o->list);
	print_poly_text("G", &t->g, o->list);
}

/* --png: the map over the latent plane (d = 2). */
static enum ls_status
tropical_png(const struct tr_opts *o, const struct ls_mlp *mlp, char *err)
{
	static const double z0[2] = { 0, 0 }, u[2] = { 1, 0 }, v[2] = { 0, 1 };
	double box[4] = { -3, 3, -3, 3 }, t0 = ls_now();
	struct ls_tropmap t;
	struct ls_raster r;
	enum ls_status s;
	int h;

	if (mlp->d != 2)
		return ls_err(err, LS_EINVAL, "%s: tropical --png needs a 2-D latent (this one has %d dimensions)", o->model ? o->model : "digits", mlp->d);
	if (o->box && o->nbox != 4)
		return ls_err(err, LS_EINVAL, "--box: want 4 numbers S0,S1,T0,T1");
	if (o->box)
		memcpy(box, o->box, sizeof box);
	h = (int)lround(MAP_W * (box[3] - box[2]) / (box[1] - box[0]));
	h = h < 16 ? 16 : h > 4 * MAP_W ? 4 * MAP_W : h;
	if ((s = ls_tropical_map(mlp, (int)o->output, z0, u, v, box, MAP_W, h, &t, err)) != LS_OK)
		return s;
	ls_tropmap_render(&t, &r);
	if ((s = ls_png_write(o->png, &r, err)) == LS_OK)
		printf("output %ld over [%g, %g] x [%g, %g]: %ld monomials of F and %ld of G met\n"
		       "time: %.3f s\nwrote %s\n", o->output, box[0], box[1], box[2], box[3], t.nf, t.ng,
		       ls_now() - t0, o->png);
	ls_raster_free(&r);
	ls_tropmap_free(&t);
	return s;
}

/* F and G as the distinct pieces over every region. */
static enum ls_status
tropical_by_regions(const struct tr_opts *o, const struct ls_mlp *mlp, struct ls_tropical *t,
		    char *err)
{
	struct ls_rall *r;
	enum ls_status s;
	double t0 = ls_now();

	memset(t, 0, sizeof *t);
	if (o->output >= mlp->out)
		return ls_err(err, LS_EINVAL, "output %ld out of range (the network has %d outputs)", o->output, mlp->out);
	if ((s = ls_regions_all(mlp, NULL, o->maxr, &r, err)) != LS_OK)
		return s;
	ls_rall_tropical(r, (int)o->output, 0, &t->f);
	ls_rall_tropical(r, (int)o->output, 1, &t->g);
	t->peak = ls_rall_count(r);
	t->seconds = ls_now() - t0;
	ls_rall_free(r);
	return LS_OK;
}

int
cmd_tropical(int argc, char **argv)
{
	struct tr_opts o = { .cmd = "tropical", .prune = 1 };
	struct ls_model *m = NULL;
	struct ls_mlp *mlp = NULL;
	struct ls_tropical t;
	char err[LS_ERR_MAX];
	enum ls_status s;
	int r;

	if ((r = tr_parse(argc, argv, &o)) != 0) {
		free(o.box);
		return r < 0 ? cli_help(tropical_help) : r;
	}
	if (!o.have_output) {
		free(o.box);
		return cli_usage("tropical", "needs --output K");
	}
	if ((s = tr_load(&o, &m, &mlp, err)) == LS_OK && o.png)
		s = tropical_png(&o, mlp, err);
	else if (s == LS_OK &&
	    (s = (o.by_regions ? tropical_by_regions(&o, mlp, &t, err)
			       : ls_tropical_form(mlp, (int)o.output, o.maxm, o.prune, &t, err))) == LS_OK) {
		tropical_print(&o, mlp, &t);
		ls_tropical_free(&t);
	}
	free(o.box);
	ls_mlp_free(mlp);
	ls_model_free(m);
	return s == LS_OK ? 0 : cli_fail(s, err);
}

/* ---- regions --all -------------------------------------------------------- */

static const char regions_all_help[] =
	"usage: linscope regions --all [-m MODEL] [--layers N] [--box LO,HI,...]\n"
	"                        [--max-regions N] [--json [--list]]\n"
	"\n"
	"Every activation region of the decoder's whole latent space, bounded or\n"
	"not, by an exact traversal (facets by linear programs, GLPK): from the\n"
	"region of a random point near 0, across every facet to the neighbour.\n"
	"  regions         activation regions: distinct on/off patterns of the\n"
	"                  ReLUs on full-dimensional sets (convex polyhedra)\n"
	"  linear_regions  adjacent regions merged when the affine map of the whole\n"
	"                  output vector (before the final smooth activation) is the\n"
	"                  same on both\n"
	"  unbounded       regions that contain a ray\n"
	"  --box LO,HI,... only the parts of regions inside the box (a pair per\n"
	"                  latent dimension); unbounded is then 0\n"
	"  --layers N      the sub-network of the first N hidden layers\n"
	"  --max-regions N stop with an error (exit 2) past N regions (default 10^6)\n"
	"  --json          one object: regions, linear_regions, unbounded, bounded,\n"
	"                  d, units, bound (Zhang-Naitzat-Lim), seconds; with --list\n"
	"                  also \"list\": per region its pattern (hex, unit k is bit\n"
	"                  k %% 8 of byte k / 8), an interior point, bounded, linear\n"
	"                  (its linear region) and facets (units)\n";

static void
rall_list_json(const struct ls_rall *r, const struct ls_mlp *m)
{
	long i, n = ls_rall_count(r);
	int k, nf, nb = (m->units + 8) / 8;

	printf(", \"list\": [");
	for (i = 0; i < n; i++) {
		const uint8_t *b = ls_rall_pattern(r, i);
		const double *p = ls_rall_point(r, i);
		const int *f = ls_rall_facets(r, i, &nf);
		printf("%s{\"pattern\": \"", i ? ", " : "");
		for (k = 0; k < nb; k++)
			printf("%02x", b[k]);
		printf("\", \"point\": [");
		for (k = 0; k < m->d; k++)
			printf("%s%.17g", k ? ", " : "", p[k]);
		printf("], \"bounded\": %s, \"linear\": %ld, \"facets\": [", ls_rall_is_bounded(r, i) ? "true" : "false",
		       ls_rall_linear_of(r, i));
		for (k = 0; k < nf; k++)
			printf("%s%d", k ? ", " : "", f[k]);
		printf("]}");
	}
	printf("]");
}

static void
rall_print(const struct tr_opts *o, const struct ls_mlp *m, const struct ls_rall *r)
{
	long n = ls_rall_count(r), unb = ls_rall_unbounded(r);
	double sec = ls_rall_seconds(r);

	if (o->json) {
		printf("{\"regions\": %ld, \"linear_regions\": %ld, \"unbounded\": %ld, \"bounded\": %ld, "
		       "\"d\": %d, \"units\": %d, \"bound\": %.17g, \"seconds\": %.6g",
		       n, ls_rall_linear_count(r), unb, n - unb, m->d, m->units, ls_mlp_bound(m), sec);
		if (o->list)
			rall_list_json(r, m);
		printf("}\n");
		return;
	}
	printf("network: d = %d, %d units%s\n", m->d, m->units, o->box ? " (inside the box)" : "");
	printf("regions: %ld (activation regions of the whole latent space)\n", n);
	printf("linear_regions: %ld (adjacent regions with equal affine maps merged)\n", ls_rall_linear_count(r));
	printf("unbounded: %ld (bounded: %ld)\n", unb, n - unb);
	printf("bound: %.6g (Zhang-Naitzat-Lim)\n", ls_mlp_bound(m));
	printf("time: %.3f s (%.0f regions/s)\n", sec, sec > 0 ? n / sec : 0);
}

int
cli_regions_all(int argc, char **argv)
{
	struct tr_opts o = { .cmd = "regions", .prune = 1 };
	struct ls_model *m = NULL;
	struct ls_mlp *mlp = NULL;
	struct ls_rall *r = NULL;
	char err[LS_ERR_MAX];
	enum ls_status s;
	int rc;

	if ((rc = tr_parse(argc, argv, &o)) != 0) {
		free(o.box);
		return rc < 0 ? cli_help(regions_all_help) : rc;
	}
	if (o.have_output || !o.prune || o.out) {
		free(o.box);
		return cli_usage("regions", "--all takes no --output, --no-prune or -o");
	}
	if ((s = tr_load(&o, &m, &mlp, err)) == LS_OK && o.box && o.nbox != 2 * mlp->d)
		s = ls_err(err, LS_EINVAL, "--box: want %d numbers (lo,hi for each of the %d latent dimensions)", 2 * mlp->d, mlp->d);
	if (s == LS_OK && (s = ls_regions_all(mlp, o.box, o.maxr, &r, err)) == LS_OK)
		rall_print(&o, mlp, r);
	ls_rall_free(r);
	ls_mlp_free(mlp);
	ls_model_free(m);
	free(o.box);
	return s == LS_OK ? 0 : cli_fail(s, err);
}

/* ---- regionmap --all ------------------------------------------------------ */

#define MAP_SIDE 512

static const char regionmap_all_help[] =
	"usage: linscope regionmap --all [-m MODEL] (-o MAP.png | --json) [--max-regions N]\n"
	"\n"
	"For a 2-D latent: the map of every region of the whole plane. The regions\n"
	"are enumerated first (as 'regions --all'); the map covers the box holding\n"
	"every region's vertices and interior point, widened by 10%% on each side,\n"
	"so every region, bounded or not, shows (unbounded ones clipped to it).\n"
	"  -o MAP.png   the map (as 'regionmap -o'), 512 pixels wide\n"
	"  --json       regions (whole plane), regions_in_box (the exact 2-D\n"
	"               subdivision of the box: equal when every region shows),\n"
	"               linear_regions, unbounded, box [s0, s1, t0, t1]\n";

/* The exact map of the box over the whole plane; the PNG if asked. */
static enum ls_status
map_box(const struct tr_opts *o, struct ls_model *m, const double *box, long *n, char *err)
{
	static const float z0[2] = { 0, 0 }, u[2] = { 1, 0 }, v[2] = { 0, 1 };
	struct ls_regionmap *rm = NULL;
	struct ls_raster ras;
	enum ls_status s;

	if ((s = ls_regions_2d(ls_model_decoder(m), z0, u, v, box, o->maxr ? o->maxr : 1000000L, &rm, err)) != LS_OK)
		return s;
	*n = ls_regionmap_count(rm);
	if (o->out) {
		ls_regionmap_render(rm, MAP_SIDE, MAP_SIDE, NULL, 0, &ras);
		s = ls_png_write(o->out, &ras, err);
		ls_raster_free(&ras);
	}
	ls_regionmap_free(rm);
	return s;
}

int
cli_regionmap_all(int argc, char **argv)
{
	struct tr_opts o = { .cmd = "regionmap", .prune = 1 };
	struct ls_model *m = NULL;
	struct ls_mlp *mlp = NULL;
	struct ls_rall *r = NULL;
	char err[LS_ERR_MAX];
	enum ls_status s;
	double box[4];
	long inbox = 0;
	int rc;

	if ((rc = tr_parse(argc, argv, &o)) != 0) {
		free(o.box);
		return rc < 0 ? cli_help(regionmap_all_help) : rc;
	}
	if (o.box || o.layers || o.have_output) {
		free(o.box);
		return cli_usage("regionmap", "--all takes no --box, --layers or --output");
	}
	if (!o.out && !o.json)
		return cli_usage("regionmap", "--all needs -o MAP.png or --json");
	if ((s = tr_load(&o, &m, &mlp, err)) == LS_OK && mlp->d != 2)
		s = ls_err(err, LS_EINVAL, "%s: regionmap --all needs a 2-D latent (this one has %d dimensions)", ls_model_path(m), mlp->d);
	if (s == LS_OK && (s = ls_regions_all(mlp, NULL, o.maxr, &r, err)) == LS_OK) {
		ls_rall_bbox2(r, 0.1, box);
		s = map_box(&o, m, box, &inbox, err);
	}
	if (s == LS_OK && o.json)
		printf("{\"regions\": %ld, \"regions_in_box\": %ld, \"linear_regions\": %ld, \"unbounded\": %ld, "
		       "\"box\": [%.17g, %.17g, %.17g, %.17g]}\n", ls_rall_count(r), inbox, ls_rall_linear_count(r),
		       ls_rall_unbounded(r), box[0], box[1], box[2], box[3]);
	else if (s == LS_OK)
		printf("regions: %ld (whole plane; %ld in the map's box [%g, %g] x [%g, %g])\nwrote %s\n",
		       ls_rall_count(r), inbox, box[0], box[1], box[2], box[3], o.out);
	ls_rall_free(r);
	ls_mlp_free(mlp);
	ls_model_free(m);
	return s == LS_OK ? 0 : cli_fail(s, err);
}
