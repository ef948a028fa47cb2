/*
 * cmd_state.c: a session's state as a script of commands (cmd.h). It runs
 * commands, so it sits in cmd/, above the session it saves and restores.
 *
 * The text rebuilds model, bank, labels, z0, every direction (its unit
 * vector embedded with `dir vec`, then alpha, range and active flag), the
 * selection, marks, bookmarks and the preview settings. Floats are written
 * with 9 significant digits and doubles with 17, so they read back bit for
 * bit. It is the prelude of a --record script and the format of
 * ls_cmd_state_save(); ls_cmd_state_load() runs it line by line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linscope/bank.h"
#include "linscope/cmd.h"
#include "base/util.h"
#include "session/session_impl.h"

/* A growing text buffer. */
struct text {
	char *p;
	size_t n, cap;
};

static void __attribute__((format(printf, 2, 3)))
tprintf(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int k;

	for (;;) {
		va_start(ap, fmt);
		k = vsnprintf(t->p + t->n, t->cap - t->n, fmt, ap);
		va_end(ap);
		if (k >= 0 && (size_t)k < t->cap - t->n)
			break;
		t->cap = t->cap * 2 + (size_t)k;
		t->p = xrealloc(t->p, t->cap);
	}
	t->n += (size_t)k;
}

/* One quoted word. */
static void
tword(struct text *t, const char *w)
{
	char q[LS_CMD_MAX_LINE];

	ls_cmd_quote(w, q, sizeof q);
	tprintf(t, " %s", q);
}

/* d floats, comma separated, exact. */
static void
tvec(struct text *t, const float *v, int d)
{
	int k;

	for (k = 0; k < d; k++)
		tprintf(t, "%s%.9g", k ? "," : " ", (double)v[k]);
}

/* The lines for direction i. */
static void
state_dir(struct ls_session *s, struct text *t, int i)
{
	const struct sdir *d = &s->dirs[i];

	tprintf(t, "dir vec");
	tword(t, d->name);
	tvec(t, d->u, s->d);
	tword(t, d->method);
	tword(t, d->source);
	tprintf(t, "\n");
	if (d->lo != -LS_SESSION_RANGE || d->hi != LS_SESSION_RANGE)
		tprintf(t, "range %d %.17g %.17g\n", i, d->lo, d->hi);
	if (d->alpha != 0)
		tprintf(t, "alpha %d %.17g\n", i, d->alpha);
	if (!d->active)
		tprintf(t, "deactivate %d\n", i);
}

/* model, bank, labels, z0. */
static void
state_data(struct ls_session *s, struct text *t)
{
	const struct ls_model_opts *o = ls_session_model_opts(s);

	tprintf(t, "model");
	tword(t, s->model_spec);
	if (o->encoder) {
		tprintf(t, " --encoder");
		tword(t, o->encoder);
	}
	if (o->h)
		tprintf(t, " --image %dx%dx%d", o->h, o->w, o->c);
	if (o->has_range)
		tprintf(t, " --range %.9g,%.9g", (double)o->lo, (double)o->hi);
	tprintf(t, "\n");
	if (s->bank_spec) {
		tprintf(t, "bank");
		tword(t, s->bank_spec);
		tprintf(t, "\n");
	}
	if (s->labels_spec) {
		tprintf(t, "labels");
		tword(t, s->labels_spec);
		tprintf(t, "\n");
	}
	if (s->erased)
		tprintf(t, "# the bank had %d concept(s) erased (erase): not replayed\n", s->erased);
	if (s->factors_spec) {
		tprintf(t, "factors");
		tword(t, s->factors_spec);
		tprintf(t, "\n");
	}
	if (s->row >= 0)
		tprintf(t, "row %ld\n", s->row);
	else {
		tprintf(t, "z");
		tvec(t, s->z0, s->d);
		tprintf(t, "\n");
	}
}

char *
session_state_text(struct ls_session *s)
{
	struct text t = { xmalloc(4096), 0, 4096 };
	int i;

	t.p[0] = 0;
	state_data(s, &t);
	for (i = 0; i < s->ndirs; i++)
		state_dir(s, &t, i);
	if (s->sel >= 0)
		tprintf(&t, "select %d\n", s->sel);
	for (i = 0; i < s->nmarks; i++)
		tprintf(&t, "mark %ld\n", s->marks[i]);
	for (i = 0; i < s->nbm; i++) {
		tprintf(&t, "bookmark");
		tword(&t, s->bm[i].name);
		tvec(&t, s->bm[i].z, s->d);
		tprintf(&t, "\n");
	}
	tprintf(&t, "preview");
	tword(&t, s->preview_path);
	tprintf(&t, "\npreview %s\n", s->preview_on ? "on" : "off");
	if (s->units != LS_UNITS_SIGMA)
		tprintf(&t, "units %s\n", ls_units_name((enum ls_units)s->units));
	return t.p;
}

enum ls_status
ls_cmd_script_check(const char *text, char *err)
{
	const char *p = text, *e;
	long no = 1;

	for (; *p; p = *e ? e + 1 : e, no++) {
		e = strchr(p, '\n');
		if (!e)
			e = p + strlen(p);
		if (e - p >= LS_CMD_MAX_LINE)
			return ls_err(err, LS_EINVAL, "line %ld of the state is %ld bytes, more than a "
				      "script line holds (%d): save the directions with 'save FILE'",
				      no, (long)(e - p), LS_CMD_MAX_LINE - 1);
	}
	return LS_OK;
}

enum ls_status
session_state_fits(const char *text, char *err)
{
	return ls_cmd_script_check(text, err);
}

enum ls_status
ls_cmd_state_save(struct ls_session *s, const char *path, char *err)
{
	struct ls_afile *af;
	enum ls_status st;
	char *text;

	text = session_state_text(s);
	if ((st = ls_cmd_script_check(text, err)) != LS_OK ||
	    (st = ls_afile_open(path, &af, err)) != LS_OK) {
		free(text);
		return st;
	}
	fputs("# linscope session state; load with: linscope run FILE\n", ls_afile_fp(af));
	fputs(text, ls_afile_fp(af));
	free(text);
	return ls_afile_commit(af, 0, err);
}

/* Opens path for a restore: a regular file (never blocking on a FIFO,
 * never reading a device) of at most LS_CMD_STATE_MAX bytes. */
static FILE *
state_open(const char *path, char *err)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat sb = { 0 };
	FILE *f;

	if (fd < 0)
		return ls_err(err, LS_EIO, "%s: %s", path, strerror(errno)), NULL;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > LS_CMD_STATE_MAX) {
		ls_err(err, LS_EFORMAT, "%s: %s", path, !S_ISREG(sb.st_mode) ? "not a regular file"
			: "too large for a session state");
		close(fd);
		return NULL;
	}
	if (!(f = fdopen(fd, "r")))
		close(fd);
	return f;
}

/* May line run in a restore? 1 yes, 0 skip it, -1 refuse (not state). */
static int
state_line_ok(const char *line)
{
	static const char *const ok[] = { "model", "bank", "labels", "row", "z", "dir",
					  "range", "alpha", "activate", "deactivate", "select",
					  "mark", "bookmark", "units", NULL };
	char *buf = xmalloc(LS_CMD_MAX_LINE), *w[LS_CMD_MAX_WORDS];
	int n, k, r = -1;

	if (ls_cmd_split(line, buf, w, LS_CMD_MAX_WORDS, &n, NULL) != LS_OK)
		n = -1;

	if (n <= 0 || !strcmp(w[0], "preview"))
		r = n < 0 ? -1 : 0;   /* blank or comment: skip; preview: an output */
	for (k = 0; n > 0 && r < 0 && ok[k]; k++)
		if (!strcmp(w[0], ok[k]))
			r = 1;
	free(buf);
	return r;
}

/* Runs one line of a restore. */
static enum ls_status
state_line(struct ls_session *s, const char *line, char *msg)
{
	int ok = state_line_ok(line);

	if (ok < 0) {
		char w[64];
		snprintf(w, sizeof w, "%.*s", (int)strcspn(line, " \t"), line);
		return ls_err(msg, LS_EINVAL, "%s: not a state command (a restore only restores state)",
			      w);
	}
	return ok ? ls_cmd_exec(s, line, msg) : LS_OK;
}

enum ls_status
ls_cmd_state_load(struct ls_session *s, const char *path, char *err)
{
	char *line = xmalloc(LS_CMD_MAX_LINE + 2), *msg = xmalloc(LS_MSG_MAX);
	enum ls_status st = LS_OK;
	long no = 0;
	FILE *f;

	if (!(f = state_open(path, err))) {
		st = LS_EIO;
		goto out;
	}
	while (st == LS_OK && fgets(line, LS_CMD_MAX_LINE + 2, f)) {
		no++;
		if (!strchr(line, '\n') && strlen(line) > LS_CMD_MAX_LINE - 1 && !feof(f))
			st = ls_err(msg, LS_EINVAL, "line too long (at most %d bytes)", LS_CMD_MAX_LINE - 1);
		line[strcspn(line, "\r\n")] = 0;
		if (st != LS_OK || (st = state_line(s, line, msg)) != LS_OK)
			ls_err(err, st, "%s:%ld: %s", path, no, msg);
	}
	fclose(f);
out:
	free(line);
	free(msg);
	return st;
}

char *
ls_cmd_state_text(struct ls_session *s)
{
	return session_state_text(s);
}
