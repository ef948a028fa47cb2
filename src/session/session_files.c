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

/* Composes n images in cols columns into a raster with the session's
 * scale (the layout of `linscope decode -o` / `traverse -o`). */
static void
compose(const struct ls_session *s, const float *imgs, int n, int cols, struct ls_raster *r)
{
	struct ls_grid_opts o = { cols, s->scale, 2, 40, s->lo, s->hi };

	ls_grid_compose(imgs, n, s->c, s->h, s->w, &o, r);
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
	struct ls_raster r;
	const float *img;
	enum ls_status st;

	ls_session_frame(s, &img, NULL);
	compose(s, img, 1, 1, &r);
	st = write_numbered(s, "linscope-%04d.png", &r, path, err);
	ls_raster_free(&r);
	return st;
}

enum ls_status
ls_session_write_strip(struct ls_session *s, const char *file, int n, char *path, char *err)
{
	struct ls_raster r;
	const float *imgs;
	enum ls_status st;

	if (n < 1 || n > 1024)
		return ls_err(err, LS_EINVAL, "strip %d: want 1..1024 images", n);
	imgs = ls_session_strip(s, n);
	compose(s, imgs, n, n, &r);
	st = session_write_raster(s, file, "linscope-strip-%04d.png", &r, path, err);
	ls_raster_free(&r);
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
	int i, k;

	for (k = 0; names && k < n; k++)
		if (ls_session_find(s, names[k]) < 0)
			return ls_err(err, LS_EINVAL, "%s: no such direction", names[k]);
	if (s->ndirs == 0)
		return ls_err(err, LS_EINVAL, "%s: no directions to save", path);
	if ((st = ls_dirfile_open(path, LS_DIRFILE_CREATE | LS_DIRFILE_LOCK, &f, err)) != LS_OK)
		return st;
	for (i = 0; i < s->ndirs && st == LS_OK; i++)
		if (wanted(s, i, names, n))
			st = put_dir(s, f, i, force, err);
	if (st == LS_OK)
		st = ls_dirfile_save(f, err);
	for (i = 0; i < s->ndirs && st == LS_OK; i++)
		if (wanted(s, i, names, n))
			s->dirs[i].saved = 1;
	ls_dirfile_free(f);
	return st;
}

/* ---- images ----------------------------------------------------------- */

/* Reads a PNG of the model's size into x (C*H*W, CHW, model's range). */
static enum ls_status
image_load(const struct ls_session *s, const char *path, float *x, char *err)
{
	struct ls_raster r;
	enum ls_status st;
	int i, k, hw = s->h * s->w;

	if (s->c != 1 && s->c != 3)
		return ls_err(err, LS_EINVAL, "%s: the model has %d channels; only 1 or 3 can be read from PNG",
			      path, s->c);
	if ((st = ls_png_read(path, s->c, &r, err)) != LS_OK)
		return st;
	if (r.w != s->w || r.h != s->h)
		st = ls_err(err, LS_EINVAL, "%s: image is %dx%d but the model takes %dx%d (WxH)", path,
			    r.w, r.h, s->w, s->h);
	for (k = 0; st == LS_OK && k < s->c; k++)
		for (i = 0; i < hw; i++)
			x[k * hw + i] = s->lo + (s->hi - s->lo) * (float)r.px[i * s->c + k] / 255.0f;
	ls_raster_free(&r);
	return st;
}

enum ls_status
ls_session_open_image(struct ls_session *s, const char *png, char *err)
{
	float *x, *z;
	enum ls_status st;

	if (!ls_model_encoder(s->model))
		return ls_err(err, LS_EINVAL, "%s: the model has no encoder, so images cannot be opened",
			      ls_model_path(s->model));
	x = xreallocarray(NULL, (size_t)s->od, sizeof *x);
	z = xreallocarray(NULL, (size_t)s->d, sizeof *z);
	if ((st = image_load(s, png, x, err)) == LS_OK &&
	    (st = ls_model_encode(s->model, x, 1, z, err)) == LS_OK)
		st = ls_session_set_z0(s, z, err);
	free(x);
	free(z);
	return st;
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
