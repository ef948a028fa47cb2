/*
 * session_edit.c: editing a session's directions, marks and bookmarks.
 *
 * Each mutator checks all of its input first and leaves the session
 * untouched on error; changes of alphas or of the direction list push an
 * undo snapshot (session_undo.c) and end with session_update().
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/bank.h"
#include "linscope/dir.h"
#include "linscope/dirfile.h"
#include "linscope/dirs.h"
#include "base/util.h"
#include "session_impl.h"

/* Is name usable: the directions file rules (dirfile.h). */
static enum ls_status
name_check(const char *name, char *err)
{
	size_t i, n = strlen(name);

	if (n == 0 || n >= LS_SESSION_NAME_MAX)
		return ls_err(err, LS_EINVAL, "%s: a direction name has 1..%d characters", name,
			      LS_SESSION_NAME_MAX - 1);
	if (name[0] == '.' || name[0] == '-' || !strcmp(name, "__metadata__"))
		return ls_err(err, LS_EINVAL, "%s: a direction name cannot start with '.' or '-'", name);
	for (i = 0; i < n; i++)
		if (name[i] <= ' ' || name[i] > '~' || strchr(":/\"'", name[i]))
			return ls_err(err, LS_EINVAL, "%s: a direction name has no blanks, quotes, ':' or '/'",
				      name);
	return LS_OK;
}

/* A free name from base: base, base_2, base_3, ... into out. */
static void
unique_name(const struct ls_session *s, const char *base, char *out)
{
	char b[LS_SESSION_NAME_MAX];
	int k;

	snprintf(b, sizeof b, "%.100s", base);   /* base may be out */
	snprintf(out, LS_SESSION_NAME_MAX, "%s", b);
	for (k = 2; ls_session_find(s, out) >= 0; k++)
		snprintf(out, LS_SESSION_NAME_MAX, "%.100s_%d", b, k);
}

/* Copies u and scales it to unit length (kept as is when already unit, so
 * a saved unit vector reloads bit for bit). */
static enum ls_status
unit_copy(const float *u, int d, const char *what, float **out, char *err)
{
	double n = 0;
	enum ls_status st = LS_OK;
	int k;

	*out = xreallocarray(NULL, (size_t)d, sizeof **out);
	memcpy(*out, u, (size_t)d * sizeof **out);
	for (k = 0; k < d; k++)
		n += (double)u[k] * u[k];
	if (!isfinite(n) || fabs(sqrt(n) - 1) > 1e-6)
		st = ls_dir_normalize(*out, d, what, err);
	if (st != LS_OK) {
		free(*out);
		*out = NULL;
	}
	return st;
}

enum ls_status
ls_session_add_dir(struct ls_session *s, const char *name, const float *u, const char *method,
		   const char *source, int *idx, char *err)
{
	char nm[LS_SESSION_NAME_MAX];
	struct sdir *d;
	enum ls_status st;
	float *v;

	if (!method)
		method = "custom";
	if (s->ndirs >= LS_SESSION_MAX_DIRS)
		return ls_err(err, LS_EINVAL, "%s: too many directions (at most %d; rm some)",
			      name && *name ? name : method, LS_SESSION_MAX_DIRS);
	if (name && *name) {
		if ((st = name_check(name, err)) != LS_OK)
			return st;
		if (ls_session_find(s, name) >= 0)
			return ls_err(err, LS_EINVAL, "%s: a direction of that name exists (rm it or pick another name)", name);
		snprintf(nm, sizeof nm, "%s", name);
	} else {
		unique_name(s, method, nm);
	}
	if ((st = unit_copy(u, s->d, nm, &v, err)) != LS_OK)
		return st;
	session_push_undo(s);
	s->dirs = xreallocarray(s->dirs, (size_t)s->ndirs + 1, sizeof *s->dirs);
	d = &s->dirs[s->ndirs];
	memset(d, 0, sizeof *d);
	memcpy(d->name, nm, sizeof nm);
	d->u = v;
	d->method = xstrdup(method);
	d->source = xstrdup(source ? source : method);
	d->sigma = session_sigma(s, v);
	session_quality_init(s, d);
	d->lo = -LS_SESSION_RANGE;
	d->hi = LS_SESSION_RANGE;
	d->target = NAN;
	d->active = 1;
	s->sel = s->ndirs++;
	if (idx)
		*idx = s->sel;
	session_update(s);
	return LS_OK;
}

/* Makes a default name like "rows_3_7" out of a spec "rows:3-7". */
static void
spec_name(const char *spec, char *out, size_t n)
{
	size_t i;

	snprintf(out, n, "%s", spec);
	for (i = 0; out[i]; i++)
		if (!((out[i] >= 'a' && out[i] <= 'z') || (out[i] >= 'A' && out[i] <= 'Z') ||
		      (out[i] >= '0' && out[i] <= '9') || out[i] == '_' || out[i] == '.'))
			out[i] = '_';
}

/* Quality figures recorded for direction k of f ("accuracy", "auc") go
 * to the session's direction i. */
static void
file_quality(struct ls_session *s, const struct ls_dirfile *f, int k, int i)
{
	const char *a = ls_dirfile_meta(f, k, "accuracy"), *c = ls_dirfile_meta(f, k, "auc");
	double v;

	if (a && !ls_parse_double(a, &v))
		s->dirs[i].accuracy = v;
	if (c && !ls_parse_double(c, &v))
		s->dirs[i].auc = v;
}

/* The quality figures of direction dn of path, if the file says them. */
static void
file_quality_of(struct ls_session *s, const char *path, const char *dn, int i)
{
	struct ls_dirfile *f;
	int k;

	if (ls_dirfile_open(path, 0, &f, NULL) != LS_OK)
		return;
	if ((k = ls_dirfile_find(f, dn)) >= 0)
		file_quality(s, f, k, i);
	ls_dirfile_free(f);
}

/* Loads FILE:NAME into a new direction. */
static enum ls_status
add_file_dir(struct ls_session *s, const char *spec, const char *name, char *err)
{
	char *path = NULL, *dn = NULL, *src = NULL;
	float *u = xreallocarray(NULL, (size_t)s->d, sizeof *u);
	enum ls_status st;

	if ((st = ls_dirfile_split(spec, &path, &dn, err)) == LS_OK &&
	    (st = ls_dirfile_load(path, dn, s->d, u, err)) == LS_OK) {
		src = xasprintf("file:%s", spec);
		st = ls_session_add_dir(s, name && *name ? name : dn, u, "file", src, NULL, err);
		if (st == LS_OK && !(name && *name))
			s->dirs[s->ndirs - 1].saved = 1;
		if (st == LS_OK)
			file_quality_of(s, path, dn, s->ndirs - 1);
	}
	free(path);
	free(dn);
	free(src);
	free(u);
	return st;
}

enum ls_status
ls_session_add_spec(struct ls_session *s, const char *spec, const char *name, char *err)
{
	char base[LS_SESSION_NAME_MAX], method[16];
	float *u;
	enum ls_status st;

	if (strncmp(spec, "axis:", 5) && strncmp(spec, "rows:", 5))
		return add_file_dir(s, spec, name, err);
	u = xreallocarray(NULL, (size_t)s->d, sizeof *u);
	snprintf(method, sizeof method, "%.4s", spec);
	spec_name(spec, base, sizeof base);
	if ((st = ls_dir_resolve(spec, s->bank, s->d, u, err)) == LS_OK &&
	    (st = ls_dir_normalize(u, s->d, spec, err)) == LS_OK) {
		if (!(name && *name))
			unique_name(s, base, base);
		st = ls_session_add_dir(s, name && *name ? name : base, u, method, spec, NULL, err);
	}
	free(u);
	return st;
}

/* Can direction i of f join the session: its length, name and vector? */
static enum ls_status
file_dir_check(const struct ls_session *s, const struct ls_dirfile *f, int i, const char *path,
	       char *err)
{
	enum ls_status st;
	float *v;

	if (ls_dirfile_dim(f, i) != s->d)
		return ls_err(err, LS_EINVAL, "%s:%s: has %d values but the latent dimension is %d",
			      path, ls_dirfile_name(f, i), ls_dirfile_dim(f, i), s->d);
	if ((st = name_check(ls_dirfile_name(f, i), err)) != LS_OK)
		return st;
	if ((st = unit_copy(ls_dirfile_vec(f, i), s->d, ls_dirfile_name(f, i), &v, err)) == LS_OK)
		free(v);
	return st;
}

enum ls_status
ls_session_load_dirs(struct ls_session *s, const char *path, char *err)
{
	struct ls_dirfile *f;
	char nm[LS_SESSION_NAME_MAX], *src;
	enum ls_status st;
	int i, n;

	if ((st = ls_dirfile_open(path, 0, &f, err)) != LS_OK)
		return st;
	n = ls_dirfile_count(f);
	for (i = 0; i < n && st == LS_OK; i++)   /* all or nothing: check every one first */
		st = file_dir_check(s, f, i, path, err);
	if (st != LS_OK)
		goto out;
	if (s->ndirs + n > LS_SESSION_MAX_DIRS) {
		st = ls_err(err, LS_EINVAL, "%s: too many directions (at most %d in a session)", path,
			    LS_SESSION_MAX_DIRS);
		goto out;
	}
	session_push_undo(s);
	s->undo_hold++;   /* one undo step for the whole file */
	for (i = 0; i < n && st == LS_OK; i++) {
		unique_name(s, ls_dirfile_name(f, i), nm);
		src = xasprintf("file:%s:%s", path, ls_dirfile_name(f, i));
		st = ls_session_add_dir(s, nm, ls_dirfile_vec(f, i), "file", src, NULL, err);
		if (st == LS_OK) {
			s->dirs[s->ndirs - 1].saved = 1;
			s->dirs[s->ndirs - 1].active = 0;   /* loaded, not switched on */
			file_quality(s, f, i, s->ndirs - 1);
		}
		free(src);
	}
	s->undo_hold--;
	session_update(s);
out:
	ls_dirfile_free(f);
	return st;
}

/* LS_EINVAL unless 0 <= i < ndirs. */
static enum ls_status
check_index(const struct ls_session *s, int i, char *err)
{
	if (s->ndirs == 0)
		return ls_err(err, LS_EINVAL, "no directions yet (make one with dir, diff or pca)");
	if (i < 0 || i >= s->ndirs)
		return ls_err(err, LS_EINVAL, "direction %d: out of range (0..%d)", i, s->ndirs - 1);
	return LS_OK;
}

enum ls_status
ls_session_remove(struct ls_session *s, int i, char *err)
{
	enum ls_status st;

	if ((st = check_index(s, i, err)) != LS_OK)
		return st;
	session_push_undo(s);
	sdir_free(&s->dirs[i]);
	memmove(s->dirs + i, s->dirs + i + 1, (size_t)(s->ndirs - i - 1) * sizeof *s->dirs);
	s->ndirs--;
	if (s->sel > i || s->sel >= s->ndirs)
		s->sel--;
	session_update(s);
	return LS_OK;
}

enum ls_status
ls_session_select(struct ls_session *s, int i, char *err)
{
	enum ls_status st;

	if ((st = check_index(s, i, err)) == LS_OK)
		s->sel = i;
	return st;
}

enum ls_status
ls_session_set_active(struct ls_session *s, int i, int on, char *err)
{
	enum ls_status st;

	if ((st = check_index(s, i, err)) != LS_OK)
		return st;
	session_push_undo(s);
	s->dirs[i].active = on < 0 ? !s->dirs[i].active : !!on;
	session_update(s);
	return LS_OK;
}

enum ls_status
ls_session_set_alpha(struct ls_session *s, int i, double alpha, char *err)
{
	enum ls_status st;

	if ((st = check_index(s, i, err)) != LS_OK)
		return st;
	if (!isfinite(alpha) || fabs(alpha) > 1e6)
		return ls_err(err, LS_EINVAL, "alpha %g: want a finite value within +-1e6", alpha);
	if (s->dirs[i].alpha == alpha)
		return LS_OK;   /* nothing changes: no undo step */
	session_push_undo(s);
	s->dirs[i].alpha = alpha;
	session_update(s);
	return LS_OK;
}

enum ls_status
ls_session_step(struct ls_session *s, double delta, char *err)
{
	struct sdir *d;
	double a;

	if (s->sel < 0)
		return ls_err(err, LS_EINVAL, "no direction selected (make one with dir, diff or pca)");
	if (!isfinite(delta))
		return ls_err(err, LS_EINVAL, "step %g: not a finite number", delta);
	d = &s->dirs[s->sel];
	a = d->alpha + delta;
	/* clamp at the end the step moves towards; an alpha already past it
	 * (set by `alpha`) stays, and a step back from it moves by delta */
	if (delta > 0 && a > d->hi)
		a = d->alpha > d->hi ? d->alpha : d->hi;
	else if (delta < 0 && a < d->lo)
		a = d->alpha < d->lo ? d->alpha : d->lo;
	if (fabs(a) < 1e-12)
		a = 0;   /* 0.1 + 0.1 + 0.1 - 0.3: land on 0 exactly */
	return ls_session_set_alpha(s, s->sel, a, err);
}

enum ls_status
ls_session_set_range(struct ls_session *s, int i, double lo, double hi, char *err)
{
	enum ls_status st;

	if ((st = check_index(s, i, err)) != LS_OK)
		return st;
	if (!isfinite(lo) || !isfinite(hi) || !(lo < hi) || fabs(lo) > 1e6 || fabs(hi) > 1e6)
		return ls_err(err, LS_EINVAL, "range %g %g: want finite LO < HI", lo, hi);
	session_push_undo(s);
	s->dirs[i].lo = lo;
	s->dirs[i].hi = hi;
	session_update(s);
	return LS_OK;
}

/* The other active directions than i, (m, d) rows, malloc'd. */
static float *
other_active(const struct ls_session *s, int i, int *m)
{
	float *o = xreallocarray(NULL, (size_t)s->ndirs * (size_t)s->d + 1, sizeof *o);
	int j;

	*m = 0;
	for (j = 0; j < s->ndirs; j++)
		if (j != i && s->dirs[j].active)
			memcpy(o + (long)(*m)++ * s->d, s->dirs[j].u, (size_t)s->d * sizeof *o);
	return o;
}

enum ls_status
ls_session_ortho(struct ls_session *s, int i, char *err)
{
	float *others = NULL, *v = NULL;
	enum ls_status st;
	struct sdir *dd;
	int m;

	if ((st = check_index(s, i, err)) != LS_OK)
		return st;
	others = other_active(s, i, &m);
	v = xreallocarray(NULL, (size_t)s->d, sizeof *v);
	memcpy(v, s->dirs[i].u, (size_t)s->d * sizeof *v);
	if (ls_dirs_orthogonalize(v, others, m, s->d, NULL) != LS_OK ||
	    ls_dir_normalize(v, s->d, s->dirs[i].name, NULL) != LS_OK) {
		st = ls_err(err, LS_EINVAL, "%s: lies in the span of the other active directions",
			    s->dirs[i].name);
		goto out;
	}
	session_push_undo(s);
	dd = &s->dirs[i];
	memcpy(dd->u, v, (size_t)s->d * sizeof *v);
	dd->sigma = session_sigma(s, dd->u);
	session_quality_init(s, dd);
	dd->target = NAN;   /* it no longer points at the row */
	dd->saved = 0;
	session_update(s);
out:
	free(others);
	free(v);
	return st;
}

/* ---- marks ------------------------------------------------------------ */

int ls_session_nmarks(const struct ls_session *s) { return s->nmarks; }
void ls_session_clear_marks(struct ls_session *s) { s->nmarks = 0; }

long
ls_session_markrow(const struct ls_session *s, int k)
{
	return k >= 0 && k < s->nmarks ? s->marks[k] : -1;
}

int
ls_session_is_marked(const struct ls_session *s, long i)
{
	int k;

	for (k = 0; k < s->nmarks; k++)
		if (s->marks[k] == i)
			return 1;
	return 0;
}

enum ls_status
ls_session_mark(struct ls_session *s, long i, char *err)
{
	if (!s->bank)
		return ls_err(err, LS_EINVAL, "mark %ld: no bank loaded", i);
	if (i < 0 || i >= ls_bank_rows(s->bank))
		return ls_err(err, LS_EINVAL, "mark %ld: out of range (the bank has %ld rows)", i,
			      ls_bank_rows(s->bank));
	if (ls_session_is_marked(s, i))
		return LS_OK;
	if (s->nmarks == LS_SESSION_MAX_MARKS)
		return ls_err(err, LS_EINVAL, "mark %ld: at most %d marks (unmark some)", i,
			      LS_SESSION_MAX_MARKS);
	s->marks[s->nmarks++] = i;
	return LS_OK;
}

enum ls_status
ls_session_unmark(struct ls_session *s, long i, char *err)
{
	int k;

	for (k = 0; k < s->nmarks; k++)
		if (s->marks[k] == i) {
			memmove(s->marks + k, s->marks + k + 1,
				(size_t)(s->nmarks - k - 1) * sizeof *s->marks);
			s->nmarks--;
			return LS_OK;
		}
	return ls_err(err, LS_EINVAL, "unmark %ld: row is not marked", i);
}

/* Aims the selected direction (just made, at alpha 0) at bank row b: its
 * target is the alpha where the slider reaches b's projection, and its
 * range grows to cover it with half a sigma to spare. */
static void
diff_target(struct ls_session *s, long b)
{
	struct sdir *d = &s->dirs[s->sel];
	const float *zb = ls_bank_row(s->bank, b);
	double t = 0;
	int k;

	for (k = 0; k < s->d; k++)
		t += (double)d->u[k] * ((double)zb[k] - s->z[k]);
	if (!(d->sigma > 0) || !isfinite(t /= d->sigma))
		return;
	d->target = t;
	if (t + 0.5 > d->hi)
		d->hi = ceil(2 * (t + 0.5)) / 2;
	if (t - 0.5 < d->lo)
		d->lo = floor(2 * (t - 0.5)) / 2;
}

enum ls_status
ls_session_diff(struct ls_session *s, const char *name, char *err)
{
	char spec[64], base[LS_SESSION_NAME_MAX];
	enum ls_status st;
	long a, b;

	if (s->nmarks < 2)
		return ls_err(err, LS_EINVAL, "diff: mark two rows first (%d marked)", s->nmarks);
	a = s->marks[s->nmarks - 2];
	b = s->marks[s->nmarks - 1];
	snprintf(spec, sizeof spec, "rows:%ld-%ld", a, b);
	snprintf(base, sizeof base, "diff_%ld_%ld", a, b);
	if (!(name && *name))
		unique_name(s, base, base);
	if ((st = ls_session_add_spec(s, spec, name && *name ? name : base, err)) == LS_OK)
		diff_target(s, b);   /* part of the same undo step: no state was pushed */
	return st;
}

/* ---- bookmarks -------------------------------------------------------- */

int ls_session_nbookmarks(const struct ls_session *s) { return s->nbm; }

const char *
ls_session_bookmark_name(const struct ls_session *s, int k)
{
	return k >= 0 && k < s->nbm ? s->bm[k].name : NULL;
}

const float *
ls_session_bookmark_z(const struct ls_session *s, int k)
{
	return k >= 0 && k < s->nbm ? s->bm[k].z : NULL;
}

/* Index of bookmark name, or -1. */
static int
find_bookmark(const struct ls_session *s, const char *name)
{
	int k;

	for (k = 0; k < s->nbm; k++)
		if (!strcmp(s->bm[k].name, name))
			return k;
	return -1;
}

const char *
ls_session_bookmark_note(const struct ls_session *s, int k)
{
	return k >= 0 && k < s->nbm ? s->bm[k].note : NULL;
}

/* The note of a bookmark of the current latent (ls_session_bookmark_note). */
static void
bookmark_note(const struct ls_session *s, char *out, size_t n)
{
	const char *lab = s->row >= 0 ? ls_session_label(s, s->row) : NULL;
	size_t k;
	int i;

	if (s->row >= 0)
		k = (size_t)snprintf(out, n, "row %ld%s%s%s", s->row, lab ? " (" : "", lab ? lab : "",
				     lab ? ")" : "");
	else
		k = (size_t)snprintf(out, n, "z0 a latent");
	for (i = 0; i < s->ndirs && k < n; i++)
		if (s->dirs[i].active && s->dirs[i].alpha != 0)
			k += (size_t)snprintf(out + k, n - k, ", %s %+.3g", s->dirs[i].name,
					      s->dirs[i].alpha);
}

enum ls_status
ls_session_bookmark(struct ls_session *s, const char *name, char *used, char *err)
{
	return ls_session_bookmark_at(s, name, s->z, used, err);
}

enum ls_status
ls_session_bookmark_at(struct ls_session *s, const char *name, const float *z, char *used,
		       char *err)
{
	char nm[LS_SESSION_NAME_MAX];
	enum ls_status st;
	int k;

	if (name && *name) {
		if ((st = name_check(name, err)) != LS_OK)
			return st;
		snprintf(nm, sizeof nm, "%s", name);
	} else {
		for (k = s->nbm + 1; snprintf(nm, sizeof nm, "b%d", k), find_bookmark(s, nm) >= 0; k++)
			;
	}
	if ((k = find_bookmark(s, nm)) < 0) {
		s->bm = xreallocarray(s->bm, (size_t)s->nbm + 1, sizeof *s->bm);
		k = s->nbm++;
		memcpy(s->bm[k].name, nm, sizeof nm);
		s->bm[k].z = xreallocarray(NULL, (size_t)s->d, sizeof *s->bm[k].z);
	}
	memmove(s->bm[k].z, z, (size_t)s->d * sizeof *z);
	if (z == s->z)
		bookmark_note(s, s->bm[k].note, sizeof s->bm[k].note);
	else
		snprintf(s->bm[k].note, sizeof s->bm[k].note, "a latent");
	if (used)
		memcpy(used, nm, sizeof nm);
	return LS_OK;
}

enum ls_status
ls_session_goto(struct ls_session *s, const char *name, char *err)
{
	int k = find_bookmark(s, name), i;

	if (k < 0)
		return ls_err(err, LS_EINVAL, "%s: no such bookmark", name);
	session_push_undo(s);
	memcpy(s->z0, s->bm[k].z, (size_t)s->d * sizeof *s->z0);
	s->row = -1;
	for (i = 0; i < s->ndirs; i++)
		s->dirs[i].alpha = 0;
	session_z0_changed(s);
	return LS_OK;
}

enum ls_status
ls_session_reset_all(struct ls_session *s, char *err)
{
	int i;

	(void)err;
	session_push_undo(s);
	for (i = 0; i < s->ndirs; i++)
		s->dirs[i].alpha = 0;
	session_update(s);
	return LS_OK;
}
