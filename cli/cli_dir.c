/*
 * cli_dir.c: `linscope dir SUB ...`: making directions (pca, sefa,
 * mean-diff, probe, lda, axis, rows, random, combine, orthogonalize) and
 * dispatching the file commands of cli_dir_file.c.
 *
 * Every command that writes adds to the directions file -o FILE (creating
 * it if needed); an existing name is refused (exit 2, file untouched)
 * unless --force. All names are checked before anything is written.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_dir.h"

enum { OPT_SUBSET = 1100, OPT_HOLDOUT, OPT_SHRINK, OPT_BINS, OPT_AGAINST, OPT_NORMALIZE, OPT_FACTORS };

struct dir_sub {
	const char *name;
	int (*fn)(struct dir_opts *o);
	const char *usage;
	const char *help;
};

static const char dir_help_head[] =
	"usage: linscope dir SUBCOMMAND [ARGS...]\n"
	"\n"
	"Make, combine, inspect and save latent directions. Directions live in\n"
	"directions files (safetensors, see linscope-files(5)) and are named\n"
	"FILE:NAME wherever a direction is taken (traverse --dir, decode, the\n"
	"explorer). Commands that write add to -o FILE (creating it); an existing\n"
	"name is refused unless --force. MODEL and BANK are paths or bundled\n"
	"names; without -b the model's bundled bank (and labels) are used.\n"
	"\n";

/* ---- opening inputs ----------------------------------------------------- */

/* The labels: -l, or the bundled labels when the bank is bundled. */
static enum ls_status
ctx_labels(const struct dir_opts *o, struct dir_ctx *c, int need, char *err)
{
	enum ls_status s;

	if (o->labels)
		c->labels_path = xstrdup(o->labels);
	else if (!o->bank)
		c->labels_path = cli_bundled(o->model, "labels");
	if (!c->labels_path)
		return need > 0 ? ls_err(err, LS_EINVAL, "%s: needs labels (-l LABELS)", o->sub) : LS_OK;
	s = ls_labels_open(c->labels_path, ls_bank_rows(c->b), &c->l, err);
	return s;
}

enum ls_status
dir_ctx_open(const struct dir_opts *o, int need_bank, int need_labels, struct dir_ctx *c,
	     char *err)
{
	enum ls_status s = LS_OK;

	memset(c, 0, sizeof *c);
	if (o->dim && !o->model && !o->bank) {   /* -d D: no model, no bank */
		c->d = (int)o->dim;
		return LS_OK;
	}
	if (o->bank && !o->model && need_bank) {
		if ((s = ls_bank_open(o->bank, &c->b, err)) != LS_OK)
			return s;
		c->d = ls_bank_dim(c->b);
	} else {
		if ((s = cli_model_open(o->model, &c->m, err)) != LS_OK)
			return s;
		c->d = ls_model_dim(c->m);
		if (need_bank && (s = cli_bank_open(o->bank, o->model, c->d, &c->b, err)) != LS_OK) {
			if (need_bank == 2 || o->bank)
				return s;
			s = LS_OK;   /* optional and not available */
		}
	}
	if (c->b && (need_labels || o->labels))
		s = ctx_labels(o, c, need_labels, err);
	return s;
}

void
dir_ctx_close(struct dir_ctx *c)
{
	ls_labels_free(c->l);
	ls_bank_free(c->b);
	ls_model_free(c->m);
	free(c->labels_path);
	memset(c, 0, sizeof *c);
}

/* "model=PATH bank=PATH labels=PATH" for what is open. */
static char *
ctx_source(const struct dir_ctx *c)
{
	return xasprintf("%s%s%s%s%s%s", c->m ? "model=" : "", c->m ? ls_model_path(c->m) : "",
			 c->b ? (c->m ? " bank=" : "bank=") : "", c->b ? ls_bank_path(c->b) : "",
			 c->l ? " labels=" : "", c->l ? c->labels_path : "");
}

/* Puts direction i with its metadata into f. */
static enum ls_status
put_one(struct ls_dirfile *f, const struct dir_opts *o, const struct dir_ctx *c,
	const char *name, const float *u, const char *method, const char *const *extra,
	const char *src, char *err)
{
	struct ls_dirmeta m = { method, src, o->neg ? o->pos : NULL, o->neg,
				c->m ? ls_model_hash(c->m) : NULL, o->note, NAN };
	enum ls_status s;

	if (c->b)
		m.sigma = c->sigma ? *c->sigma : ls_bank_sigma(c->b, u);
	if ((s = ls_dirfile_put(f, name, u, c->d, &m, o->force, err)) != LS_OK)
		return s;
	for (; extra && extra[0] && s == LS_OK; extra += 2)
		s = ls_dirfile_set_meta(f, name, extra[0], extra[1], err);
	return s;
}

enum ls_status
dir_write(const struct dir_opts *o, const struct dir_ctx *c, int n, const char *const *names,
	  const float *u, const char *method, const char *const *const *extra, char *err)
{
	struct ls_dirfile *f = NULL;
	char *src = ctx_source(c);
	enum ls_status s;
	int i;

	if (!o->out) {
		s = ls_err(err, LS_EINVAL, "%s: needs -o FILE (a directions file)", o->sub);
		goto out;
	}
	if ((s = ls_dirfile_open(o->out, LS_DIRFILE_CREATE | LS_DIRFILE_LOCK, &f, err)) != LS_OK)
		goto out;
	for (i = 0; i < n && s == LS_OK; i++) {
		struct dir_ctx ci = *c;
		ci.sigma = c->sigma ? c->sigma + i : NULL;
		s = put_one(f, o, &ci, names[i], u + (long)i * c->d, method,
			    extra ? extra[i] : NULL, src, err);
	}
	if (s == LS_OK)
		s = ls_dirfile_save(f, err);
out:
	ls_dirfile_free(f);
	free(src);
	return s;
}

/* ---- pick --------------------------------------------------------------- */

/* Writes k numbered directions PREFIX1..PREFIXk with per-direction extras. */
static enum ls_status
write_numbered(const struct dir_opts *o, const struct dir_ctx *c, const char *prefix, int k,
	       const float *u, const char *method, const char *key1, const double *v1,
	       const char *key2, const double *v2, char *err)
{
	char **names = xcalloc((size_t)k, sizeof *names), **vals = xcalloc((size_t)k * 2, sizeof *vals);
	const char *const **extra = xcalloc((size_t)k, sizeof *extra);
	const char **ex = xcalloc((size_t)k * 5, sizeof *ex);
	enum ls_status s;
	int i;

	for (i = 0; i < k; i++) {
		names[i] = xasprintf("%s%d", prefix, i + 1);
		vals[2 * i] = xasprintf("%.9g", v1[i]);
		vals[2 * i + 1] = xasprintf("%.9g", v2 ? v2[i] : 0.0);
		ex[5 * i] = key1;
		ex[5 * i + 1] = vals[2 * i];
		ex[5 * i + 2] = v2 ? key2 : NULL;
		ex[5 * i + 3] = vals[2 * i + 1];
		extra[i] = &ex[5 * i];
	}
	s = dir_write(o, c, k, (const char *const *)names, u, method, extra, err);
	for (i = 0; i < k; i++) {
		free(names[i]);
		free(vals[2 * i]);
		free(vals[2 * i + 1]);
	}
	free(names);
	free(vals);
	free(extra);
	free(ex);
	return s;
}

/* -k K, checked against d. */
static enum ls_status
check_k(const struct dir_opts *o, int d, char *err)
{
	if (!o->have_k)
		return ls_err(err, LS_EINVAL, "%s: needs -k K", o->sub);
	if (o->k < 1 || o->k > d)
		return ls_err(err, LS_EINVAL, "-k %ld: want 1 <= k <= d = %d", o->k, d);
	return LS_OK;
}

static enum ls_status
run_pca(const struct dir_opts *o, struct dir_ctx *c, char *err)
{
	unsigned char *mask = NULL;
	double *var = NULL, *ratio = NULL, *sig = NULL;
	const struct ls_progress *p;
	struct cli_progress pr;
	float *u = NULL;
	enum ls_status s;
	int i;

	if ((s = check_k(o, c->d, err)) != LS_OK)
		return s;
	if (o->pos) {   /* --subset SET */
		mask = xmalloc((size_t)ls_bank_rows(c->b));
		if ((s = ls_dirs_select(c->l, o->pos, "--subset", mask, NULL, err)) != LS_OK)
			goto out;
	}
	u = xreallocarray(NULL, (size_t)o->k * (size_t)c->d, sizeof *u);
	var = xmalloc((size_t)o->k * sizeof *var);
	ratio = xmalloc((size_t)o->k * sizeof *ratio);
	p = cli_progress_start(&pr, "pca");
	s = ls_dirs_pca_progress(c->b, mask, (int)o->k, u, var, ratio, p, err);
	cli_progress_end(&pr);
	if (s != LS_OK)
		goto out;
	if (!mask) {   /* the bank's sigma along a component is sqrt(its eigenvalue) */
		sig = xmalloc((size_t)o->k * sizeof *sig);
		for (i = 0; i < o->k; i++)
			sig[i] = sqrt(var[i]);
		c->sigma = sig;
	}
	if ((s = write_numbered(o, c, o->name ? o->name : "pc", (int)o->k, u, "pca",
				"explained_variance", var, "variance_ratio", ratio, err)) != LS_OK)
		goto out;
	for (i = 0; i < o->k; i++)
		printf("%s%d\tvariance %.6g\t(%.2f%%)\n", o->name ? o->name : "pc", i + 1, var[i],
		       100 * ratio[i]);
out:
	c->sigma = NULL;
	free(sig);
	free(mask);
	free(u);
	free(var);
	free(ratio);
	return s;
}

static int
sub_pca(struct dir_opts *o)
{
	char err[LS_ERR_MAX];
	struct dir_ctx c;
	enum ls_status s;

	if (o->pos && !o->labels && o->bank)
		return cli_usage("dir pca", "--subset needs -l LABELS");
	if ((s = dir_ctx_open(o, 2, o->pos != NULL, &c, err)) == LS_OK)
		s = run_pca(o, &c, err);
	dir_ctx_close(&c);
	return s ? cli_fail(s, err) : 0;
}

static int
sub_sefa(struct dir_opts *o)
{
	char err[LS_ERR_MAX];
	struct dir_ctx c;
	enum ls_status s;
	float *u = NULL;
	double *ev = NULL;

	if (o->bank && !o->model)
		return cli_usage("dir sefa", "needs -m MODEL");
	if ((s = dir_ctx_open(o, 1, 0, &c, err)) != LS_OK || (s = check_k(o, c.d, err)) != LS_OK)
		goto out;
	u = xreallocarray(NULL, (size_t)o->k * (size_t)c.d, sizeof *u);
	ev = xmalloc((size_t)o->k * sizeof *ev);
	if ((s = ls_dirs_sefa(ls_model_decoder(c.m), (int)o->k, u, ev, err)) == LS_OK)
		s = write_numbered(o, &c, o->name ? o->name : "sefa", (int)o->k, u, "sefa",
				   "eigenvalue", ev, NULL, NULL, err);
out:
	free(u);
	free(ev);
	dir_ctx_close(&c);
	return s ? cli_fail(s, err) : 0;
}

/* ---- learn -------------------------------------------------------------- */

/* pos and neg masks from --pos/--neg over the labels. */
static enum ls_status
learn_masks(const struct dir_opts *o, const struct dir_ctx *c, unsigned char **pos,
	    unsigned char **neg, char *err)
{
	long n = ls_bank_rows(c->b);
	enum ls_status s;

	*pos = xmalloc((size_t)n);
	*neg = xmalloc((size_t)n);
	if (!o->pos || !o->neg)
		return ls_err(err, LS_EINVAL, "%s: needs --from B --to A (or --neg B --pos A): label values", o->sub);
	if ((s = ls_dirs_select(c->l, o->pos, "--pos", *pos, NULL, err)) != LS_OK ||
	    (s = ls_dirs_select(c->l, o->neg, "--neg", *neg, NULL, err)) != LS_OK)
		return s;
	return ls_dirs_check_pair(*pos, *neg, n, err);
}

/* Fits the direction for o->sub into u; fills extras into ex (pairs). */
static enum ls_status
learn_fit(const struct dir_opts *o, const struct dir_ctx *c, const unsigned char *pos,
	  const unsigned char *neg, float *u, char vals[][32], char *err)
{
	struct ls_probe_opts po;
	struct ls_probe_result r = { 0 };
	struct cli_progress pr;
	enum ls_status s;

	if (!strcmp(o->sub, "mean-diff"))
		return ls_dirs_mean_diff(c->b, pos, neg, u, err);
	if (!strcmp(o->sub, "lda")) {
		snprintf(vals[0], 32, "%.9g", o->shrink);
		return ls_dirs_lda(c->b, pos, neg, o->shrink, u, err);
	}
	ls_probe_opts_default(&po);
	po.C = o->C;
	po.holdout = o->holdout;
	po.seed = o->seed;
	po.progress = cli_progress_start(&pr, "probe");
	s = ls_dirs_probe(c->b, pos, neg, &po, u, &r, err);
	cli_progress_end(&pr);
	if (s != LS_OK)
		return s;
	snprintf(vals[0], 32, "%.9g", o->C);
	snprintf(vals[1], 32, "%.6f", isnan(r.test_acc) ? r.train_acc : r.test_acc);
	snprintf(vals[2], 32, "%.6f", r.train_acc);
	snprintf(vals[3], 32, "%.9g", o->holdout);
	if (r.n_test)
		printf("probe: accuracy %.4f on %ld held-out rows, ", r.test_acc, r.n_test);
	printf("train accuracy %.4f on %ld rows (%d Newton steps)\n", r.train_acc, r.n_train,
	       r.iters);
	return LS_OK;
}

/* The metadata extras of a learned direction: NULL-terminated pairs. */
static void
learn_extras(const char *sub, char vals[][32], const char **ex)
{
	int n = 0;

	ex[n++] = "auc";
	ex[n++] = vals[4];
	ex[n++] = "var_share";
	ex[n++] = vals[5];
	if (!strcmp(sub, "lda")) {
		ex[n++] = "shrink";
		ex[n++] = vals[0];
	} else if (!strcmp(sub, "probe")) {
		const char *k[] = { "C", "accuracy", "train_accuracy", "holdout" };
		int i;
		for (i = 0; i < 4; i++) {
			ex[n++] = k[i];
			ex[n++] = vals[i];
		}
	}
	ex[n] = NULL;
}

static enum ls_status
run_learn(const struct dir_opts *o, struct dir_ctx *c, char *err)
{
	unsigned char *pos = NULL, *neg = NULL;
	float *u = xmalloc((size_t)c->d * sizeof *u);
	double *p = xmalloc((size_t)ls_bank_rows(c->b) * sizeof *p), auc = 0;
	const char *name = o->name ? o->name : !strcmp(o->sub, "mean-diff") ? "meandiff" : o->sub;
	char vals[6][32];
	const char *ex[16];
	const char *const *exl[1] = { ex };
	enum ls_status s;

	if ((s = learn_masks(o, c, &pos, &neg, err)) != LS_OK ||
	    (s = ls_dirname_check(name, err)) != LS_OK ||
	    (s = learn_fit(o, c, pos, neg, u, vals, err)) != LS_OK)
		goto out;
	ls_dirs_project(c->b, u, p);
	if ((s = ls_dirs_auc(p, pos, neg, ls_bank_rows(c->b), &auc, err)) != LS_OK)
		goto out;
	snprintf(vals[4], 32, "%.6f", auc);
	snprintf(vals[5], 32, "%.6g", ls_dirs_var_share(c->b, u));
	learn_extras(o->sub, vals, ex);
	if ((s = dir_write(o, c, 1, &name, u, o->sub, exl, err)) == LS_OK)
		printf("%s:%s\tauc %.4f\tsigma %.6g\tvariance share %s\n", ls_safe(o->out), ls_safe(name), auc,
		       ls_bank_sigma(c->b, u), vals[5]);
out:
	free(pos);
	free(neg);
	free(u);
	free(p);
	return s;
}

static int
sub_learn(struct dir_opts *o)
{
	char err[LS_ERR_MAX];
	struct dir_ctx c;
	enum ls_status s;

	if (o->bank && !o->labels)
		return cli_usage(o->cmd, "needs -l LABELS with -b BANK");
	if ((s = dir_ctx_open(o, 2, 1, &c, err)) == LS_OK)
		s = run_learn(o, &c, err);
	dir_ctx_close(&c);
	return s ? cli_fail(s, err) : 0;
}

/* ---- single directions from a spec: axis, rows, random ----------------- */

static int
write_single(struct dir_opts *o, const char *method, const char *defname,
	     enum ls_status (*make)(const struct dir_opts *, const struct dir_ctx *, float *,
				    char *))
{
	char err[LS_ERR_MAX];
	struct dir_ctx c;
	enum ls_status s;
	float *u = NULL;
	const char *name = o->name ? o->name : defname;
	const char *ex[3] = { "source", o->nargs ? o->args[0] : NULL, NULL };
	const char *const *exl[1] = { ex };

	if ((s = dir_ctx_open(o, o->dim ? 0 : 1, 0, &c, err)) != LS_OK)
		goto out;
	u = xmalloc((size_t)c.d * sizeof *u);
	if ((s = make(o, &c, u, err)) == LS_OK)
		s = dir_write(o, &c, 1, &name, u, method, ex[1] ? exl : NULL, err);
out:
	free(u);
	dir_ctx_close(&c);
	return s ? cli_fail(s, err) : 0;
}

static enum ls_status
make_spec(const struct dir_opts *o, const struct dir_ctx *c, float *u, char *err)
{
	return ls_dir_resolve(o->args[0], c->b, c->d, u, err);
}

static enum ls_status
make_random(const struct dir_opts *o, const struct dir_ctx *c, float *u, char *err)
{
	ls_dirs_random(o->seed, c->d, u);
	return LS_OK;
}

static int
sub_axis(struct dir_opts *o)
{
	char spec[48], name[48];
	char *args[1] = { spec };
	long k;

	if (o->nargs != 1 || ls_parse_long(o->args[0], &k) || k < 0)
		return cli_usage("dir axis", "wants one axis number K (from 0)");
	snprintf(spec, sizeof spec, "axis:%ld", k);
	snprintf(name, sizeof name, "axis%ld", k);
	o->args = args;
	return write_single(o, "axis", name, make_spec);
}

static int
sub_rows(struct dir_opts *o)
{
	char spec[96], name[96];
	char *args[1] = { spec };

	if (o->nargs != 1 || strlen(o->args[0]) > 64)
		return cli_usage("dir rows", "wants one argument I-J (bank rows)");
	snprintf(spec, sizeof spec, "rows:%s", o->args[0]);
	snprintf(name, sizeof name, "rows%s", o->args[0]);
	o->args = args;
	return write_single(o, "rows", name, make_spec);
}

static int
sub_random(struct dir_opts *o)
{
	char src[48];
	char *args[1] = { src };

	if (o->nargs)
		return cli_usage("dir random", "unexpected argument '%s'", o->args[0]);
	snprintf(src, sizeof src, "seed=%llu", (unsigned long long)o->seed);
	o->args = args;
	o->nargs = 1;
	return write_single(o, "random", "random", make_random);
}

/* ---- combine and orthogonalize ----------------------------------------- */

/* Parses "[W*]SPEC" into a weight and the spec. */
static const char *
term_parse(const char *t, double *w)
{
	const char *star = strchr(t, '*');
	char buf[64];

	*w = 1;
	if (!star || (size_t)(star - t) >= sizeof buf)
		return t;
	memcpy(buf, t, (size_t)(star - t));
	buf[star - t] = 0;
	return ls_parse_double(buf, w) == 0 ? star + 1 : t;
}

/* Resolves n specs into dirs (n, d); weights into w (may be NULL). */
static enum ls_status
resolve_terms(char **terms, int n, const struct dir_ctx *c, float *dirs, double *w,
	      char *err)
{
	enum ls_status s = LS_OK;
	int i;

	for (i = 0; i < n && s == LS_OK; i++) {
		double wi = 1;
		const char *spec = w ? term_parse(terms[i], &wi) : terms[i];
		if (w)
			w[i] = wi;
		s = ls_dir_resolve(spec, c->b, c->d, dirs + (long)i * c->d, err);
	}
	return s;
}

/* The latent dimension: from -b/-m, or from the first FILE:NAME term. */
static enum ls_status
terms_ctx(const struct dir_opts *o, struct dir_ctx *c, char *err)
{
	struct ls_dirfile *f;
	char *path, *name;
	enum ls_status s;
	double w;
	int i;

	if (o->model || o->bank || !o->nargs ||
	    ls_dirfile_split(term_parse(o->args[0], &w), &path, &name, err) != LS_OK)
		return dir_ctx_open(o, 1, 0, c, err);
	memset(c, 0, sizeof *c);
	if ((s = ls_dirfile_open(path, 0, &f, err)) == LS_OK) {
		if ((i = ls_dirfile_find(f, name)) < 0)
			s = ls_err(err, LS_EINVAL, "%s:%s: no such direction", path, name);
		else
			c->d = ls_dirfile_dim(f, i);
		ls_dirfile_free(f);
	}
	free(path);
	free(name);
	return s;
}

static enum ls_status
run_combine(const struct dir_opts *o, const struct dir_ctx *c, float *u, char *err)
{
	float *dirs = xreallocarray(NULL, (size_t)o->nargs * (size_t)c->d, sizeof *dirs);
	double *w = xmalloc((size_t)o->nargs * sizeof *w);
	enum ls_status s;

	if ((s = resolve_terms(o->args, o->nargs, c, dirs, w, err)) == LS_OK) {
		ls_dirs_combine(dirs, w, o->nargs, c->d, u);
		if (o->normalize)
			s = ls_dir_normalize(u, c->d, "combine", err);
	}
	free(dirs);
	free(w);
	return s;
}

static enum ls_status
run_orth(const struct dir_opts *o, const struct dir_ctx *c, float *u, char *err)
{
	float *others = xreallocarray(NULL, (size_t)o->nargs * (size_t)c->d, sizeof *others);
	enum ls_status s;

	if ((s = resolve_terms(o->args, 1, c, u, NULL, err)) == LS_OK &&
	    (s = resolve_terms(o->args + 1, o->nargs - 1, c, others, NULL, err)) == LS_OK &&
	    (s = ls_dirs_orthogonalize(u, others, o->nargs - 1, c->d, err)) == LS_OK)
		s = ls_dir_normalize(u, c->d, o->args[0], err);
	free(others);
	return s;
}

/* The joined arguments, recorded as the source. */
static char *
join_args(char **a, int n)
{
	char *s = xstrdup(""), *t;
	int i;

	for (i = 0; i < n; i++) {
		t = xasprintf("%s%s%s", s, i ? " " : "", a[i]);
		free(s);
		s = t;
	}
	return s;
}

static int
sub_terms(struct dir_opts *o)
{
	int orth = !strcmp(o->sub, "orthogonalize");
	char err[LS_ERR_MAX], *src = NULL;
	const char *ex[3] = { "source", NULL, NULL };
	const char *const *exl[1] = { ex };
	struct dir_ctx c = { 0 };
	enum ls_status s;
	float *u = NULL;

	if (o->nargs < (orth ? 2 : 1) || !o->name)
		return cli_usage(o->cmd, orth ? "wants --name N, a direction and at least one to remove"
					     : "wants --name N and at least one [W*]DIRECTION");
	if ((s = terms_ctx(o, &c, err)) != LS_OK)
		goto out;
	u = xmalloc((size_t)c.d * sizeof *u);
	if ((s = (orth ? run_orth : run_combine)(o, &c, u, err)) != LS_OK)
		goto out;
	ex[1] = src = join_args(o->args, o->nargs);
	s = dir_write(o, &c, 1, &o->name, u, o->sub, exl, err);
out:
	free(src);
	free(u);
	dir_ctx_close(&c);
	return s ? cli_fail(s, err) : 0;
}

/* ---- the table of subcommands and option parsing ------------------------ */

static const struct dir_sub subs[] = {
	{ "pca", sub_pca, "pca [-b BANK] [-m MODEL] -k K -o FILE [--name PREFIX] [--subset SET -l LABELS]",
	  "Top-k principal directions of the bank (GANSpace): pc1..pcK, unit\n"
	  "length, signed so that the largest component is positive; the explained\n"
	  "variance and its share are recorded. --subset limits to labeled rows.\n" },
	{ "sefa", sub_sefa, "sefa [-m MODEL] -k K -o FILE [--name PREFIX] [-b BANK]",
	  "SeFa: the top-k eigenvectors of W^T W for W the decoder's first affine\n"
	  "layer: sefa1..sefaK, unit length, largest component positive. No data\n"
	  "needed; a bank (given, or bundled) only sets the recorded sigma.\n" },
	{ "mean-diff", sub_learn, "mean-diff [-b BANK -l LABELS] --pos A --neg B -o FILE [--name N]",
	  "The raw (not normalised) difference of means mu(A) - mu(B): from the rows\n"
	  "labelled B towards those labelled A. A and B are label values or\n"
	  "comma-separated lists of them (a set, e.g. 1,7). --from B --to A is the\n"
	  "same as --neg B --pos A (the explorer's 'meandiff B A'). Default name:\n"
	  "meandiff.\n" },
	{ "probe", sub_learn,
	  "probe [-b BANK -l LABELS] --pos A --neg B [--C 1.0] [--holdout 0.2] [--seed S]\n"
	  "                  -o FILE [--name N]",
	  "A logistic-regression probe (L2 penalty, intercept unpenalised,\n"
	  "scikit-learn's C): the unit normal of its decision boundary, pointing\n"
	  "from B towards A (--from B --to A says the same). Fitted on a seeded\n"
	  "split; the held-out accuracy is printed and recorded. Default name: probe.\n" },
	{ "lda", sub_learn, "lda [-b BANK -l LABELS] --pos A --neg B [--shrink 0.01] -o FILE [--name N]",
	  "Fisher LDA: the unit vector along ((1-s) S_w + s tr(S_w)/d I)^-1 (mu(A) -\n"
	  "mu(B)), S_w the pooled within-class covariance, s the shrinkage: from B\n"
	  "towards A (--from B --to A says the same). Default name: lda.\n" },
	{ "axis", sub_axis, "axis [-m MODEL] K -o FILE [--name N]",
	  "The latent axis K (from 0). Default name: axisK.\n" },
	{ "rows", sub_rows, "rows [-m MODEL] [-b BANK] I-J -o FILE [--name N]",
	  "bank[J] - bank[I]: from row I towards row J. Default name: rowsI-J.\n" },
	{ "random", sub_random, "random [-m MODEL] [--seed S] -o FILE [--name N]",
	  "A unit direction drawn uniformly from the sphere with the given seed.\n" },
	{ "combine", sub_terms, "combine -o FILE --name N [--normalize] [--] [W*]DIR...",
	  "The weighted sum of directions (each DIR is axis:K, rows:I-J or\n"
	  "FILE:NAME, optionally prefixed by a weight and '*', e.g. 0.5*d.st:smile;\n"
	  "put '--' before a negative weight). --normalize scales it to unit length.\n" },
	{ "orthogonalize", sub_terms, "orthogonalize -o FILE --name N DIR OTHER...",
	  "DIR with its components along the span of the OTHER directions removed\n"
	  "(Gram-Schmidt; InterFaceGAN's conditional edit), as a unit vector.\n" },
	{ "list", dir_list, "list FILE", "One line per direction: name, d, method, sigma, details.\n" },
	{ "show", dir_show, "show FILE:NAME", "Every metadata field of a direction, its norm and values.\n" },
	{ "rm", dir_rm, "rm FILE:NAME", "Removes a direction from its file.\n" },
	{ "rename", dir_rename, "rename FILE:OLD NEW [--force]", "Renames a direction.\n" },
	{ "export", dir_export, "export FILE:NAME (--npy OUT.npy | --txt)",
	  "Writes the direction as a float32 .npy of shape (d,), or prints its values\n"
	  "one per line.\n" },
	{ "import", dir_import, "import FILE NAME IN.npy [--force] [--note TEXT] [-b BANK]",
	  "Adds a direction from a .npy of shape (d,) or (1, d); with a bank (-b, or\n"
	  "-m's bundled one) its sigma is recorded.\n" },
	{ "project", dir_project,
	  "project DIR [-b BANK] [-l LABELS] [--pos A --neg B] [--bins N] [-m MODEL]",
	  "Projects every bank row on DIR/|DIR| and prints a histogram table per\n"
	  "label, the sigma, mean and share of variance, and with --pos/--neg the ROC\n"
	  "AUC of A vs B.\n" },
	{ "score", dir_score, "score DIR [-m MODEL] [-b BANK] [--factors F.npy]",
	  "Scores DIR against ground-truth factors: the Pearson correlation r of\n"
	  "the bank's projections on DIR with each column of F.npy (N, k), column\n"
	  "names from F.txt beside it, sorted by |r|. The first row is the factor\n"
	  "DIR moves; 'leak' is the root sum of squares of the other r. A bundled\n"
	  "model's factors (NAME-factors.npy) are used without --factors.\n" },
};
#define NSUBS ((int)(sizeof subs / sizeof subs[0]))

static const char common_help[] =
	"\nCommon options: -m MODEL, -b BANK, -l LABELS, -o FILE, --name N, --force,\n"
	"--note TEXT (recorded in the file).\n";

static int
dir_help(void)
{
	int i;

	fputs(dir_help_head, stdout);
	for (i = 0; i < NSUBS; i++)
		printf("  linscope dir %s\n", subs[i].usage);
	printf("  linscope dir paint -m MODEL -b BANK --row I --mask X0,Y0,X1,Y1 -o FILE [--name N]\n");
	fputs(common_help, stdout);
	printf("\n'linscope dir SUBCOMMAND --help' describes one.\n");
	return 0;
}

static int
sub_help(const struct dir_sub *s)
{
	printf("usage: linscope dir %s\n\n%s%s", s->usage, s->help, common_help);
	return 0;
}

/* Numeric options. */
static int
opt_num(struct dir_opts *o, int c, const char *v)
{
	long x;

	switch (c) {
	case 'k':
		o->have_k = 1;
		return ls_parse_long(v, &o->k) ? cli_usage(o->cmd, "-k wants an integer, not '%s'", v) : 0;
	case 'd':
		return ls_parse_long(v, &o->dim) || o->dim < 1 ? cli_usage(o->cmd, "-d wants d >= 1") : 0;
	case OPT_BINS:
		return ls_parse_long(v, &o->bins) || o->bins < 1 || o->bins > 1000
			       ? cli_usage(o->cmd, "--bins wants 1..1000, not '%s'", v) : 0;
	case OPT_C:
		return ls_parse_double(v, &o->C) ? cli_usage(o->cmd, "--C wants a number, not '%s'", v) : 0;
	case OPT_HOLDOUT:
		return ls_parse_double(v, &o->holdout) ? cli_usage(o->cmd, "--holdout wants a share, not '%s'", v) : 0;
	case OPT_SHRINK:
		return ls_parse_double(v, &o->shrink) ? cli_usage(o->cmd, "--shrink wants a number, not '%s'", v) : 0;
	case OPT_SEED:
		if (ls_parse_long(v, &x) || x < 0)
			return cli_usage(o->cmd, "--seed wants a non-negative integer, not '%s'", v);
		o->seed = (uint64_t)x;
		return 0;
	}
	return cli_usage("dir", "unknown option");
}

/* --to A is --pos A and --from B is --neg B (a direction from B towards
 * A); each class is given once. */
static int
opt_class(struct dir_opts *o, const char **slot, const char *v, const char *names)
{
	if (*slot)
		return cli_usage(o->cmd, "%s name the same class: give it once", names);
	*slot = v;
	return 0;
}

/* String and flag options. */
static int
dir_opt(struct dir_opts *o, int c, const char *v)
{
	switch (c) {
	case 'm': o->model = v; return 0;
	case 'b': o->bank = v; return 0;
	case 'l': o->labels = v; return 0;
	case 'o': o->out = v; return 0;
	case OPT_NAME: o->name = v; return 0;
	case OPT_SUBSET: o->pos = v; return 0;
	case OPT_POS: case OPT_TO: return opt_class(o, &o->pos, v, "--to and --pos");
	case OPT_NEG: case OPT_FROM: return opt_class(o, &o->neg, v, "--from and --neg");
	case OPT_NOTE: o->note = v; return 0;
	case OPT_NPY: o->npy = v; return 0;
	case OPT_FACTORS: o->factors = v; return 0;
	case OPT_FORCE: o->force = 1; return 0;
	case OPT_TXT: o->txt = 1; return 0;
	case OPT_NORMALIZE: o->normalize = 1; return 0;
	case '?': return 2;
	}
	return opt_num(o, c, v);
}

static int
dir_parse(int argc, char **argv, struct dir_opts *o)
{
	static const struct option lo[] = {
		{ "help", no_argument, 0, 'h' }, { "name", required_argument, 0, OPT_NAME },
		{ "pos", required_argument, 0, OPT_POS }, { "neg", required_argument, 0, OPT_NEG },
		{ "from", required_argument, 0, OPT_FROM }, { "to", required_argument, 0, OPT_TO },
		{ "subset", required_argument, 0, OPT_SUBSET }, { "C", required_argument, 0, OPT_C },
		{ "holdout", required_argument, 0, OPT_HOLDOUT },
		{ "shrink", required_argument, 0, OPT_SHRINK }, { "seed", required_argument, 0, OPT_SEED },
		{ "bins", required_argument, 0, OPT_BINS }, { "npy", required_argument, 0, OPT_NPY },
		{ "txt", no_argument, 0, OPT_TXT }, { "force", no_argument, 0, OPT_FORCE },
		{ "note", required_argument, 0, OPT_NOTE },
		{ "normalize", no_argument, 0, OPT_NORMALIZE },
		{ "factors", required_argument, 0, OPT_FACTORS }, { 0, 0, 0, 0 } };
	int c, r;

	optind = 1;
	while ((c = getopt_long(argc, argv, "hm:b:l:o:k:d:", lo, NULL)) != -1) {
		if (c == 'h')
			return -1;
		if ((r = dir_opt(o, c, optarg)) != 0)
			return r;
	}
	o->args = argv + optind;
	o->nargs = argc - optind;
	return 0;
}

int
cmd_dir(int argc, char **argv)
{
	struct dir_opts o = { .C = 1.0, .holdout = 0.2, .shrink = 0.01, .bins = 20 };
	int i, r;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help"))
		return argc < 2 ? cli_usage("dir", "needs a subcommand") : dir_help();
	if (!strcmp(argv[1], "paint"))
		return cli_dir_paint(argc - 1, argv + 1);
	for (i = 0; i < NSUBS; i++)
		if (!strcmp(subs[i].name, argv[1]) ||
		    (!strcmp(argv[1], "orthogonalise") && !strcmp(subs[i].name, "orthogonalize")))
			break;
	if (i == NSUBS)
		return cli_usage("dir", "'%s' is not a dir subcommand", argv[1]);
	o.sub = subs[i].name;
	snprintf(o.cmd, sizeof o.cmd, "dir %s", o.sub);
	if ((r = dir_parse(argc - 1, argv + 1, &o)) != 0)
		return r < 0 ? sub_help(&subs[i]) : r;
	return subs[i].fn(&o);
}
