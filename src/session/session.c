/*
 * session.c: the explorer's state: model, bank, labels, start latent and
 * directions, and the getters the UI draws from. Undo lives in
 * session_undo.c, frames in session_frame.c, files in session_files.c,
 * marks/bookmarks/directions editing in session_edit.c.
 *
 * Invariants: see session_impl.h. Every mutator validates all of its input
 * before changing anything, pushes an undo snapshot when it changes z0,
 * alphas or the direction list, and ends with session_update().
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linscope/assets.h"
#include "linscope/bank.h"
#include "linscope/factors.h"
#include "linscope/dirs.h"
#include "linscope/model.h"
#include "base/util.h"
#include "session_impl.h"

/* The spec to keep: an existing file given by a relative path becomes
 * absolute, so a state saved later in another folder still finds it. */
static char *
abs_spec(const char *spec)
{
	char *r;

	if (spec[0] != '/' && !ls_bundle_is_name(spec) && access(spec, F_OK) == 0 &&
	    (r = realpath(spec, NULL)))
		return r;
	return xstrdup(spec);   /* absolute, or a bundled name */
}

/* The options a model is opened with: o, else the process defaults; an
 * encoder path made absolute (a saved session is replayed elsewhere). */
static void
model_opts_set(struct ls_model_opts *dst, const struct ls_model_opts *o)
{
	struct ls_model_opts d;

	if (!o)
		ls_model_defaults(&d), o = &d;
	free(dst->encoder);
	*dst = *o;
	dst->encoder = o->encoder ? abs_spec(o->encoder) : NULL;
}

enum ls_status
session_open_model(const char *spec, const struct ls_model_opts *o, struct ls_model **m,
		   char **bank_p, char **labels_p, char *err)
{
	struct ls_model_opts e;
	struct ls_bundle b;
	enum ls_status st;

	*bank_p = *labels_p = NULL;
	if (o)
		e = *o;
	else
		ls_model_defaults(&e);
	if (!ls_bundle_is_name(spec))
		return ls_model_open_opts(spec, &e, m, err);
	if ((st = ls_bundle_find(spec, &b, err)) != LS_OK)
		return st;
	if (!e.encoder)
		e.encoder = b.encoder;
	if ((st = ls_model_open_opts(b.model, &e, m, err)) == LS_OK) {
		*bank_p = b.bank, b.bank = NULL;
		*labels_p = b.labels, b.labels = NULL;
	}
	ls_bundle_free(&b);
	return st;
}

/* Opens bank path checking its width against d. */
static enum ls_status
open_bank(const char *path, int d, struct ls_bank **b, char *err)
{
	enum ls_status st;

	if ((st = ls_bank_open(path, b, err)) != LS_OK)
		return st;
	if (ls_bank_dim(*b) == d)
		return LS_OK;
	st = ls_err(err, LS_EINVAL, "%s: bank rows have %d values but the model's latent dimension is %d",
		    path, ls_bank_dim(*b), d);
	ls_bank_free(*b);
	*b = NULL;
	return st;
}

/* Fills the model-derived fields and (re)allocates per-d buffers. */
static void
adopt_model(struct ls_session *s, struct ls_model *m, const char *spec,
	    const struct ls_model_opts *o)
{
	model_opts_set(&s->mopts, o);
	s->model = m;
	free(s->model_spec);
	s->model_spec = abs_spec(spec);
	s->d = ls_model_dim(m);
	s->od = ls_model_out_dim(m);
	ls_model_image(m, &s->c, &s->h, &s->w);
	ls_model_range(m, &s->lo, &s->hi);
	s->z0 = xreallocarray(s->z0, (size_t)s->d, sizeof *s->z0);
	s->z = xreallocarray(s->z, (size_t)s->d, sizeof *s->z);
	memset(s->z0, 0, (size_t)s->d * sizeof *s->z0);
	s->row = -1;
	session_frame_alloc(s);
}

char *
session_abs_spec(const char *spec)
{
	return abs_spec(spec);
}

/* Opens the bank and labels given (or bundled) into *b, *l. */
static enum ls_status
open_data(const char *bank, const char *labels, int d, struct ls_bank **b,
	  struct ls_labels **l, char *err)
{
	enum ls_status st = LS_OK;

	*b = NULL;
	*l = NULL;
	if (labels && !bank)
		return ls_err(err, LS_EINVAL, "%s: labels need a bank", labels);
	if (bank && (st = open_bank(bank, d, b, err)) != LS_OK)
		return st;
	if (labels && (st = ls_labels_open(labels, ls_bank_rows(*b), l, err)) != LS_OK) {
		ls_bank_free(*b);
		*b = NULL;
	}
	return st;
}

enum ls_status
ls_session_open(const char *model, const char *bank, const char *labels,
		struct ls_session **out, char *err)
{
	struct ls_session *s = xcalloc(1, sizeof *s);
	char *bb = NULL, *bl = NULL;
	struct ls_model *m = NULL;
	enum ls_status st;

	*out = NULL;
	if (!model)
		model = LS_DEFAULT_MODEL;
	if ((st = session_open_model(model, NULL, &m, &bb, &bl, err)) != LS_OK)
		goto out;
	if (bank || !bb)
		free(bl), bl = NULL;    /* bundled labels only with the bundled bank */
	if ((st = open_data(bank ? bank : bb, labels ? labels : bl, ls_model_dim(m),
			    &s->bank, &s->labels, err)) != LS_OK)
		goto out;
	s->sel = -1;
	s->preview_path = xstrdup(LS_SESSION_PREVIEW);
	s->preview_on = 1;
	s->scale = 2;
	s->debounce = LS_SESSION_DEBOUNCE;
	s->last_write = -1e300;
	s->bank_spec = bank ? abs_spec(bank) : NULL;
	s->labels_spec = labels ? abs_spec(labels) : NULL;
	adopt_model(s, m, model, NULL);
	m = NULL;
	if (s->bank && ls_bank_rows(s->bank) > 0) {
		memcpy(s->z0, ls_bank_row(s->bank, 0), (size_t)s->d * sizeof *s->z0);
		s->row = 0;
	}
	session_factors_reset(s);
	session_z0_changed(s);
	*out = s;
	s = NULL;
out:
	free(bb);
	free(bl);
	ls_model_free(m);
	ls_session_free(s);
	return st;
}

void
sdir_free(struct sdir *d)
{
	free(d->source);
	free(d->method);
	free(d->u);
}

void
sdir_copy(struct sdir *dst, const struct sdir *src, int d)
{
	*dst = *src;
	dst->source = xstrdup(src->source);
	dst->method = xstrdup(src->method);
	dst->u = xreallocarray(NULL, (size_t)d, sizeof *dst->u);
	memcpy(dst->u, src->u, (size_t)d * sizeof *dst->u);
}

/* Drops every direction. */
static void
clear_dirs(struct ls_session *s)
{
	int i;

	for (i = 0; i < s->ndirs; i++)
		sdir_free(&s->dirs[i]);
	free(s->dirs);
	s->dirs = NULL;
	s->ndirs = 0;
	s->sel = -1;
}

/* Drops every bookmark (latents of another dimension). */
static void
clear_bookmarks(struct ls_session *s)
{
	int i;

	for (i = 0; i < s->nbm; i++)
		free(s->bm[i].z);
	free(s->bm);
	s->bm = NULL;
	s->nbm = 0;
}

void
ls_session_free(struct ls_session *s)
{
	if (!s)
		return;
	clear_dirs(s);
	session_clear_undo(s);
	session_frame_free(s);
	session_analysis_reset(s);
	session_record_free(s);
	clear_bookmarks(s);
	session_path_reset(s);
	ls_model_free(s->model);
	ls_bank_free(s->bank);
	ls_labels_free(s->labels);
	session_factors_free(s);
	free(s->model_spec);
	free(s->mopts.encoder);
	free(s->bank_spec);
	free(s->labels_spec);
	free(s->z0);
	free(s->input);
	free(s->z);
	free(s->preview_path);
	free(s->last_png);
	free(s);
}

double
session_sigma(const struct ls_session *s, const float *u)
{
	double sg;

	if (!s->bank)
		return 1;
	sg = ls_bank_sigma(s->bank, u);
	return sg > 0 && isfinite(sg) ? sg : 1;
}

/* Recomputes every sigma (after the bank changed). */
static void
resigma(struct ls_session *s)
{
	int i;

	session_analysis_reset(s);
	for (i = 0; i < s->ndirs; i++) {
		s->dirs[i].sigma = session_sigma(s, s->dirs[i].u);
		s->dirs[i].var_share = s->bank ? ls_dirs_var_share(s->bank, s->dirs[i].u) : NAN;
		session_truth(s, &s->dirs[i]);
	}
}

void
session_update(struct ls_session *s)
{
	int i, k;

	for (k = 0; k < s->d; k++) {
		double v = s->z0[k];
		for (i = 0; i < s->ndirs; i++)
			if (s->dirs[i].active)
				v += s->dirs[i].alpha * s->dirs[i].sigma * s->dirs[i].u[k];
		s->z[k] = (float)v;
	}
	s->version++;
	s->preview_dirty = 1;
}

void
session_z0_changed(struct ls_session *s)
{
	s->z0_version++;
	session_update(s);
}

/* Replaces the model; bundled names bring their bank and labels. */
enum ls_status
ls_session_set_model(struct ls_session *s, const char *spec, char *err)
{
	return ls_session_set_model_opts(s, spec, NULL, err);
}

enum ls_status
ls_session_set_model_opts(struct ls_session *s, const char *spec, const struct ls_model_opts *o,
			  char *err)
{
	struct ls_bank *b = NULL;
	struct ls_labels *l = NULL;
	char *bb = NULL, *bl = NULL;
	struct ls_model *m = NULL;
	enum ls_status st;
	int d;

	if ((st = session_open_model(spec, o, &m, &bb, &bl, err)) != LS_OK)
		return st;
	d = ls_model_dim(m);
	if (bb)
		st = open_data(bb, bl, d, &b, &l, err);
	if (st != LS_OK) {
		ls_model_free(m);
		goto out;
	}
	if (!bb && s->bank && ls_bank_dim(s->bank) == d)
		b = s->bank, l = s->labels, s->bank = NULL, s->labels = NULL;
	if (bb) {
		free(s->bank_spec), s->bank_spec = NULL;
		free(s->labels_spec), s->labels_spec = NULL;
	}
	ls_bank_free(s->bank);
	ls_labels_free(s->labels);
	s->bank = b;
	s->labels = l;
	if (bb || d != s->d)
		s->nmarks = 0;   /* rows of another bank */
	if (d != s->d) {
		clear_dirs(s);
		session_clear_undo(s);
		clear_bookmarks(s);
	}
	session_path_reset(s);
	ls_model_free(s->model);
	adopt_model(s, m, spec, o);
	if (b && ls_bank_rows(b) > 0)
		memcpy(s->z0, ls_bank_row(b, 0), (size_t)d * sizeof *s->z0), s->row = 0;
	if (bb)
		s->erased = 0;
	if (bb || !s->bank)
		session_factors_reset(s);   /* the bundled bank brings its factors */
	resigma(s);
	session_z0_changed(s);
out:
	free(bb);
	free(bl);
	return st;
}

void
session_bank_changed(struct ls_session *s)
{
	resigma(s);
	if (s->row >= 0 && s->row < ls_bank_rows(s->bank)) {
		memcpy(s->z0, ls_bank_row(s->bank, s->row), (size_t)s->d * sizeof *s->z0);
		session_z0_changed(s);
	} else {
		session_update(s);
	}
}

enum ls_status
ls_session_set_bank(struct ls_session *s, const char *path, char *err)
{
	struct ls_bank *b;
	enum ls_status st;

	if ((st = open_bank(path, s->d, &b, err)) != LS_OK)
		return st;
	ls_bank_free(s->bank);
	ls_labels_free(s->labels);
	s->labels = NULL;
	free(s->labels_spec);
	s->labels_spec = NULL;
	s->bank = b;
	free(s->bank_spec);
	s->bank_spec = abs_spec(path);
	s->erased = 0;
	s->nmarks = 0;
	if (s->row >= ls_bank_rows(b))
		s->row = -1;
	session_factors_free(s);   /* the factors were another bank's */
	resigma(s);
	session_update(s);
	return LS_OK;
}

char *
session_data_path(const char *path)
{
	char *a;

	if (!strchr(path, '/') && access(path, F_OK) != 0 && (a = ls_asset_path(path)))
		return a;
	return xstrdup(path);
}

enum ls_status
ls_session_set_labels(struct ls_session *s, const char *path, char *err)
{
	struct ls_labels *l;
	enum ls_status st;
	char *p;

	if (!s->bank)
		return ls_err(err, LS_EINVAL, "%s: labels need a bank (bank FILE first)", path);
	p = session_data_path(path);
	st = ls_labels_open(p, ls_bank_rows(s->bank), &l, err);
	free(p);
	if (st != LS_OK)
		return st;
	ls_labels_free(s->labels);
	s->labels = l;
	session_analysis_reset(s);
	free(s->labels_spec);
	s->labels_spec = abs_spec(path);
	return LS_OK;
}

/* ---- getters ---------------------------------------------------------- */

struct ls_model *ls_session_model(const struct ls_session *s) { return s->model; }
struct ls_bank *ls_session_bank(const struct ls_session *s) { return s->bank; }
struct ls_labels *ls_session_labels(const struct ls_session *s) { return s->labels; }
const char *ls_session_model_spec(const struct ls_session *s) { return s->model_spec; }
const struct ls_model_opts *ls_session_model_opts(const struct ls_session *s) { return &s->mopts; }
int ls_session_dim(const struct ls_session *s) { return s->d; }
const float *ls_session_z0(const struct ls_session *s) { return s->z0; }
long ls_session_z0_row(const struct ls_session *s) { return s->row; }
const float *ls_session_z(const struct ls_session *s) { return s->z; }
int ls_session_ndirs(const struct ls_session *s) { return s->ndirs; }
int ls_session_selected(const struct ls_session *s) { return s->sel; }
unsigned long ls_session_version(const struct ls_session *s) { return s->version; }
int ls_session_quit_requested(const struct ls_session *s) { return s->quit; }
void ls_session_request_quit(struct ls_session *s) { s->quit = 1; }

const char *
ls_session_label(const struct ls_session *s, long i)
{
	if (!s->labels || i < 0 || i >= ls_labels_count(s->labels))
		return NULL;
	return ls_labels_get(s->labels, i);
}

double
ls_session_distance(const struct ls_session *s)
{
	double t = 0;
	int k;

	for (k = 0; k < s->d; k++)
		t += ((double)s->z[k] - s->z0[k]) * ((double)s->z[k] - s->z0[k]);
	return sqrt(t);
}

int
ls_session_dir(const struct ls_session *s, int i, struct ls_session_dir *o)
{
	const struct sdir *d;

	if (i < 0 || i >= s->ndirs)
		return -1;
	d = &s->dirs[i];
	o->name = d->name;
	o->source = d->source;
	o->method = d->method;
	o->u = d->u;
	o->sigma = d->sigma;
	o->alpha = d->alpha;
	o->lo = d->lo;
	o->hi = d->hi;
	o->active = d->active;
	o->saved = d->saved;
	o->accuracy = d->accuracy;
	o->auc = d->auc;
	o->var_share = d->var_share;
	o->target = d->target;
	o->truth = d->truth;
	o->truth_name = d->truth >= 0 && s->factors ? ls_factors_name(s->factors, d->truth) : NULL;
	o->truth_r = d->truth_r;
	o->truth_leak = d->truth_leak;
	return 0;
}

int
ls_session_find(const struct ls_session *s, const char *name)
{
	int i;

	for (i = 0; i < s->ndirs; i++)
		if (!strcmp(s->dirs[i].name, name))
			return i;
	return -1;
}

int
ls_session_unsaved(const struct ls_session *s)
{
	int i;

	for (i = 0; i < s->ndirs; i++)
		if (!s->dirs[i].saved)
			return 1;
	return 0;
}

void
ls_session_image(const struct ls_session *s, int *c, int *h, int *w)
{
	*c = s->c;
	*h = s->h;
	*w = s->w;
}

void
ls_session_range(const struct ls_session *s, float *lo, float *hi)
{
	*lo = s->lo;
	*hi = s->hi;
}

/* ---- start latent ----------------------------------------------------- */

enum ls_status
ls_session_set_row(struct ls_session *s, long i, char *err)
{
	if (!s->bank)
		return ls_err(err, LS_EINVAL, "row %ld: no bank loaded (bank FILE)", i);
	if (i < 0 || i >= ls_bank_rows(s->bank))
		return ls_err(err, LS_EINVAL, "row %ld: out of range (the bank has %ld rows)", i,
			      ls_bank_rows(s->bank));
	session_push_undo(s);
	memcpy(s->z0, ls_bank_row(s->bank, i), (size_t)s->d * sizeof *s->z0);
	s->row = i;
	session_z0_changed(s);
	return LS_OK;
}

enum ls_status
ls_session_set_z0(struct ls_session *s, const float *z, char *err)
{
	int k;

	for (k = 0; k < s->d; k++)
		if (!isfinite(z[k]))
			return ls_err(err, LS_EINVAL, "z: value %d is not finite", k);
	session_push_undo(s);
	memcpy(s->z0, z, (size_t)s->d * sizeof *s->z0);
	s->row = -1;
	session_z0_changed(s);
	return LS_OK;
}
