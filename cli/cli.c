/*
 * cli.c: error reporting and model/bank loading shared by the subcommands.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define DEFAULT_MODEL "digits"

int
cli_fail(enum ls_status st, const char *msg)
{
	fprintf(stderr, "linscope: %s\n", msg);
	return ls_status_exit(st);
}

int
cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "linscope: %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'linscope %s --help')\n", cmd);
	return 2;
}

int
cli_help(const char *text)
{
	fputs(text, stdout);
	return 0;
}

/* A spec is a bundled name when it has no '/' and no ".safetensors" and no
 * such file exists. */
static int
is_bundled_name(const char *spec)
{
	return spec && !strchr(spec, '/') && !strstr(spec, ".safetensors") &&
	       access(spec, F_OK) != 0;
}

char *
cli_bundled(const char *model_spec, const char *suffix)
{
	char *name, *p;

	if (model_spec && !is_bundled_name(model_spec))
		return NULL;
	name = xasprintf("%s%s", model_spec ? model_spec : DEFAULT_MODEL, suffix);
	p = ls_asset_path(name);
	free(name);
	return p;
}

enum ls_status
cli_model_open(const char *spec, struct ls_model **m, char *err)
{
	enum ls_status s;
	char *p;

	if (spec && !is_bundled_name(spec))
		return ls_model_open(spec, m, err);
	if (!(p = cli_bundled(spec, ".safetensors")))
		return ls_err(err, LS_EINVAL, "%s: no such model file or bundled model (bundled: digits, digits2d; set LINSCOPE_DATADIR)",
			      spec ? spec : DEFAULT_MODEL);
	s = ls_model_open(p, m, err);
	free(p);
	return s;
}

enum ls_status
cli_bank_open(const char *spec, const char *model_spec, int d, struct ls_bank **b, char *err)
{
	enum ls_status s;
	char *p = NULL;

	if (!spec && !(p = cli_bundled(model_spec, ".npy")))
		return ls_err(err, LS_EINVAL, "no bank given (-b BANK.npy)");
	s = ls_bank_open(spec ? spec : p, b, err);
	free(p);
	if (s == LS_OK && ls_bank_dim(*b) != d) {
		s = ls_err(err, LS_EINVAL, "%s: bank rows have %d values but the model's latent dimension is %d",
			   ls_bank_path(*b), ls_bank_dim(*b), d);
		ls_bank_free(*b);
		*b = NULL;
	}
	return s;
}

enum ls_status
cli_batch_check(const char *what, long n, long d, long od, char *err)
{
	double bytes = (double)n * (double)(d + od) * sizeof(float);

	if (bytes > (double)CLI_BATCH_MAX)
		return ls_err(err, LS_EINVAL, "%s: %ld latents of %ld values and their %ld-value outputs "
			      "need %.3g GB, more than the limit of %ld GB: ask for fewer", what, n, d, od,
			      bytes / 1e9, CLI_BATCH_MAX >> 30);
	return LS_OK;
}

enum ls_status
cli_grid_check(const char *path, struct ls_model *m, long n, int cols, int scale, int gutter,
	       char *err)
{
	struct ls_grid_opts o = { cols, scale, gutter, 40, 0, 1 };
	char e[LS_ERR_MAX];
	int c, h, w;

	ls_model_image(m, &c, &h, &w);
	if (n > INT32_MAX || ls_grid_check((int)n, c, h, w, &o, e) != LS_OK)
		return ls_err(err, LS_EINVAL, "%s: %s", path,
			      n > INT32_MAX ? "too many images for one grid" : e);
	return LS_OK;
}

enum ls_status
cli_write_grid(const char *path, struct ls_model *m, const float *y, long n,
	       int cols, int scale, int gutter, char *err)
{
	struct ls_grid_opts o = { cols, scale, gutter, 40, 0, 1 };
	struct ls_raster r;
	enum ls_status s;
	int c, h, w;

	if ((s = cli_grid_check(path, m, n, cols, scale, gutter, err)) != LS_OK)
		return s;
	ls_model_image(m, &c, &h, &w);
	ls_model_range(m, &o.lo, &o.hi);
	ls_grid_compose(y, (int)n, c, h, w, &o, &r);
	s = ls_png_write(path, &r, err);
	ls_raster_free(&r);
	return s;
}
