/*
 * cli_dir_file.c: `linscope dir` commands on directions files (list, show,
 * rm, rename, export, import) and the read-out `dir project`.
 *
 * Commands that change a file load it whole, change it in memory and save
 * it atomically: on any error the file on disk is untouched.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_dir.h"

/* Wants exactly n positional arguments. */
static int
want_args(const struct dir_opts *o, int n, const char *what)
{
	if (o->nargs == n)
		return 0;
	return cli_usage(o->cmd, o->nargs < n ? "wants %s" : "wants only %s", what);
}

/* Opens FILE:NAME: *f and the index *i. */
static enum ls_status
open_spec(const char *spec, int flags, struct ls_dirfile **f, int *i, char **name, char *err)
{
	enum ls_status s;
	char *path;

	*f = NULL;
	if ((s = ls_dirfile_split(spec, &path, name, err)) == LS_OK &&
	    (s = ls_dirfile_open(path, flags, f, err)) == LS_OK &&
	    (*i = ls_dirfile_find(*f, *name)) < 0)
		s = ls_err(err, LS_EINVAL, "%s: no such direction", spec);
	free(path);
	return s;
}

/* A short summary of the metadata that matters for a listing. */
static void
list_details(const struct ls_dirfile *f, int i)
{
	const char *keys[] = { "pos", "neg", "accuracy", "auc", "variance_ratio", "var_share",
			       "note" };
	size_t k;

	for (k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		const char *v = ls_dirfile_meta(f, i, keys[k]);
		if (v)
			printf(" %s=%s", keys[k], ls_safe(v));
	}
}

int
dir_list(struct dir_opts *o)
{
	char err[LS_ERR_MAX];
	struct ls_dirfile *f;
	enum ls_status s;
	int i, r;

	if ((r = want_args(o, 1, "FILE")) != 0)
		return r;
	if ((s = ls_dirfile_open(o->args[0], 0, &f, err)) != LS_OK)
		return cli_fail(s, err);
	printf("%-16s %5s %-14s %10s  %s\n", "NAME", "D", "METHOD", "SIGMA", "DETAILS");
	for (i = 0; i < ls_dirfile_count(f); i++) {
		const char *m = ls_dirfile_meta(f, i, LS_DIRMETA_METHOD);
		printf("%-16s %5d %-14s %10.4g ", ls_safe(ls_dirfile_name(f, i)), ls_dirfile_dim(f, i),
		       m ? ls_safe(m) : "-", ls_dirfile_sigma(f, i));
		list_details(f, i);
		printf("\n");
	}
	ls_dirfile_free(f);
	return 0;
}

int
dir_show(struct dir_opts *o)
{
	char err[LS_ERR_MAX], *name = NULL;
	struct ls_dirfile *f = NULL;
	enum ls_status s;
	int i = 0, k, r;
	double n;

	if ((r = want_args(o, 1, "FILE:NAME")) != 0)
		return r;
	if ((s = open_spec(o->args[0], 0, &f, &i, &name, err)) == LS_OK) {
		const float *v = ls_dirfile_vec(f, i);
		int d = ls_dirfile_dim(f, i);
		for (n = 0, k = 0; k < d; k++)
			n += (double)v[k] * v[k];
		printf("name: %s\nfile: %s\nd: %d\nnorm: %.9g\n", ls_safe(name), ls_safe(ls_dirfile_path(f)), d, sqrt(n));
		for (k = 0; k < ls_dirfile_meta_count(f, i); k++)
			printf("%s: %s\n", ls_safe(ls_dirfile_meta_key(f, i, k)),
			       ls_safe(ls_dirfile_meta_value(f, i, k)));
		printf("values:");
		for (k = 0; k < d; k++)
			printf(" %.9g", v[k]);
		printf("\n");
	}
	free(name);
	ls_dirfile_free(f);
	return s ? cli_fail(s, err) : 0;
}

int
dir_rm(struct dir_opts *o)
{
	char err[LS_ERR_MAX], *name = NULL;
	struct ls_dirfile *f = NULL;
	enum ls_status s;
	int i, r;

	if ((r = want_args(o, 1, "FILE:NAME")) != 0)
		return r;
	if ((s = open_spec(o->args[0], LS_DIRFILE_LOCK, &f, &i, &name, err)) == LS_OK &&
	    (s = ls_dirfile_remove(f, name, err)) == LS_OK)
		s = ls_dirfile_save(f, err);
	free(name);
	ls_dirfile_free(f);
	return s ? cli_fail(s, err) : 0;
}

int
dir_rename(struct dir_opts *o)
{
	char err[LS_ERR_MAX], *name = NULL;
	struct ls_dirfile *f = NULL;
	enum ls_status s;
	int i, r;

	if ((r = want_args(o, 2, "FILE:OLD NEW")) != 0)
		return r;
	if ((s = open_spec(o->args[0], LS_DIRFILE_LOCK, &f, &i, &name, err)) == LS_OK &&
	    (s = ls_dirfile_rename(f, name, o->args[1], o->force, err)) == LS_OK)
		s = ls_dirfile_save(f, err);
	free(name);
	ls_dirfile_free(f);
	return s ? cli_fail(s, err) : 0;
}

int
dir_export(struct dir_opts *o)
{
	char err[LS_ERR_MAX], *name = NULL;
	struct ls_dirfile *f = NULL;
	enum ls_status s;
	int i = 0, k, r;

	if ((r = want_args(o, 1, "FILE:NAME")) != 0)
		return r;
	if (!o->npy == !o->txt)
		return cli_usage("dir export", "wants one of --npy OUT.npy or --txt");
	if ((s = open_spec(o->args[0], 0, &f, &i, &name, err)) == LS_OK) {
		int64_t shape[1] = { ls_dirfile_dim(f, i) };
		if (o->npy)
			s = ls_npy_write_f32(o->npy, ls_dirfile_vec(f, i), 1, shape, err);
		else
			for (k = 0; k < shape[0]; k++)
				printf("%.9g\n", ls_dirfile_vec(f, i)[k]);
	}
	free(name);
	ls_dirfile_free(f);
	return s ? cli_fail(s, err) : 0;
}

/* Reads a (d,) or (1, d) float .npy into *u, *d. */
static enum ls_status
read_vec(const char *path, float **u, int *d, char *err)
{
	struct ls_npy *npy;
	enum ls_status s;

	if ((s = ls_npy_open(path, &npy, err)) != LS_OK)
		return s;
	if ((npy->kind != LS_NPY_F4 && npy->kind != LS_NPY_F8) || npy->numel < 1 ||
	    npy->numel > (1 << 24) || npy->ndim < 1 || npy->ndim > 2 ||
	    (npy->ndim == 2 && npy->shape[0] != 1))
		s = ls_err(err, LS_EFORMAT, "%s: want a float array of shape (d,) or (1, d)", path);
	else {
		*d = (int)npy->numel;
		*u = xreallocarray(NULL, (size_t)*d, sizeof **u);
		ls_npy_read_f32(npy, 0, npy->numel, *u);
	}
	ls_npy_free(npy);
	return s;
}

int
dir_import(struct dir_opts *o)
{
	char err[LS_ERR_MAX];
	const char *ex[3] = { "source", NULL, NULL };
	const char *const *exl[1] = { ex };
	struct dir_ctx c = { 0 };
	enum ls_status s;
	const char *name;
	float *u = NULL;
	int d = 0, r;

	if ((r = want_args(o, 3, "FILE NAME IN.npy")) != 0)
		return r;
	o->out = o->args[0];
	name = o->args[1];
	ex[1] = o->args[2];
	if ((s = ls_dirname_check(name, err)) != LS_OK || (s = read_vec(o->args[2], &u, &d, err)) != LS_OK)
		goto out;
	if ((o->bank || o->model) && (s = dir_ctx_open(o, 1, 0, &c, err)) != LS_OK)
		goto out;
	if (c.d && c.d != d) {
		s = ls_err(err, LS_EINVAL, "%s: has %d values but the latent dimension is %d",
			   o->args[2], d, c.d);
		goto out;
	}
	c.d = d;
	s = dir_write(o, &c, 1, &name, u, "import", exl, err);
out:
	free(u);
	dir_ctx_close(&c);
	return s ? cli_fail(s, err) : 0;
}

/* Prints the histogram table: one row per bin, one column per class. */
static void
print_hist(const struct ls_hist *h)
{
	double w = (h->hi - h->lo) / h->nbins;
	int b, k;

	printf("lo\thi");
	for (k = 0; k < h->nclasses; k++)
		printf("\t%s", h->names ? ls_safe(h->names[k]) : "count");
	printf("\n");
	for (b = 0; b < h->nbins; b++) {
		printf("%.6g\t%.6g", h->lo + b * w, h->lo + (b + 1) * w);
		for (k = 0; k < h->nclasses; k++)
			printf("\t%ld", h->count[(long)k * h->nbins + b]);
		printf("\n");
	}
}

/* AUC of --pos vs --neg along the projections p. */
static enum ls_status
print_auc(const struct dir_opts *o, const struct dir_ctx *c, const double *p, char *err)
{
	long n = ls_bank_rows(c->b);
	unsigned char *pos = xmalloc((size_t)n), *neg = xmalloc((size_t)n);
	enum ls_status s;
	double auc;

	if ((s = ls_dirs_select(c->l, o->pos, "--pos", pos, NULL, err)) == LS_OK &&
	    (s = ls_dirs_select(c->l, o->neg, "--neg", neg, NULL, err)) == LS_OK &&
	    (s = ls_dirs_check_pair(pos, neg, n, err)) == LS_OK &&
	    (s = ls_dirs_auc(p, pos, neg, n, &auc, err)) == LS_OK)
		printf("auc\t%.6f\t(pos %s, neg %s)\n", auc, ls_safe(o->pos), ls_safe(o->neg));
	free(pos);
	free(neg);
	return s;
}

static enum ls_status
run_project(const struct dir_opts *o, const struct dir_ctx *c, char *err)
{
	float *u = xmalloc((size_t)c->d * sizeof *u);
	double *p = xmalloc((size_t)ls_bank_rows(c->b) * sizeof *p);
	struct ls_dirscale sc;
	struct ls_hist *h = NULL;
	enum ls_status s;

	if ((s = ls_dir_resolve(o->args[0], c->b, c->d, u, err)) != LS_OK ||
	    (s = ls_dir_normalize(u, c->d, o->args[0], err)) != LS_OK)
		goto out;
	ls_dirs_project(c->b, u, p);
	ls_dirscale_init(&sc, c->b, u);
	printf("# %s: sigma %.6g, mean %.6g, variance share %.6g, median %.6g\n", ls_safe(o->args[0]),
	       sc.sigma, sc.mean, ls_dirs_var_share(c->b, u), ls_dirscale_percentile(&sc, 50));
	ls_dirscale_free(&sc);
	h = ls_dirs_hist(p, ls_bank_rows(c->b), c->l, (int)o->bins);
	print_hist(h);
	if (o->pos || o->neg)
		s = print_auc(o, c, p, err);
out:
	ls_hist_free(h);
	free(u);
	free(p);
	return s;
}

int
dir_project(struct dir_opts *o)
{
	char err[LS_ERR_MAX];
	struct dir_ctx c;
	enum ls_status s;
	int r;

	if ((r = want_args(o, 1, "a direction (axis:K, rows:I-J or FILE:NAME)")) != 0)
		return r;
	if (!o->pos != !o->neg)
		return cli_usage("dir project", "--pos and --neg go together");
	if ((s = dir_ctx_open(o, 2, o->pos ? 1 : -1, &c, err)) == LS_OK)
		s = run_project(o, &c, err);
	dir_ctx_close(&c);
	return s ? cli_fail(s, err) : 0;
}
