/*
 * cli.c: error reporting and model/bank loading shared by the subcommands.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"


int
cli_fail(enum ls_status st, const char *msg)
{
	fprintf(stderr, "linscope: %s%s\n", msg, st == LS_EEXIST ? " (use --force to replace it)" : "");
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

char *
cli_bundled(const char *model_spec, const char *what)
{
	struct ls_bundle b;
	char err[LS_ERR_MAX], *p = NULL;

	if (model_spec && !ls_bundle_is_name(model_spec))
		return NULL;
	if (ls_bundle_find(model_spec, &b, err) != LS_OK)
		return NULL;
	if (!strcmp(what, "bank"))
		p = b.bank, b.bank = NULL;
	else if (!strcmp(what, "labels"))
		p = b.labels, b.labels = NULL;
	else if (!strcmp(what, "factors"))
		p = b.factors, b.factors = NULL;
	ls_bundle_free(&b);
	return p;
}

enum ls_status
cli_model_open(const char *spec, struct ls_model **m, char *err)
{
	return cli_model_open_lazy(spec, 0, m, err);
}

enum ls_status
cli_model_open_lazy(const char *spec, int lazy, struct ls_model **m, char *err)
{
	struct ls_model_opts o;
	struct ls_bundle b;
	enum ls_status s;

	if (spec && !ls_bundle_is_name(spec)) {
		ls_model_defaults(&o);
		o.lazy = lazy;
		return ls_model_open_opts(spec, &o, m, err);
	}
	if ((s = ls_bundle_find(spec, &b, err)) != LS_OK)
		return s;
	s = ls_bundle_open(&b, m, err);
	ls_bundle_free(&b);
	return s;
}

enum ls_status
cli_bank_open(const char *spec, const char *model_spec, int d, struct ls_bank **b, char *err)
{
	enum ls_status s;
	char *p = NULL;

	if (!spec && !(p = cli_bundled(model_spec, "bank")))
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
	struct ls_grid_opts o = { cols, scale, gutter, 40, 0, 1, NULL };
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
	struct ls_grid_opts o = { cols, scale, gutter, 40, 0, 1, NULL };
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

enum ls_status
cli_start_latent(const struct ls_bank *b, const long *row, const char *z, int d, float *z0,
		 char *err)
{
	char why[LS_ERR_MAX];

	if (row) {
		if (!b || *row < 0 || *row >= ls_bank_rows(b))
			return ls_err(err, LS_EINVAL, "%s: row %ld out of range (the bank has %ld rows)",
				      b ? ls_bank_path(b) : "bank", *row, b ? ls_bank_rows(b) : 0L);
		memcpy(z0, ls_bank_row(b, *row), (size_t)d * sizeof *z0);
		return LS_OK;
	}
	if (!z)
		return ls_err(err, LS_EINVAL, "give a start latent: --row I (with a bank) or -z \"v1,...\"");
	if (ls_parse_vector(z, d, z0, why) != LS_OK)
		return ls_err(err, LS_EINVAL, "-z %s: %s", z, why);
	return LS_OK;
}
