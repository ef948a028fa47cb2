/*
 * cli_traverse.c: `linscope traverse`, a strip of decodes along a direction:
 * z(t) = z0 + t * u, u the unit direction, t evenly spaced over [A, B].
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "linscope/dir.h"
#include "linscope/path.h"

static const char traverse_help[] =
	"usage: linscope traverse [-m MODEL] [-b BANK] (--row I | -z \"v1,...\") --dir DIR\n"
	"                         --range A:B --steps N (-o STRIP.png | --npy OUT.npy)\n"
	"                         [--sigma] [--scale S] [--gutter G] [--path]\n"
	"\n"
	"Decode z(t) = z0 + t*u for N evenly spaced t in [A, B] and write them side\n"
	"by side. z0 is bank row I (or the latent given with -z); u is DIR scaled to\n"
	"unit length. DIR is axis:K (latent axis K, from 0), rows:I-J (bank[J] -\n"
	"bank[I]) or FILE:NAME (a direction saved in a directions file).\n"
	"t is a latent distance; with --sigma it is in units of the bank's standard\n"
	"deviation along u (the slider unit of the explorer).\n"
	"  --npy OUT.npy  also (or instead) write the raw outputs, (N, C*H*W) float32\n"
	"  --path         frames from the exact path of the segment (breakpoints and\n"
	"                 cached outputs, as the explorer's slider); direct decodes,\n"
	"                 with a note, when the decoder is not piecewise linear or the\n"
	"                 path is over its 256 MB budget\n";

struct trav_opts {
	const char *model, *bank, *dir, *png, *npy, *z;
	long row;
	double a, b;
	int have_row, have_range, steps, sigma, scale, gutter, path;
};

static int
trav_opt(struct trav_opts *o, int c, const char *v)
{
	long x;

	switch (c) {
	case 'm': o->model = v; return 0;
	case 'b': o->bank = v; return 0;
	case 'z': o->z = v; return 0;
	case 'o': o->png = v; return 0;
	case OPT_NPY: o->npy = v; return 0;
	case OPT_DIR: o->dir = v; return 0;
	case OPT_SIGMA: o->sigma = 1; return 0;
	case OPT_PATH: o->path = 1; return 0;
	case OPT_ROW:
		if (ls_parse_long(v, &o->row) || o->row < 0)
			return cli_usage("traverse", "--row wants a row number, not '%s'", v);
		o->have_row = 1;
		return 0;
	case OPT_RANGE:
		if (ls_parse_range_d(v, &o->a, &o->b))
			return cli_usage("traverse", "--range wants A:B (numbers), not '%s'", v);
		o->have_range = 1;
		return 0;
	case OPT_STEPS:
		if (ls_parse_long(v, &x) || x < 1 || x > 1024)
			return cli_usage("traverse", "--steps wants 1..1024, not '%s'", v);
		o->steps = (int)x;
		return 0;
	case OPT_SCALE:
		if (ls_parse_long(v, &x) || x < 1 || x > 64)
			return cli_usage("traverse", "--scale wants 1..64, not '%s'", v);
		o->scale = (int)x;
		return 0;
	case OPT_GUTTER:
		if (ls_parse_long(v, &x) || x < 0 || x > 64)
			return cli_usage("traverse", "--gutter wants 0..64, not '%s'", v);
		o->gutter = (int)x;
		return 0;
	}
	return 2;
}

static int
trav_parse(int argc, char **argv, struct trav_opts *o)
{
	static const struct option lo[] = {
		{ "help", no_argument, 0, 'h' }, { "row", required_argument, 0, OPT_ROW },
		{ "dir", required_argument, 0, OPT_DIR }, { "range", required_argument, 0, OPT_RANGE },
		{ "steps", required_argument, 0, OPT_STEPS }, { "npy", required_argument, 0, OPT_NPY },
		{ "sigma", no_argument, 0, OPT_SIGMA }, { "scale", required_argument, 0, OPT_SCALE },
		{ "gutter", required_argument, 0, OPT_GUTTER }, { "path", no_argument, 0, OPT_PATH },
		{ 0, 0, 0, 0 } };
	int c, r;

	while ((c = getopt_long(argc, argv, "hm:b:z:o:", lo, NULL)) != -1) {
		if (c == 'h')
			return -1;
		if ((r = trav_opt(o, c, optarg)) != 0)
			return r;
	}
	if (optind < argc)
		return cli_usage("traverse", "unexpected argument '%s'", argv[optind]);
	if (o->have_row == !!o->z)
		return cli_usage("traverse", "give a start latent: --row I (with a bank) or -z");
	if (!o->dir || !o->have_range || !o->steps)
		return cli_usage("traverse", "needs --dir, --range A:B and --steps N");
	if (!o->png && !o->npy)
		return cli_usage("traverse", "needs -o STRIP.png or --npy OUT.npy");
	return 0;
}

/* Builds the N latents of the strip into z (N, d), the start latent into
 * z0 (d) and the step direction (u times the unit) into us (d). */
static enum ls_status
trav_latents(const struct trav_opts *o, const struct ls_bank *b, int d, float *z, float *z0,
	     float *us, char *err)
{
	float *u = xmalloc((size_t)d * sizeof *u);
	double unit = 1;
	enum ls_status s;
	int i, k;

	if ((s = cli_start_latent(b, o->have_row ? &o->row : NULL, o->z, d, z, err)) != LS_OK ||
	    (s = ls_dir_resolve(o->dir, b, d, u, err)) != LS_OK ||
	    (s = ls_dir_normalize(u, d, o->dir, err)) != LS_OK)
		goto out;
	if (o->sigma && (!b || (unit = ls_bank_sigma(b, u)) <= 0)) {
		s = ls_err(err, LS_EINVAL, "--sigma needs a bank with spread along %s", o->dir);
		goto out;
	}
	for (k = 0; k < d; k++) {
		z0[k] = z[k];
		us[k] = (float)(unit * u[k]);
	}
	for (i = o->steps - 1; i >= 0; i--) {
		double t = o->steps == 1 ? o->a : o->a + (o->b - o->a) * i / (o->steps - 1);
		for (k = 0; k < d; k++)
			z[(long)i * d + k] = (float)(z[k] + t * unit * u[k]);
	}
out:
	free(u);
	return s;
}

/* The N outputs from the exact path of the segment (path.h); 0, or -1
 * after a note on stderr when it does not apply (direct decodes then). */
static int
trav_path(const struct trav_opts *o, struct ls_model *m, const float *z0, const float *us,
	  float *y)
{
	struct ls_path *p;
	char err[LS_ERR_MAX];
	long od = ls_model_out_dim(m);
	int i;

	if (!(o->a < o->b) || ls_path_create(ls_model_decoder(m), z0, us, o->a, o->b, 0, &p, err)) {
		fprintf(stderr, "linscope: traverse: direct decodes: %s\n",
			o->a < o->b ? err : "the range has no length");
		return -1;
	}
	for (i = 0; i < o->steps; i++)
		ls_path_frame(p, o->steps == 1 ? o->a : o->a + (o->b - o->a) * i / (o->steps - 1),
			      y + i * od);
	ls_path_free(p);
	return 0;
}

static enum ls_status
trav_run(const struct trav_opts *o, char *err)
{
	struct ls_model *m = NULL;
	struct ls_bank *b = NULL;
	float *z = NULL, *y = NULL, *z0 = NULL, *us = NULL;
	enum ls_status s;
	int d;

	if ((s = cli_model_open(o->model, &m, err)) != LS_OK)
		return s;
	d = ls_model_dim(m);
	if ((o->have_row || o->bank || o->sigma || !strncmp(o->dir, "rows:", 5)) &&
	    (s = cli_bank_open(o->bank, o->model, d, &b, err)) != LS_OK)
		goto out;
	if ((s = cli_batch_check("traverse", o->steps, d, ls_model_out_dim(m), err)) != LS_OK)
		goto out;
	z = xreallocarray(NULL, (size_t)o->steps * (size_t)d, sizeof *z);
	z0 = xreallocarray(NULL, 2 * (size_t)d, sizeof *z0);
	us = z0 + d;
	if ((s = trav_latents(o, b, d, z, z0, us, err)) != LS_OK)
		goto out;
	if (o->png && (s = cli_grid_check(o->png, m, o->steps, o->steps, o->scale, o->gutter, err)))
		goto out;   /* every output is checked before any is written */
	y = xreallocarray(NULL, (size_t)o->steps * (size_t)ls_model_out_dim(m), sizeof *y);
	if (!o->path || trav_path(o, m, z0, us, y) != 0)
		ls_model_decode(m, z, o->steps, y);
	if (o->npy) {
		int64_t shape[2] = { o->steps, ls_model_out_dim(m) };
		if ((s = ls_npy_write_f32(o->npy, y, 2, shape, err)) != LS_OK)
			goto out;
	}
	if (o->png)
		s = cli_write_grid(o->png, m, y, o->steps, o->steps, o->scale, o->gutter, err);
out:
	free(z);
	free(z0);
	free(y);
	ls_bank_free(b);
	ls_model_free(m);
	return s;
}

int
cmd_traverse(int argc, char **argv)
{
	struct trav_opts o = { .scale = 2, .gutter = 2 };
	char err[LS_ERR_MAX];
	enum ls_status s;
	int r;

	if ((r = trav_parse(argc, argv, &o)) != 0)
		return r < 0 ? cli_help(traverse_help) : r;
	if ((s = trav_run(&o, err)) != LS_OK)
		return cli_fail(s, err);
	return 0;
}
