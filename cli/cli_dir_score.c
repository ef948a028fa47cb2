/*
 * cli_dir_score.c: `linscope dir score DIR`: a direction against the
 * ground-truth factors of the bank (factors.h): one line per factor,
 * sorted by |r|, then the leak into the factors it does not mainly move.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli_dir.h"

/* The factors: --factors, or the bundled model's when the bank is bundled. */
static enum ls_status
open_factors(const struct dir_opts *o, const struct dir_ctx *c, struct ls_factors **f,
	     char *err)
{
	char *path = o->factors ? xstrdup(o->factors) : o->bank ? NULL : cli_bundled(o->model, "factors");
	enum ls_status s;

	if (!path)
		return ls_err(err, LS_EINVAL, "dir score: needs --factors F.npy (%s)",
			      o->bank ? "a bank given by path has no bundled factors"
				      : "this model has none bundled");
	s = ls_factors_open(path, ls_bank_rows(c->b), f, err);
	free(path);
	return s;
}

/* Prints the table of sc. */
static void
print_score(const char *spec, const struct ls_factors *f, const struct ls_score *sc)
{
	int j;

	printf("# %s against %s (%ld rows)\n", ls_safe(spec), ls_safe(ls_factors_path(f)),
	       ls_factors_rows(f));
	printf("factor\tr\n");
	for (j = 0; j < sc->k; j++) {
		double r = sc->r[sc->order[j]];
		if (isnan(r))
			printf("%s\tnan\t(constant)\n", ls_safe(ls_factors_name(f, sc->order[j])));
		else
			printf("%s\t%+.6f\n", ls_safe(ls_factors_name(f, sc->order[j])), r);
	}
	printf("leak\t%.6f\n", sc->leak);
}

static enum ls_status
run_score(const struct dir_opts *o, const struct dir_ctx *c, char *err)
{
	float *u = xmalloc((size_t)c->d * sizeof *u);
	struct ls_factors *f = NULL;
	struct ls_score sc;
	enum ls_status s;

	if ((s = ls_dir_resolve(o->args[0], c->b, c->d, u, err)) == LS_OK &&
	    (s = ls_dir_normalize(u, c->d, o->args[0], err)) == LS_OK &&
	    (s = open_factors(o, c, &f, err)) == LS_OK &&
	    (s = ls_dirs_score(c->b, u, f, &sc, err)) == LS_OK)
		print_score(o->args[0], f, &sc);
	ls_factors_free(f);
	free(u);
	return s;
}

int
dir_score(struct dir_opts *o)
{
	char err[LS_ERR_MAX];
	struct dir_ctx c;
	enum ls_status s;

	if (o->nargs != 1)
		return cli_usage("dir score", o->nargs ? "wants only one direction"
						       : "wants a direction (axis:K, rows:I-J or FILE:NAME)");
	if ((s = dir_ctx_open(o, 2, 0, &c, err)) == LS_OK)
		s = run_score(o, &c, err);
	dir_ctx_close(&c);
	return s ? cli_fail(s, err) : 0;
}
