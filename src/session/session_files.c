/*
 * session_files.c: what a session writes and reads: the debounced preview
 * PNG, numbered snapshots that never replace a file, traversal strips,
 * directions files, images to encode, and the --record script.
 *
 * Every file goes through the atomic writer (ls_png_write, ls_dirfile_save,
 * ls_afile_*). A numbered file is claimed without a race: the PNG is written
 * under a private temporary name, then hard-linked to the numbered name
 * (link() fails if the name exists: the next number is tried) and the
 * temporary is removed.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linscope/dirfile.h"
#include "linscope/model.h"
#include "linscope/png.h"
#include "base/util.h"
#include "session_impl.h"

#define NUMBERED_MAX 1000000

/* Composes n images in cols columns into a raster at scale (0: the
 * session's; the layout of `linscope decode -o` / `traverse -o`), with
 * labels under them when labels is not NULL. */
static void
compose_at(const struct ls_session *s, const float *imgs, int n, int cols, int scale,
	   const char *const *labels, struct ls_raster *r)
{
	struct ls_grid_opts o = { cols, scale > 0 ? scale : s->scale, 2, 40, s->lo, s->hi, labels };

	ls_grid_compose(imgs, n, s->c, s->h, s->w, &o, r);
}

static void
compose(const struct ls_session *s, const float *imgs, int n, int cols, struct ls_raster *r)
{
	compose_at(s, imgs, n, cols, 0, NULL, r);
}

/* Writes the raster to path atomically and remembers it as the last PNG. */
static enum ls_status
write_png(struct ls_session *s, const char *path, const struct ls_raster *r, int flags,
	  char *err)
{
	enum ls_status st = ls_png_write_flags(path, r, flags, err);

	if (st == LS_OK) {
		free(s->last_png);
		s->last_png = xstrdup(path);
	}
	return st;
}

/* Writes r under the first free name fmt % k (k = 1, 2, ...) by way of a
 * temporary and link(); the name goes to out (PATH_MAX). */
static enum ls_status
write_numbered(struct ls_session *s, const char *fmt, const struct ls_raster *r, char *out,
	       char *err)
{
	char tmp[64], name[PATH_MAX];
	enum ls_status st;
	int k, e = 0;

	snprintf(tmp, sizeof tmp, ".linscope-%ld-%p.png", (long)getpid(), (void *)s);
	if ((st = ls_png_write(tmp, r, err)) != LS_OK)
		return st;
	for (k = 1; k < NUMBERED_MAX; k++) {
		snprintf(name, sizeof name, fmt, k);
		if (access(name, F_OK) == 0)
			continue;
		if (link(tmp, name) == 0)
			break;
		if ((e = errno) != EEXIST)
			break;
	}
	unlink(tmp);
	if (k == NUMBERED_MAX || (e && e != EEXIST))
		return ls_err(err, LS_EIO, "%s: %s", name, k == NUMBERED_MAX ? "no free number" : strerror(e));
	free(s->last_png);
	s->last_png = xstrdup(name);
	if (out)
		snprintf(out, PATH_MAX, "%s", name);
	return LS_OK;
}

/* ---- preview ---------------------------------------------------------- */

void
ls_session_set_preview(struct ls_session *s, const char *path, int enabled)
{
	if (path) {
		free(s->preview_path);
		s->preview_path = xstrdup(path);
	}
	if (enabled >= 0)
		s->preview_on = !!enabled;
	s->preview_dirty = 1;
	s->last_write = -1e300;
}

const char *ls_session_preview_path(const struct ls_session *s) { return s->preview_path; }
int ls_session_preview_enabled(const struct ls_session *s) { return s->preview_on; }
const char *ls_session_last_png(const struct ls_session *s) { return s->last_png; }

void
ls_session_set_debounce(struct ls_session *s, double seconds)
{
	s->debounce = seconds >= 0 && isfinite(seconds) ? seconds : LS_SESSION_DEBOUNCE;
}

void
ls_session_set_preview_scale(struct ls_session *s, int scale)
{
	s->scale = scale < 1 ? 1 : scale > 64 ? 64 : scale;
	s->preview_dirty = 1;
}

/* Writes the preview now. */
static enum ls_status
preview_write(struct ls_session *s, double now, char *err)
{
	struct ls_raster r;
	const float *img;
	enum ls_status st;

	ls_session_frame(s, &img, NULL);
	compose(s, img, 1, 1, &r);
	st = write_png(s, s->preview_path, &r, LS_AFILE_NOSYNC, err);
	ls_raster_free(&r);
	s->preview_dirty = 0;   /* also on failure: no retry storm; next change retries */
	s->last_write = now;
	return st;
}

enum ls_status
ls_session_tick(struct ls_session *s, double now, int *wrote, char *err)
{
	enum ls_status st = LS_OK;

	if (wrote)
		*wrote = 0;
	if (s->preview_on && s->preview_dirty && now - s->last_write >= s->debounce) {
		st = preview_write(s, now, err);
		if (wrote)
			*wrote = st == LS_OK;
	}
	if (st == LS_OK && s->rec_dirty)
		st = session_record_write(s, 0, err);
	return st;
}

enum ls_status
ls_session_flush(struct ls_session *s, char *err)
{
	enum ls_status st = LS_OK;

	if (s->preview_on && s->preview_dirty)
		st = preview_write(s, ls_now(), err);
	if (st == LS_OK && s->record_path)
		st = session_record_write(s, 1, err);
	return st;
}

/* ---- snapshots and strips --------------------------------------------- */

enum ls_status
ls_session_snapshot(struct ls_session *s, char *path, char *err)
{
	return ls_session_snapshot_at(s, 0, path, err);
}

enum ls_status
ls_session_snapshot_at(struct ls_session *s, int scale, char *path, char *err)
{
	struct ls_raster r;
	const float *img;
	enum ls_status st;

	if (scale < 0 || scale > LS_SESSION_SCALE_MAX)
		return ls_err(err, LS_EINVAL, "--scale %d: want 1..%d", scale, LS_SESSION_SCALE_MAX);
	ls_session_frame(s, &img, NULL);
	compose_at(s, img, 1, 1, scale, NULL, &r);
	st = write_numbered(s, "linscope-%04d.png", &r, path, err);
	ls_raster_free(&r);
	return st;
}

enum ls_status
ls_session_write_strip(struct ls_session *s, const char *file, int n, char *path, char *err)
{
	return ls_session_write_strip_at(s, file, n, 0, 0, path, err);
}

/* The alphas of the strip's n images as labels ("-1.5σ", "0"), into lab
 * (n, 24) and its pointers p. */
static void
strip_labels(const struct ls_session *s, int n, char (*lab)[24], const char **p)
{
	const struct sdir *d = &s->dirs[s->sel];
	double v;
	int k;

	for (k = 0; k < n; k++) {
		v = n == 1 ? d->alpha : d->lo + (d->hi - d->lo) * k / (n - 1);
		if (fabs(v) < 1e-9)
			snprintf(lab[k], sizeof lab[k], "0");
		else
			snprintf(lab[k], sizeof lab[k], "%+.3g\xcf\x83", v);
		p[k] = lab[k];
	}
}

enum ls_status
ls_session_write_strip_at(struct ls_session *s, const char *file, int n, int scale,
			  int labels, char *path, char *err)
{
	char (*lab)[24] = NULL;
	const char **p = NULL;
	struct ls_raster r;
	const float *imgs;
	enum ls_status st;

	if (n < 1 || n > 1024)
		return ls_err(err, LS_EINVAL, "strip %d: want 1..1024 images", n);
	if (scale < 0 || scale > LS_SESSION_SCALE_MAX)
		return ls_err(err, LS_EINVAL, "--scale %d: want 1..%d", scale, LS_SESSION_SCALE_MAX);
	if (labels && s->sel >= 0) {
		lab = xreallocarray(NULL, (size_t)n, sizeof *lab);
		p = xreallocarray(NULL, (size_t)n, sizeof *p);
		strip_labels(s, n, lab, p);
	}
	imgs = ls_session_strip(s, n);
	compose_at(s, imgs, n, n, scale, p, &r);
	st = session_write_raster(s, file, "linscope-strip-%04d.png", &r, path, err);
	ls_raster_free(&r);
	free(lab);
	free(p);
	return st;
}

enum ls_status
session_write_raster(struct ls_session *s, const char *file, const char *fmt,
		     const struct ls_raster *r, char *out, char *err)
{
	enum ls_status st;

	if (!file)
		return write_numbered(s, fmt, r, out, err);
	st = write_png(s, file, r, 0, err);
	if (st == LS_OK && out)
		snprintf(out, PATH_MAX, "%s", file);
	return st;
}

/* ---- directions files ------------------------------------------------- */

/* Is direction i among names (all when names is NULL)? */
static int
wanted(const struct ls_session *s, int i, const char *const *names, int n)
{
	int k;

	if (!names)
		return 1;
	for (k = 0; k < n; k++)
		if (!strcmp(names[k], s->dirs[i].name))
			return 1;
	return 0;
}

/* Is direction i in f already, with the same vector? 1 yes, 0 not there
 * (or force), -1 there with another vector (LS_EINVAL in err). */
static int
same_in_file(const struct ls_session *s, const struct ls_dirfile *f, const char *path, int i,
	     int force, char *err)
{
	const struct sdir *d = &s->dirs[i];
	int k = ls_dirfile_find(f, d->name);

	if (k < 0 || force)
		return 0;
	if (ls_dirfile_dim(f, k) == s->d &&
	    !memcmp(ls_dirfile_vec(f, k), d->u, (size_t)s->d * sizeof *d->u))
		return 1;
	ls_err(err, LS_EINVAL, "%s: already holds a different %s (save --force replaces it)",
	       path, d->name);
	return -1;
}

/* Puts direction i into f with its metadata. */
static enum ls_status
put_dir(struct ls_session *s, struct ls_dirfile *f, int i, int force, char *err)
{
	const struct sdir *d = &s->dirs[i];
	struct ls_dirmeta m = { d->method, d->source, NULL, NULL, ls_model_hash(s->model), NULL,
				s->bank ? d->sigma : NAN };

	const char *keys[3] = { "accuracy", "auc", "var_share" };
	double v[3] = { d->accuracy, d->auc, d->var_share };
	enum ls_status st = ls_dirfile_put(f, d->name, d->u, s->d, &m, force, err);
	int k;

	for (k = 0; k < 3 && st == LS_OK; k++)
		if (isfinite(v[k]))
			st = ls_dirfile_set_num(f, d->name, keys[k], v[k], err);
	return st;
}

enum ls_status
ls_session_save_dirs(struct ls_session *s, const char *path, const char *const *names, int n,
		     int force, char *err)
{
	struct ls_dirfile *f;
	enum ls_status st;
	int i, k, r, put = 0;

	for (k = 0; names && k < n; k++)
		if (ls_session_find(s, names[k]) < 0)
			return ls_err(err, LS_EINVAL, "%s: no such direction", names[k]);
	if (s->ndirs == 0)
		return ls_err(err, LS_EINVAL, "%s: no directions to save", path);
	if ((st = ls_dirfile_open(path, LS_DIRFILE_CREATE | LS_DIRFILE_LOCK, &f, err)) != LS_OK)
		return st;
	/* saving what the file holds already changes nothing (as vim's :w) */
	for (i = 0; i < s->ndirs && st == LS_OK; i++) {
		if (!wanted(s, i, names, n) || (r = same_in_file(s, f, path, i, force, err)) > 0)
			continue;
		st = r < 0 ? LS_EINVAL : put_dir(s, f, i, force, err);
		put++;
	}
	if (st == LS_OK && put)
		st = ls_dirfile_save(f, err);
	for (i = 0; i < s->ndirs && st == LS_OK; i++)
		if (wanted(s, i, names, n))
			s->dirs[i].saved = 1;
	ls_dirfile_free(f);
	return st;
}

/* ---- images ----------------------------------------------------------- */

/* Pixel (x, y) channel k of the model-sized image, from raster r of
 * another size: the mean of the source pixels its area covers (at least
 * the nearest one), in 0..1. */
static float
resampled(const struct ls_raster *r, int W, int H, int x, int y, int k)
{
	int x0 = (int)((long)x * r->w / W), x1 = (int)(((long)x + 1) * r->w / W);
	int y0 = (int)((long)y * r->h / H), y1 = (int)(((long)y + 1) * r->h / H), i, j;
	double sum = 0;

	x1 = x1 > x0 ? x1 : x0 + 1;
	y1 = y1 > y0 ? y1 : y0 + 1;
	for (j = y0; j < y1; j++)
		for (i = x0; i < x1; i++)
			sum += r->px[((size_t)j * r->w + i) * r->c + k];
	return (float)(sum / 255.0 / ((double)(x1 - x0) * (y1 - y0)));
}

/* Reads a PNG into x (C*H*W, CHW, model's range), resized to the model's
 * size (area averaging) when it has another, inverted (1 - v) when
 * invert; note gets what was done and a hint for a light background. */
static enum ls_status
image_load(const struct ls_session *s, const char *path, int invert, float *x, char *note,
	   char *err)
{
	struct ls_raster r;
	enum ls_status st;
	int i, k, hw = s->h * s->w;
	double mean = 0, v;

	if (s->c != 1 && s->c != 3)
		return ls_err(err, LS_EINVAL, "%s: the model has %d channels; only 1 or 3 can be read from PNG",
			      path, s->c);
	if ((st = ls_png_read(path, s->c, &r, err)) != LS_OK)
		return st;
	note[0] = 0;
	if (r.w != s->w || r.h != s->h)
		snprintf(note, LS_ERR_MAX, "resized from %dx%d to %dx%d", r.w, r.h, s->w, s->h);
	for (k = 0; k < s->c; k++)
		for (i = 0; i < hw; i++) {
			v = resampled(&r, s->w, s->h, i % s->w, i / s->w, k);
			v = invert ? 1 - v : v;
			mean += v / hw / s->c;
			x[k * hw + i] = s->lo + (s->hi - s->lo) * (float)v;
		}
	if (mean > 0.5 && !invert)
		snprintf(note + strlen(note), LS_ERR_MAX - strlen(note),
			 "%smostly light: a dark drawing on white? try open --invert", *note ? "; " : "");
	ls_raster_free(&r);
	return LS_OK;
}

enum ls_status
ls_session_open_image(struct ls_session *s, const char *png, char *err)
{
	char note[LS_ERR_MAX];

	return ls_session_open_image_opts(s, png, 0, note, err);
}

enum ls_status
ls_session_open_image_opts(struct ls_session *s, const char *png, int invert, char *note,
			   char *err)
{
	float *x, *z;
	enum ls_status st;

	note[0] = 0;
	if (!ls_model_encoder(s->model))
		return ls_err(err, LS_EINVAL, "%s: the model has no encoder, so images cannot be opened",
			      ls_model_path(s->model));
	x = xreallocarray(NULL, (size_t)s->od, sizeof *x);
	z = xreallocarray(NULL, (size_t)s->d, sizeof *z);
	if ((st = image_load(s, png, invert, x, note, err)) == LS_OK &&
	    (st = ls_model_encode(s->model, x, 1, z, err)) == LS_OK &&
	    (st = ls_session_set_z0(s, z, err)) == LS_OK) {
		free(s->input);
		s->input = x;   /* shown beside its reconstruction while z0 is its code */
		s->input_version = s->z0_version;
		x = NULL;
	}
	free(x);
	free(z);
	return st;
}

const float *
ls_session_input(const struct ls_session *s)
{
	return s->input && s->input_version == s->z0_version ? s->input : NULL;
}

/* ---- record ----------------------------------------------------------- */

/* The record is written whole once (header and the state it starts from,
 * atomically); every command line after that is appended to it (one
 * write per urgent line, the rest at the next tick) and fsync'ed at most
 * every RECORD_SYNC seconds and at every flush: the cost of a command is
 * that of its own line, never of the whole record. */
#define RECORD_SYNC 1.0

enum ls_status
ls_session_record_open(struct ls_session *s, const char *path, char *err)
{
	char *pre = session_state_text(s);
	struct ls_afile *af;
	enum ls_status st;

	session_record_free(s);
	if ((st = session_state_fits(pre, err)) != LS_OK ||
	    (st = ls_afile_open(path, &af, err)) != LS_OK)
		goto out;
	fputs("# linscope script (recorded); replay with: linscope run FILE\n", ls_afile_fp(af));
	fputs(pre, ls_afile_fp(af));
	if ((st = ls_afile_commit(af, 0, err)) != LS_OK)
		goto out;
	if ((s->rec_fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)) < 0) {
		st = ls_err(err, LS_EIO, "%s: %s", path, strerror(errno));
		goto out;
	}
	s->record_path = xstrdup(path);
	s->rec_synced = ls_now();
out:
	free(pre);
	return st;
}

void
ls_session_record_line(struct ls_session *s, const char *line, int urgent)
{
	size_t n = strlen(line);

	if (!s->record_path)
		return;
	if (s->rec_n + n + 2 > s->rec_cap) {
		s->rec_cap = 2 * (s->rec_n + n + 2) + 4096;
		s->rec = xrealloc(s->rec, s->rec_cap);
	}
	memcpy(s->rec + s->rec_n, line, n);
	s->rec_n += n;
	s->rec[s->rec_n++] = '\n';
	s->rec_dirty = 1;
	if (urgent)
		session_record_write(s, 0, NULL);   /* a failure shows at the next flush */
}

enum ls_status
session_record_write(struct ls_session *s, int sync, char *err)
{
	size_t off = 0;
	ssize_t k;
	double now;

	if (!s->record_path)
		return LS_OK;
	while (off < s->rec_n && ((k = write(s->rec_fd, s->rec + off, s->rec_n - off)) > 0 ||
				  (k < 0 && errno == EINTR)))
		off += k > 0 ? (size_t)k : 0;
	memmove(s->rec, s->rec + off, s->rec_n - off);
	s->rec_n -= off;
	if (s->rec_n)
		return ls_err(err, LS_EIO, "%s: %s", s->record_path, strerror(errno ? errno : EIO));
	s->rec_dirty = 0;
	now = ls_now();
	if (sync || now - s->rec_synced >= RECORD_SYNC) {
		s->rec_synced = now;
		if (fsync(s->rec_fd) != 0 && errno != EINVAL && errno != EROFS)
			return ls_err(err, LS_EIO, "%s: %s", s->record_path, strerror(errno));
	}
	return LS_OK;
}

void
session_record_free(struct ls_session *s)
{
	if (s->record_path && s->rec_fd >= 0)
		close(s->rec_fd);
	free(s->rec);
	free(s->record_path);
	s->rec = NULL;
	s->record_path = NULL;
	s->rec_n = s->rec_cap = 0;
	s->rec_dirty = 0;
	s->rec_fd = -1;
}
