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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	tprintf(t, "model");
	tword(t, s->model_spec);
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
ls_cmd_state_save(struct ls_session *s, const char *path, char *err)
{
	struct ls_afile *af;
	enum ls_status st;
	char *text;

	if ((st = ls_afile_open(path, &af, err)) != LS_OK)
		return st;
	text = session_state_text(s);
	fputs("# linscope session state; load with: linscope run FILE\n", ls_afile_fp(af));
	fputs(text, ls_afile_fp(af));
	free(text);
	return ls_afile_commit(af, 0, err);
}

enum ls_status
ls_cmd_state_load(struct ls_session *s, const char *path, char *err)
{
	char line[LS_CMD_MAX_LINE + 2], *msg = xmalloc(LS_MSG_MAX);
	enum ls_status st = LS_OK;
	long no = 0;
	FILE *f;

	if (!(f = fopen(path, "r"))) {
		free(msg);
		return ls_err(err, LS_EIO, "%s: %s", path, strerror(errno));
	}
	while (st == LS_OK && fgets(line, sizeof line, f)) {
		no++;
		line[strcspn(line, "\r\n")] = 0;
		if ((st = ls_cmd_exec(s, line, msg)) != LS_OK)
			ls_err(err, st, "%s:%ld: %s", path, no, msg);
	}
	fclose(f);
	free(msg);
	return st;
}

char *
ls_cmd_state_text(struct ls_session *s)
{
	return session_state_text(s);
}
