/*
 * cli_regions.c: `linscope regions`, `linscope regionmap`,
 * `linscope linearity`, `linscope where`, `linscope dir paint` (cli_dir_paint(), called from
 * cmd_dir) and the region bounds of `linscope info` (cli_info_extra()).
 *
 * Every command validates all of its inputs before writing anything; the
 * outputs go through the atomic writers. Bad input: one line on stderr,
 * exit 2.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_tropical.h"
#include "linscope/dir.h"
#include "linscope/dirfile.h"
#include "linscope/linearity.h"
#include "linscope/regions.h"

/* Options shared by the commands of this file. */
struct rg_opts {
	const char *cmd;
	const char *model, *bank, *z, *out, *mask, *name, *rows;
	const char *dir[2];
	int ndir, json, force, have_row, have_range, have_range2, have_alpha;
	long row, k, seed, max_pieces, max_regions;
	double a, b, c, d, alpha;
};

/* The loaded inputs: model, optional bank, z0 and the unit directions. */
struct rg_in {
	struct ls_model *m;
	struct ls_bank *bank;
	int d;
	float *z0, *u[2];
};

static void
rg_in_free(struct rg_in *in)
{
	ls_model_free(in->m);
	ls_bank_free(in->bank);
	free(in->z0);
	free(in->u[0]);
	free(in->u[1]);
}

#define RG_OPT_K 1900   /* local: --k (where) */
#define RG_OPT_MAX_REGIONS 1901   /* local: --max-regions (regionmap) */

/* Applies one option; 0, or an exit status. */
static int
rg_opt(struct rg_opts *o, int c, const char *v)
{
	switch (c) {
	case 'm': o->model = v; return 0;
	case 'b': o->bank = v; return 0;
	case 'z': o->z = v; return 0;
	case 'o': o->out = v; return 0;
	case OPT_JSON: o->json = 1; return 0;
	case OPT_FORCE: o->force = 1; return 0;
	case OPT_MASK: o->mask = v; return 0;
	case OPT_NAME: o->name = v; return 0;
	case OPT_ROWS: o->rows = v; return 0;
	case OPT_DIR:
		if (o->ndir == 2)
			return cli_usage(o->cmd, "at most two --dir");
		o->dir[o->ndir++] = v;
		return 0;
	case OPT_MAX_PIECES:
		if (ls_parse_long(v, &o->max_pieces) || o->max_pieces < 1)
			return cli_usage(o->cmd, "--max-pieces wants a count >= 1, not '%s'", v);
		return 0;
	case RG_OPT_MAX_REGIONS:
		if (ls_parse_long(v, &o->max_regions) || o->max_regions < 1)
			return cli_usage(o->cmd, "--max-regions wants a count >= 1, not '%s'", v);
		return 0;
	case OPT_ROW:
		if (ls_parse_long(v, &o->row) || o->row < 0)
			return cli_usage(o->cmd, "--row wants a row number, not '%s'", v);
		o->have_row = 1;
		return 0;
	case OPT_RANGE:
		if (ls_parse_range_d(v, &o->a, &o->b) || !isfinite(o->a) || !isfinite(o->b) || !(o->a < o->b))
			return cli_usage(o->cmd, "--range wants A:B with A < B, not '%s'", v);
		o->have_range = 1;
		return 0;
	case OPT_RANGE2:
		if (ls_parse_range_d(v, &o->c, &o->d) || !isfinite(o->c) || !isfinite(o->d) || !(o->c < o->d))
			return cli_usage(o->cmd, "--range2 wants C:D with C < D, not '%s'", v);
		o->have_range2 = 1;
		return 0;
	case RG_OPT_K:
		if (ls_parse_long(v, &o->k) || o->k < 1 || o->k > 1000000)
			return cli_usage(o->cmd, "--k wants a positive count, not '%s'", v);
		return 0;
	case OPT_SEED:
		if (ls_parse_long(v, &o->seed) || o->seed < 0)
			return cli_usage(o->cmd, "--seed wants a non-negative integer, not '%s'", v);
		return 0;
	case OPT_ALPHA:
		if (ls_parse_double(v, &o->alpha) || !isfinite(o->alpha) || o->alpha == 0)
			return cli_usage(o->cmd, "--alpha wants a non-zero number, not '%s'", v);
		o->have_alpha = 1;
		return 0;
	}
	return 2;
}

/* getopt_long over the shared options; -1 for --help. */
static int
rg_parse(int argc, char **argv, struct rg_opts *o)
{
	static const struct option lo[] = {
		{ "help", no_argument, 0, 'h' }, { "row", required_argument, 0, OPT_ROW },
		{ "dir", required_argument, 0, OPT_DIR }, { "range", required_argument, 0, OPT_RANGE },
		{ "range2", required_argument, 0, OPT_RANGE2 }, { "json", no_argument, 0, OPT_JSON },
		{ "alpha", required_argument, 0, OPT_ALPHA }, { "mask", required_argument, 0, OPT_MASK },
		{ "name", required_argument, 0, OPT_NAME }, { "rows", required_argument, 0, OPT_ROWS },
		{ "force", no_argument, 0, OPT_FORCE }, { "k", required_argument, 0, RG_OPT_K },
		{ "seed", required_argument, 0, OPT_SEED },
		{ "max-pieces", required_argument, 0, OPT_MAX_PIECES },
		{ "max-regions", required_argument, 0, RG_OPT_MAX_REGIONS }, { 0, 0, 0, 0 } };
	int c, r;

	optind = 1;
	while ((c = getopt_long(argc, argv, "hm:b:z:o:", lo, NULL)) != -1) {
		if (c == 'h')
			return -1;
		if ((r = rg_opt(o, c, optarg)) != 0)
			return r;
	}
	if (optind < argc)
		return cli_usage(o->cmd, "unexpected argument '%s'", argv[optind]);
	if (o->have_row && o->z)
		return cli_usage(o->cmd, "give either --row I or -z, not both");
	return 0;
}

/* Does the command need the bank (a row, a rows: direction, sigma)? */
static int
rg_needs_bank(const struct rg_opts *o, int always)
{
	int i;

	if (always || o->bank || o->have_row)
		return 1;
	for (i = 0; i < o->ndir; i++)
		if (!strncmp(o->dir[i], "rows:", 5))
			return 1;
	return 0;
}

/* z0 from --row or -z. */
static enum ls_status
rg_start(const struct rg_opts *o, struct rg_in *in, char *err)
{
	enum ls_status s;

	in->z0 = xcalloc((size_t)in->d, sizeof *in->z0);
	s = cli_start_latent(in->bank, o->have_row ? &o->row : NULL, o->z, in->d, in->z0, err);
	if (s != LS_OK && !o->z && !o->have_row)
		return ls_err(err, LS_EINVAL, "%s: give a start latent: --row I (with a bank) or -z \"v1,...\"", o->cmd);
	return s;
}

/* Loads model, bank (if needed), z0 and the unit directions. */
static enum ls_status
rg_load(const struct rg_opts *o, int need_bank, struct rg_in *in, char *err)
{
	enum ls_status s;
	int i;

	memset(in, 0, sizeof *in);
	if ((s = cli_model_open(o->model, &in->m, err)) != LS_OK)
		return s;
	in->d = ls_model_dim(in->m);
	if (rg_needs_bank(o, need_bank) &&
	    (s = cli_bank_open(o->bank, o->model, in->d, &in->bank, err)) != LS_OK)
		return s;
	if ((s = rg_start(o, in, err)) != LS_OK)
		return s;
	for (i = 0; i < o->ndir; i++) {
		in->u[i] = xcalloc((size_t)in->d, sizeof *in->u[i]);
		if ((s = ls_dir_resolve(o->dir[i], in->bank, in->d, in->u[i], err)) != LS_OK ||
		    (s = ls_dir_normalize(in->u[i], in->d, o->dir[i], err)) != LS_OK)
			return s;
	}
	return LS_OK;
}

/* Refuses a decoder that is not piecewise linear, naming the model. */
static enum ls_status
rg_check_pl(const struct rg_in *in, char *err)
{
	if (ls_net_pl_kind(ls_model_decoder(in->m), NULL) != LS_PL_NO)
		return LS_OK;
	return ls_err(err, LS_EINVAL, "%s: the decoder is " LS_NOT_PL_TEXT ": no exact regions",
		      ls_model_path(in->m));
}

/* Prints a JSON number, null when not finite. */
static void
json_num(double x)
{
	if (isfinite(x))
		printf("%.17g", x);
	else
		printf("null");
}

/* Prints n doubles as a JSON array. */
static void
json_array(const double *v, long n)
{
	long i;

	putchar('[');
	for (i = 0; i < n; i++)
		printf("%s%.17g", i ? ", " : "", v[i]);
	putchar(']');
}

/* ---- regions --------------------------------------------------------------- */

static const char regions_help[] =
	"usage: linscope regions [-m MODEL] (-b BANK --row I | -z \"v1,...\") --dir DIR\n"
	"                        --range A:B [--max-pieces N] [--json]\n"
	"\n"
	"Exact linear pieces of the decoder along the segment z(t) = z0 + t*u,\n"
	"t in [A, B], with u = DIR scaled to unit length (t is a latent distance).\n"
	"z0 is bank row I (-b BANK; the bundled bank of a bundled model by default)\n"
	"or the latent given with -z. DIR is axis:K, rows:I-J (bank[J] - bank[I])\n"
	"or FILE:NAME (a directions file).\n"
	"\n"
	"  pieces         activation pieces: 1 + the number of t in (A, B) where the\n"
	"                 joint on/off pattern of the decoder's ReLUs changes\n"
	"  linear_pieces  pieces after merging neighbours whose affine maps are equal\n"
	"                 (a ReLU flip that reaches no output changes nothing)\n"
	"  breakpoints    the sorted t in (A, B) where the pattern changes\n"
	"\n"
	"Exact (float64, no sampling). A decoder whose last affine layer is followed\n"
	"by sigmoid or tanh is piecewise linear up to that final smooth activation;\n"
	"its pieces are those of the layers before it. A smooth activation inside\n"
	"the network is refused (exit 2): its output is not piecewise linear.\n"
	"  --max-pieces N  stop with exit 2 past N pieces (\"more than N pieces along\n"
	"           the segment\"); on a terminal a progress line shows on stderr\n"
	"  --json   one JSON object: pieces, linear_pieces, breakpoints,\n"
	"           linear_breakpoints, flips (ReLUs flipping at each breakpoint),\n"
	"           range, piecewise_linear (\"yes\" or \"up to the final smooth activation\")\n"
	"'linscope regions --all --help': every region of the whole latent space.\n";

static void
regions_print(const struct rg_opts *o, struct ls_net *dec, const struct ls_pieces *p)
{
	const char *kind = p->kind == LS_PL_TAIL ? "up to the final smooth activation" : "yes";
	int k;

	if (o->json) {
		printf("{\"pieces\": %d, \"linear_pieces\": %d, \"breakpoints\": ", p->npieces, p->nlinear);
		json_array(p->bp, p->npieces - 1);
		printf(", \"linear_breakpoints\": ");
		json_array(p->lin_bp, p->nlinear - 1);
		printf(", \"flips\": [");
		for (k = 0; k + 1 < p->npieces; k++)
			printf("%s%d", k ? ", " : "", p->flips[k]);
		printf("], \"range\": [%.17g, %.17g], \"piecewise_linear\": \"%s\"}\n", p->a, p->b, kind);
		return;
	}
	printf("decoder: %s\n", ls_pl_kind_text(dec));
	printf("segment: z0 + t*u, t in [%g, %g], u = %s (unit length)\n", p->a, p->b, ls_safe(o->dir[0]));
	printf("pieces: %d (activation pieces)\n", p->npieces);
	printf("linear_pieces: %d (neighbours with equal affine maps merged)\n", p->nlinear);
	printf("breakpoints:");
	for (k = 0; k + 1 < p->npieces; k++)
		printf(" %.9g", p->bp[k]);
	printf("\n");
}

int
cmd_regions(int argc, char **argv)
{
	struct rg_opts o = { .cmd = "regions" };
	struct ls_regions_opts ro = { 0 };
	struct cli_progress pr;
	char err[LS_ERR_MAX];
	struct ls_pieces p;
	struct rg_in in;
	enum ls_status s;
	int r;

	if (cli_has_all(argc, argv))
		return cli_regions_all(argc, argv);
	if ((r = rg_parse(argc, argv, &o)) != 0)
		return r < 0 ? cli_help(regions_help) : r;
	if (o.ndir != 1 || !o.have_range)
		return cli_usage("regions", "needs one --dir DIR and --range A:B");
	ro.max_pieces = o.max_pieces;
	if ((s = rg_load(&o, 0, &in, err)) == LS_OK && (s = rg_check_pl(&in, err)) == LS_OK) {
		ro.progress = cli_progress_start(&pr, "regions");
		s = ls_regions_1d_opts(ls_model_decoder(in.m), in.z0, in.u[0], o.a, o.b, &ro, &p, err);
		cli_progress_end(&pr);
		if (s == LS_ENOMEM && o.max_pieces)
			snprintf(err + strlen(err), LS_ERR_MAX - strlen(err), " (--max-pieces %ld)",
				 o.max_pieces);
		if (s == LS_OK) {
			regions_print(&o, ls_model_decoder(in.m), &p);
			ls_pieces_free(&p);
		}
	}
	rg_in_free(&in);
	return s == LS_OK ? 0 : cli_fail(s, err);
}

/* ---- regionmap -------------------------------------------------------------- */

#define MAP_MAX_REGIONS 4000000L
#define MAP_SIDE 512

static const char regionmap_help[] =
	"usage: linscope regionmap [-m MODEL] (-b BANK --row I | -z \"v1,...\") --dir U --dir V\n"
	"                          --range A:B [--range2 C:D] [--max-regions N] (-o MAP.png | --json)\n"
	"\n"
	"Exact linear regions of the decoder over the plane z0 + s*u + t*v, s in\n"
	"[A, B], t in [C, D] (default: C:D = A:B). u and v are U and V scaled to\n"
	"unit length and used as given (not orthogonalised): (s, t) are coordinates\n"
	"along u and v. For a 2-D latent with --dir axis:0 --dir axis:1 -z 0,0 the\n"
	"plane is the whole latent space.\n"
	"\n"
	"  regions         activation regions: maximal connected sets of the plane\n"
	"                  with one on/off pattern of the ReLUs (convex polygons)\n"
	"  linear_regions  regions after merging neighbours whose affine maps are\n"
	"                  equal (a ReLU flip that reaches no output changes nothing)\n"
	"  -o MAP.png      each region filled (neighbours in different colours),\n"
	"                  boundaries dark; s to the right, t upwards; 512 pixels wide\n"
	"  --json          one JSON object: regions, linear_regions, polygons (each\n"
	"                  region's vertices [s, t], counterclockwise), range, range2,\n"
	"                  bound (Zhang-Naitzat-Lim, d = 2), piecewise_linear\n"
	"  --max-regions N stop with exit 2 past N regions (default 4000000; also\n"
	"                  past a 2 GB memory budget); on a terminal a progress line\n"
	"                  shows on stderr\n";

static void
regionmap_json(const struct rg_opts *o, struct ls_net *dec, const struct ls_regionmap *rm)
{
	long i, n = ls_regionmap_count(rm);
	int k, nv;

	printf("{\"regions\": %ld, \"linear_regions\": %ld, \"range\": [%.17g, %.17g], "
	       "\"range2\": [%.17g, %.17g], \"bound\": %.17g, \"piecewise_linear\": \"%s\", \"polygons\": [",
	       n, ls_regionmap_linear_count(rm), o->a, o->b, o->c, o->d, ls_regions_bound(dec, 2),
	       ls_net_pl_kind(dec, NULL) == LS_PL_TAIL ? "up to the final smooth activation" : "yes");
	for (i = 0; i < n; i++) {
		const double *p = ls_regionmap_polygon(rm, i, &nv);
		printf("%s[", i ? ", " : "");
		for (k = 0; k < nv; k++)
			printf("%s[%.17g, %.17g]", k ? ", " : "", p[2 * k], p[2 * k + 1]);
		printf("]");
	}
	printf("]}\n");
}

/* Writes the PNG of the map. */
static enum ls_status
regionmap_png(const struct rg_opts *o, const struct ls_regionmap *rm, char *err)
{
	double ratio = (o->d - o->c) / (o->b - o->a);
	int w = MAP_SIDE, h = (int)lround(MAP_SIDE * ratio);
	struct ls_raster r;
	enum ls_status s;

	h = h < 16 ? 16 : h > 4 * MAP_SIDE ? 4 * MAP_SIDE : h;
	ls_regionmap_render(rm, w, h, NULL, 0, &r);
	s = ls_png_write(o->out, &r, err);
	ls_raster_free(&r);
	return s;
}

int
cmd_regionmap(int argc, char **argv)
{
	struct rg_opts o = { .cmd = "regionmap" };
	struct ls_regionmap *rm = NULL;
	struct ls_regionmap_opts mo = { MAP_MAX_REGIONS, NULL };
	struct cli_progress pr;
	char err[LS_ERR_MAX];
	struct rg_in in;
	enum ls_status s;
	double box[4];
	int r;

	if (cli_has_all(argc, argv))
		return cli_regionmap_all(argc, argv);
	if ((r = rg_parse(argc, argv, &o)) != 0)
		return r < 0 ? cli_help(regionmap_help) : r;
	if (o.ndir != 2 || !o.have_range)
		return cli_usage("regionmap", "needs --dir U --dir V and --range A:B");
	if (!o.out && !o.json)
		return cli_usage("regionmap", "needs -o MAP.png or --json");
	if (!o.have_range2)
		o.c = o.a, o.d = o.b;
	box[0] = o.a, box[1] = o.b, box[2] = o.c, box[3] = o.d;
	if (o.max_regions)
		mo.max_regions = o.max_regions;
	if ((s = rg_load(&o, 0, &in, err)) == LS_OK && (s = rg_check_pl(&in, err)) == LS_OK) {
		mo.progress = cli_progress_start(&pr, "regionmap");
		s = ls_regions_2d_opts(ls_model_decoder(in.m), in.z0, in.u[0], in.u[1], box, &mo,
				       &rm, err);
		cli_progress_end(&pr);
		if (s == LS_ENOMEM && o.max_regions && strstr(err, "regions in the plane"))
			snprintf(err + strlen(err), LS_ERR_MAX - strlen(err), " (--max-regions %ld)",
				 o.max_regions);
	}
	if (s == LS_OK && (!o.out || (s = regionmap_png(&o, rm, err)) == LS_OK)) {
		if (o.json)
			regionmap_json(&o, ls_model_decoder(in.m), rm);
		else
			printf("regions: %ld\nlinear_regions: %ld\nwrote %s\n", ls_regionmap_count(rm),
			       ls_regionmap_linear_count(rm), o.out);
	}
	ls_regionmap_free(rm);
	rg_in_free(&in);
	return s == LS_OK ? 0 : cli_fail(s, err);
}

/* ---- linearity ------------------------------------------------------------------ */

static const char linearity_help[] =
	"usage: linscope linearity [-m MODEL] [-b BANK] --dir U [--dir V] [--alpha A]\n"
	"                          [--rows A:B | --row I | -z \"v1,...\"] [--json]\n"
	"\n"
	"How linear the decoder g is around z along the unit direction u (and v).\n"
	"The step is alpha sigma units: h = alpha * sigma_u, sigma_u the standard\n"
	"deviation of the bank's projections on u (k = alpha * sigma_v); default\n"
	"alpha = 1. By default, and with --rows A:B (bank rows A..B-1, Python-style:\n"
	"negative counts from the end, A or B may be omitted), each measure is\n"
	"summarised over the rows: mean, median and 90th percentile (linear\n"
	"interpolation, as numpy's), over the rows where it is defined (n).\n"
	"--row I or -z measures one latent.\n"
	"  homogeneity   |g(z+2hu) - g(z) - 2(g(z+hu) - g(z))| / |2(g(z+hu) - g(z))|\n"
	"  additivity    |g(z+hu+kv) - g(z+hu) - g(z+kv) + g(z)| /\n"
	"                (|g(z+hu) - g(z)| + |g(z+kv) - g(z)|)          (needs V)\n"
	"  first_order   share of |D|^2, D = g(z+hu) - g(z), explained by the\n"
	"                first-order term L = J(z) h u: 1 - |D - L|^2 / |D|^2,\n"
	"                clipped to [0, 1] (J exact in z's linear region)\n"
	"An affine decoder gives 0, 0 and 1. Also printed for one latent, the\n"
	"off-manifold gauges: Mahalanobis distance to the bank (mean, covariance)\n"
	"and its percentile among the bank's rows, the norm's percentile, and\n"
	"the round-trip drift |enc(dec(z)) - z| when the model has an encoder.\n";

struct lin_row {
	struct ls_linearity l;
	struct ls_offmanifold o;
};

static double
sigma_of(const struct ls_bank *b, const float *u, const char *spec, char *err, enum ls_status *s)
{
	double sg = ls_bank_sigma(b, u);

	if (!(sg > 0) && *s == LS_OK)
		*s = ls_err(err, LS_EINVAL, "%s: the bank has no spread along this direction (sigma 0)", spec);
	return sg;
}

static void
print_one(const struct rg_opts *o, const struct lin_row *r, double h, double k)
{
	if (o->json) {
		const char *keys[10] = { "homogeneity", "additivity", "first_order", "step_u", "step_v",
					 "mahalanobis", "mahalanobis_pct", "norm", "norm_pct", "drift" };
		double v[10] = { r->l.homogeneity, r->l.additivity, r->l.first_order, h, k,
				 r->o.mahalanobis, r->o.mahal_pct, r->o.norm, r->o.norm_pct, r->o.drift };
		int i;
		for (i = 0; i < 10; i++) {
			printf("%s\"%s\": ", i ? ", " : "{", keys[i]);
			json_num(v[i]);
		}
		printf("}\n");
		return;
	}
	printf("step: alpha %g sigma = %g along u%s\n", o->alpha, h, o->ndir > 1 ? "" : " (no v)");
	printf("homogeneity error: %.6g\n", r->l.homogeneity);
	if (o->ndir > 1)
		printf("additivity error: %.6g\n", r->l.additivity);
	printf("first-order share: %.6g\n", r->l.first_order);
	printf("Mahalanobis distance: %.6g (percentile %.1f of the bank)\n", r->o.mahalanobis, r->o.mahal_pct);
	printf("norm: %.6g (percentile %.1f of the bank)\n", r->o.norm, r->o.norm_pct);
	if (!isnan(r->o.drift))
		printf("round-trip drift: %.6g\n", r->o.drift);
}

/* Prints one summary (mean, median, p90 and the finite count m). */
static void
print_summary(const struct rg_opts *o, const char *name, const double *q, long m)
{
	if (!o->json) {
		printf("%-12s mean %.6g  median %.6g  p90 %.6g  (%ld rows)\n", name, q[0], q[1], q[2], m);
		return;
	}
	printf(", \"%s\": {\"mean\": ", name);
	json_num(q[0]);
	printf(", \"median\": ");
	json_num(q[1]);
	printf(", \"p90\": ");
	json_num(q[2]);
	printf(", \"n\": %ld}", m);
}

/* Over bank rows [a, e): the meter in batches, then the summaries. */
static void
print_rows(const struct rg_opts *o, struct rg_in *in, long a, long e, double h, double k)
{
	long n = e - a, i, m[3];
	double *v = xmalloc(3 * (size_t)n * sizeof *v), q[3][3];
	struct ls_linearity *l = xmalloc((size_t)n * sizeof *l);
	const char *names[3] = { "homogeneity", "additivity", "first_order" };
	int j;

	ls_linearity_batch(ls_model_decoder(in->m), ls_bank_row(in->bank, a), n, in->u[0], h,
			   in->u[1], k, l);
	for (i = 0; i < n; i++)
		v[i] = l[i].homogeneity, v[n + i] = l[i].additivity, v[2 * n + i] = l[i].first_order;
	for (j = 0; j < 3; j++)
		m[j] = ls_summary(v + j * n, n, q[j]);
	if (o->json)
		printf("{\"rows\": [%ld, %ld], \"alpha\": %.17g, \"step_u\": %.17g, \"step_v\": %.17g",
		       a, e, o->alpha, h, k);
	else
		printf("rows %ld:%ld of %s, step alpha %g sigma (%g along u%s)\n", a, e,
		       ls_safe(ls_bank_path(in->bank)), o->alpha, h, o->ndir > 1 ? "" : ", no v");
	for (j = 0; j < 3; j++)
		if (j != 1 || o->ndir > 1)
			print_summary(o, names[j], q[j], m[j]);
	if (o->json)
		printf("}\n");
	free(v);
	free(l);
}

static enum ls_status
rows_range(const char *spec, long n, long *a, long *e, char *err)
{
	int ha, hb;

	if (ls_parse_range_i(spec, a, e, &ha, &hb))
		return ls_err(err, LS_EINVAL, "--rows %s: want A:B (Python-style)", spec);
	*a = ha ? (*a < 0 ? *a + n : *a) : 0;
	*e = hb ? (*e < 0 ? *e + n : *e) : n;
	if (*a < 0 || *e > n || *a >= *e)
		return ls_err(err, LS_EINVAL, "--rows %s: out of range for a bank of %ld rows", spec, n);
	return LS_OK;
}

int
cmd_linearity(int argc, char **argv)
{
	struct rg_opts o = { .cmd = "linearity", .alpha = 1 };
	char err[LS_ERR_MAX];
	struct ls_bankstats *bs = NULL;
	struct lin_row r;
	struct rg_in in;
	enum ls_status s;
	double h = 0, k = 0;
	long a = 0, e = 0;
	int rc;

	if ((rc = rg_parse(argc, argv, &o)) != 0)
		return rc < 0 ? cli_help(linearity_help) : rc;
	if (o.ndir < 1)
		return cli_usage("linearity", "needs --dir U (and optionally --dir V)");
	if (o.rows && (o.have_row || o.z))
		return cli_usage("linearity", "give one of --row I, -z and --rows A:B");
	if (!o.have_row && !o.z && !o.rows)
		o.rows = ":";   /* default: every bank row */
	if (o.rows) {
		o.have_row = 1;   /* z0 = row 0 while loading; the rows come after */
		o.row = 0;
	}
	if ((s = rg_load(&o, 1, &in, err)) == LS_OK && o.rows)
		s = rows_range(o.rows, ls_bank_rows(in.bank), &a, &e, err);
	if (s == LS_OK) {
		h = o.alpha * sigma_of(in.bank, in.u[0], o.dir[0], err, &s);
		k = o.ndir > 1 ? o.alpha * sigma_of(in.bank, in.u[1], o.dir[1], err, &s) : 0;
	}
	if (s == LS_OK && o.rows) {
		print_rows(&o, &in, a, e, h, k);
	} else if (s == LS_OK) {
		bs = ls_bankstats_create(in.bank);
		ls_linearity_at(ls_model_decoder(in.m), in.z0, in.u[0], h, in.u[1], k, &r.l);
		ls_offmanifold(in.m, bs, in.z0, &r.o);
		print_one(&o, &r, h, k);
	}
	ls_bankstats_free(bs);
	rg_in_free(&in);
	return s == LS_OK ? 0 : cli_fail(s, err);
}

/* ---- where ---------------------------------------------------------------------- */

#define WHERE_SAMPLE 2000

static const char where_help[] =
	"usage: linscope where [-m MODEL] [-b BANK] (-z \"v1,...\" | --row I)\n"
	"                      [--dir D [--alpha A]] [--k K] [--seed S] [--json]\n"
	"\n"
	"How far a latent is from the data (the bank). The latent is z (-z or bank\n"
	"row I), moved A sigma units along the unit direction D when --dir is given\n"
	"(sigma the bank's standard deviation along D; A defaults to 1).\n"
	"  knn           mean distance to the K nearest bank latents (default 5;\n"
	"                with --row and no --dir, the row itself is left out)\n"
	"  knn_pct       its percentile among the bank's own K-NN distances (each\n"
	"                row against the rest of the bank), estimated on a seeded\n"
	"                sample of 2000 rows (all rows of a smaller bank)\n"
	"                A bank of more than 50,000 rows is represented by a seeded\n"
	"                sample of 50,000 (the reference set, stated in the output):\n"
	"                every k-NN distance, z's and the bank's own, is then to the\n"
	"                nearest reference rows, larger than the exact one alike\n"
	"  mahalanobis   sqrt((z - mu)^T C^-1 (z - mu)), mu and C the bank's mean and\n"
	"                covariance (over 262,144 evenly spaced rows of a larger bank,\n"
	"                stated in the output), and its percentile among the bank's rows\n"
	"  norm          |z| and its percentile among the bank's row norms\n"
	"  drift         |enc(dec(z)) - z| when the model has an encoder\n"
	"A percentile is 100 * the share of bank values <= the latent's.\n"
	"  --json        one JSON object with those keys (drift null without encoder),\n"
	"                k, sample, reference (rows in the reference set), step, row\n"
	"                (or null)\n";

/* Prints the gauges. */
static void
where_print(const struct rg_opts *o, const struct ls_bank *b, const struct ls_knn *kn,
	    const struct ls_where *w, double step)
{
	const struct ls_offmanifold *f = &w->off;

	if (o->json) {
		const char *keys[8] = { "knn", "knn_pct", "mahalanobis", "mahalanobis_pct", "norm",
					"norm_pct", "drift", "step" };
		double v[8] = { w->knn, w->knn_pct, f->mahalanobis, f->mahal_pct, f->norm, f->norm_pct,
				f->drift, step };
		printf("{\"k\": %d, \"sample\": %ld, \"reference\": %ld, \"row\": ", ls_knn_k(kn),
		       ls_knn_sample(kn), ls_knn_ref(kn));
		if (o->have_row)
			printf("%ld", o->row);
		else
			printf("null");
		for (int i = 0; i < 8; i++) {
			printf(", \"%s\": ", keys[i]);
			json_num(v[i]);
		}
		printf("}\n");
		return;
	}
	printf("k-NN distance (k = %d): %.6g (percentile %.1f of the bank's own, %ld rows sampled)\n",
	       ls_knn_k(kn), w->knn, w->knn_pct, ls_knn_sample(kn));
	if (ls_knn_ref(kn) < ls_bank_rows(b))
		printf("  approximate: to the nearest of a seeded sample of %ld of the bank's %ld rows\n",
		       ls_knn_ref(kn), ls_bank_rows(b));
	printf("Mahalanobis distance: %.6g (percentile %.1f of the bank)\n", f->mahalanobis, f->mahal_pct);
	if (ls_bank_rows(b) > LS_STATS_ROWS)
		printf("  approximate: mean and covariance over %ld evenly spaced of the bank's %ld rows\n",
		       LS_STATS_ROWS, ls_bank_rows(b));
	printf("norm: %.6g (percentile %.1f of the bank)\n", f->norm, f->norm_pct);
	if (isnan(f->drift))
		printf("round-trip drift: none (the model has no encoder)\n");
	else
		printf("round-trip drift: %.6g\n", f->drift);
}

/* Moves in->z0 alpha sigma along u[0]; the step in *step. */
static enum ls_status
where_move(const struct rg_opts *o, struct rg_in *in, double *step, char *err)
{
	enum ls_status s = LS_OK;
	int i;

	*step = 0;
	if (!o->ndir)
		return LS_OK;
	*step = o->alpha * sigma_of(in->bank, in->u[0], o->dir[0], err, &s);
	for (i = 0; s == LS_OK && i < in->d; i++)
		in->z0[i] += (float)(*step * in->u[0][i]);
	return s;
}

int
cmd_where(int argc, char **argv)
{
	struct rg_opts o = { .cmd = "where", .alpha = 1, .k = 5, .seed = 1 };
	char err[LS_ERR_MAX];
	struct ls_bankstats *bs = NULL;
	struct ls_knn *kn = NULL;
	struct ls_where w;
	struct rg_in in;
	enum ls_status s;
	double step = 0;
	int rc;

	memset(&in, 0, sizeof in);
	if ((rc = rg_parse(argc, argv, &o)) != 0)
		return rc < 0 ? cli_help(where_help) : rc;
	if (o.ndir > 1)
		return cli_usage("where", "takes at most one --dir");
	if (o.have_alpha && !o.ndir)
		return cli_usage("where", "--alpha needs --dir D");
	if (!o.have_row && !o.z)
		return cli_usage("where", "needs -z \"v1,...\" or --row I");
	if ((s = rg_load(&o, 1, &in, err)) == LS_OK && (s = where_move(&o, &in, &step, err)) == LS_OK &&
	    (s = ls_knn_create(in.bank, (int)o.k, WHERE_SAMPLE, (uint64_t)o.seed, &kn, err)) == LS_OK) {
		bs = ls_bankstats_create(in.bank);
		ls_where_at(in.m, bs, kn, in.z0, o.have_row && !o.ndir ? o.row : -1, &w);
		where_print(&o, in.bank, kn, &w, step);
	}
	ls_knn_free(kn);
	ls_bankstats_free(bs);
	rg_in_free(&in);
	return s == LS_OK ? 0 : cli_fail(s, err);
}

/* ---- info: the bound ------------------------------------------------------------ */

void
cli_info_extra(struct ls_model *m)
{
	struct ls_net *dec = ls_model_decoder(m);
	int d = ls_model_dim(m);

	if (ls_net_pl_kind(dec, NULL) == LS_PL_NO) {
		printf("linear regions: the decoder is %s (no bound)\n", LS_NOT_PL_TEXT);
		return;
	}
	if (isnan(ls_regions_bound(dec, 1))) {
		printf("linear regions: no Zhang-Naitzat-Lim bound for this graph (branches, pools or clips)\n");
		return;
	}
	printf("linear regions bound (Zhang-Naitzat-Lim, prod over ReLU layers of sum_{i<=d} C(n_l, i)):\n");
	printf("  whole latent space (d = %d): %.6g\n", d, ls_regions_bound(dec, d));
	printf("  a line (d = 1, 'linscope regions'): %.6g\n", ls_regions_bound(dec, 1));
	printf("  a plane (d = 2, 'linscope regionmap'): %.6g\n", ls_regions_bound(dec, 2));
}

/* ---- dir paint ------------------------------------------------------------------ */

static const char paint_help[] =
	"usage: linscope dir paint [-m MODEL] [-b BANK] (--row I | -z \"v1,...\")\n"
	"                          --mask X0,Y0,X1,Y1 -o FILE [--name N] [--force]\n"
	"\n"
	"The unit latent direction that changes the pixels of a rectangle the most\n"
	"at z: the top right singular vector of the decoder's Jacobian restricted\n"
	"to those pixels (all channels; exact inside z's linear region). The mask\n"
	"is half-open in image pixel coordinates, origin top-left: X0 <= x < X1,\n"
	"Y0 <= y < Y1. The sign is the one that increases the masked pixels' sum.\n"
	"The direction is added to the directions file FILE (created if needed)\n"
	"as N (default: paint), with method paint, the source row and mask, the\n"
	"model hash and the bank's sigma along it. An existing N is an error\n"
	"unless --force.\n";

/* Parses X0,Y0,X1,Y1. */
static enum ls_status
parse_mask(const char *spec, int *r, char *err)
{
	float *v;
	long n = spec ? ls_parse_floats(spec, &v) : -1;
	int i, bad = n != 4;

	for (i = 0; !bad && i < 4; i++) {
		bad |= v[i] != floorf(v[i]) || fabsf(v[i]) > 1e6f;
		r[i] = bad ? 0 : (int)v[i];
	}
	if (n >= 0)
		free(v);
	if (bad)
		return ls_err(err, LS_EINVAL, "--mask %s: want four integers X0,Y0,X1,Y1", spec ? spec : "");
	return LS_OK;
}

/* Saves u into FILE as name with its metadata. */
static enum ls_status
paint_save(const struct rg_opts *o, struct rg_in *in, const float *u, char *err)
{
	const char *name = o->name ? o->name : "paint";
	char src[256];
	struct ls_dirmeta md = { "paint", src, NULL, NULL, ls_model_hash(in->m), NULL, NAN };
	struct ls_dirfile *f;
	enum ls_status s;

	if (o->have_row)
		snprintf(src, sizeof src, "%s row %ld mask %s", ls_bank_path(in->bank), o->row, o->mask);
	else
		snprintf(src, sizeof src, "z %.200s mask %s", o->z, o->mask);
	if (in->bank)
		md.sigma = ls_bank_sigma(in->bank, u);
	if ((s = ls_dirname_check(name, err)) != LS_OK ||
	    (s = ls_dirfile_open(o->out, LS_DIRFILE_CREATE | LS_DIRFILE_LOCK, &f, err)) != LS_OK)
		return s;
	if ((s = ls_dirfile_put(f, name, u, in->d, &md, o->force, err)) == LS_OK)
		s = ls_dirfile_save(f, err);
	ls_dirfile_free(f);
	return s;
}

int
cli_dir_paint(int argc, char **argv)
{
	struct rg_opts o = { .cmd = "dir paint" };
	char err[LS_ERR_MAX];
	struct rg_in in;
	enum ls_status s;
	int rc, rect[4];
	float *u = NULL;
	double gain = 0;

	memset(&in, 0, sizeof in);
	if ((rc = rg_parse(argc, argv, &o)) != 0)
		return rc < 0 ? cli_help(paint_help) : rc;
	if (!o.mask || !o.out)
		return cli_usage("dir paint", "needs --mask X0,Y0,X1,Y1 and -o FILE");
	if (o.ndir)
		return cli_usage("dir paint", "takes no --dir");
	if ((s = parse_mask(o.mask, rect, err)) == LS_OK && (s = rg_load(&o, 0, &in, err)) == LS_OK) {
		u = xmalloc((size_t)in.d * sizeof *u);
		if ((s = ls_paint_direction(in.m, in.z0, rect[0], rect[1], rect[2], rect[3], u, &gain,
					    err)) == LS_OK &&
		    (s = paint_save(&o, &in, u, err)) == LS_OK)
			printf("%s:%s: top singular value %.6g\n", ls_safe(o.out), ls_safe(o.name ? o.name : "paint"),
			       gain);
	}
	free(u);
	rg_in_free(&in);
	return s == LS_OK ? 0 : cli_fail(s, err);
}
