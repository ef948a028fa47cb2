/*
 * cmd_ops.c: the handlers of the explorer's commands (see cmd_table.c for
 * what each means, cmd_impl.h for the handler contract). Handlers parse
 * and check every argument before the one session call that acts, so a
 * failing command leaves the session as it was.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/bank.h"
#include "linscope/model.h"
#include "base/util.h"
#include "cmd_impl.h"

/* ---- shared helpers --------------------------------------------------- */

enum ls_status
cmd_long(const char *word, const char *what, long *v, char *msg)
{
	if (ls_parse_long(word, v))
		return ls_err(msg, LS_EINVAL, "%s: %s wants an integer", word, what);
	return LS_OK;
}

enum ls_status
cmd_double(const char *word, const char *what, double *v, char *msg)
{
	if (ls_parse_double(word, v) || !isfinite(*v))
		return ls_err(msg, LS_EINVAL, "%s: %s wants a number", word, what);
	return LS_OK;
}

enum ls_status
cmd_dir_arg(struct ls_session *s, const char *word, int *i, char *msg)
{
	long k;

	if ((*i = ls_session_find(s, word)) >= 0)
		return LS_OK;
	if (!ls_parse_long(word, &k) && k >= 0 && k < ls_session_ndirs(s)) {
		*i = (int)k;
		return LS_OK;
	}
	return ls_err(msg, LS_EINVAL, "%s: no such direction", word);
}

enum ls_status
cmd_dir_opt(struct ls_session *s, int argc, char **argv, int k, int *i, char *msg)
{
	if (k < argc)
		return cmd_dir_arg(s, argv[k], i, msg);
	if ((*i = ls_session_selected(s)) < 0)
		return ls_err(msg, LS_EINVAL, "%s: no directions yet (make one with dir, diff or pca)",
			      argv[0]);
	return LS_OK;
}

void
cmd_added(struct ls_session *s, char *msg)
{
	struct ls_session_dir d;

	if (ls_session_dir(s, ls_session_selected(s), &d) == 0)
		cmd_say(msg, "added %s (%s), sigma %.4g", d.name, d.source, d.sigma);
}

/* The words argv[a..argc) joined by sep, malloc'd. */
static char *
join(int argc, char **argv, int a, const char *sep)
{
	size_t n = 1;
	char *r;
	int i;

	for (i = a; i < argc; i++)
		n += strlen(argv[i]) + strlen(sep);
	r = xcalloc(1, n);
	for (i = a; i < argc; i++) {
		if (i > a)
			strcat(r, sep);
		strcat(r, argv[i]);
	}
	return r;
}

/* Parses d comma-separated numbers (also spread over words) into *v. */
static enum ls_status
parse_vec(int argc, char **argv, int a, int d, float **v, char *msg)
{
	char *s = join(argc, argv, a, ",");
	long n = ls_parse_floats(s, v);
	enum ls_status st = LS_OK;

	if (n != d) {
		st = n < 0 ? ls_err(msg, LS_EINVAL, "%s: want %d comma-separated numbers", s, d)
			   : ls_err(msg, LS_EINVAL, "%ld values given but the latent dimension is %d", n, d);
		free(n >= 0 ? *v : NULL);
		*v = NULL;
	}
	free(s);
	return st;
}

/* ---- data ------------------------------------------------------------- */

static enum ls_status
c_model(struct ls_session *s, int argc, char **argv, char *msg)
{
	enum ls_status st;
	int c, h, w;

	(void)argc;
	if ((st = ls_session_set_model(s, argv[1], msg)) != LS_OK)
		return st;
	ls_session_image(s, &c, &h, &w);
	cmd_say(msg, "model %s: d=%d, image %dx%dx%d%s", argv[1], ls_session_dim(s), h, w, c,
		ls_session_bank(s) ? ", with its bank" : "");
	return LS_OK;
}

static enum ls_status
c_bank(struct ls_session *s, int argc, char **argv, char *msg)
{
	enum ls_status st;

	(void)argc;
	if ((st = ls_session_set_bank(s, argv[1], msg)) == LS_OK)
		cmd_say(msg, "bank %s: %ld rows", argv[1], ls_bank_rows(ls_session_bank(s)));
	return st;
}

static enum ls_status
c_labels(struct ls_session *s, int argc, char **argv, char *msg)
{
	(void)argc;
	return ls_session_set_labels(s, argv[1], msg);
}

static enum ls_status
c_dirs(struct ls_session *s, int argc, char **argv, char *msg)
{
	int n = ls_session_ndirs(s);
	enum ls_status st;

	(void)argc;
	if ((st = ls_session_load_dirs(s, argv[1], msg)) == LS_OK)
		cmd_say(msg, "%s: %d directions loaded", argv[1], ls_session_ndirs(s) - n);
	return st;
}

static enum ls_status
c_row(struct ls_session *s, int argc, char **argv, char *msg)
{
	enum ls_status st;
	const char *l;
	long i;

	(void)argc;
	if ((st = cmd_long(argv[1], "row", &i, msg)) != LS_OK ||
	    (st = ls_session_set_row(s, i, msg)) != LS_OK)
		return st;
	l = ls_session_label(s, i);
	cmd_say(msg, "z0 = row %ld%s%s", i, l ? ", label " : "", l ? l : "");
	return LS_OK;
}

static enum ls_status
c_z(struct ls_session *s, int argc, char **argv, char *msg)
{
	enum ls_status st;
	float *v;

	if ((st = parse_vec(argc, argv, 1, ls_session_dim(s), &v, msg)) != LS_OK)
		return st;
	st = ls_session_set_z0(s, v, msg);
	free(v);
	return st;
}

static enum ls_status
c_open(struct ls_session *s, int argc, char **argv, char *msg)
{
	enum ls_status st;

	(void)argc;
	if ((st = ls_session_open_image(s, argv[1], msg)) == LS_OK)
		cmd_say(msg, "z0 = encoding of %s", argv[1]);
	return st;
}

/* ---- directions ------------------------------------------------------- */

/* dir vec NAME V1,... [METHOD [SOURCE]] */
static enum ls_status
dir_vec(struct ls_session *s, int argc, char **argv, char *msg)
{
	enum ls_status st;
	float *v;

	if (argc < 4 || argc > 6)
		return ls_err(msg, LS_EINVAL, "dir: usage: dir vec NAME V1,V2,... [METHOD [SOURCE]]");
	if ((st = parse_vec(4, argv, 3, ls_session_dim(s), &v, msg)) != LS_OK)
		return st;
	st = ls_session_add_dir(s, argv[2], v, argc > 4 ? argv[4] : "vec",
				argc > 5 ? argv[5] : "vec", NULL, msg);
	free(v);
	return st;
}

/* dir rows I J [NAME], dir axis K [NAME]: checked as specs. */
static enum ls_status
dir_rows_axis(struct ls_session *s, int argc, char **argv, char *msg)
{
	int rows = !strcmp(argv[1], "rows"), need = rows ? 4 : 3;
	char spec[80];
	enum ls_status st;
	long i, j = 0;

	if (argc < need || argc > need + 1)
		return ls_err(msg, LS_EINVAL, "dir: usage: dir %s", rows ? "rows I J [NAME]" : "axis K [NAME]");
	if ((st = cmd_long(argv[2], argv[1], &i, msg)) != LS_OK ||
	    (rows && (st = cmd_long(argv[3], "rows", &j, msg)) != LS_OK))
		return st;
	if (rows)
		snprintf(spec, sizeof spec, "rows:%ld-%ld", i, j);
	else
		snprintf(spec, sizeof spec, "axis:%ld", i);
	return ls_session_add_spec(s, spec, argc > need ? argv[need] : NULL, msg);
}

static enum ls_status
c_dir(struct ls_session *s, int argc, char **argv, char *msg)
{
	enum ls_status st;

	if (!strcmp(argv[1], "vec"))
		st = dir_vec(s, argc, argv, msg);
	else if (!strcmp(argv[1], "rows") || !strcmp(argv[1], "axis"))
		st = dir_rows_axis(s, argc, argv, msg);
	else if (argc > 3)
		return ls_err(msg, LS_EINVAL, "dir: usage: dir SPEC [NAME]");
	else if (!strchr(argv[1], ':'))
		return ls_err(msg, LS_EINVAL, "%s: want rows I J, axis K, vec NAME V..., or FILE:NAME", argv[1]);
	else
		st = ls_session_add_spec(s, argv[1], argc > 2 ? argv[2] : NULL, msg);
	if (st == LS_OK)
		cmd_added(s, msg);
	return st;
}

static enum ls_status
c_select(struct ls_session *s, int argc, char **argv, char *msg)
{
	enum ls_status st;
	int i;

	(void)argc;
	if ((st = cmd_dir_arg(s, argv[1], &i, msg)) != LS_OK)
		return st;
	return ls_session_select(s, i, msg);
}

/* activate / deactivate / toggle [NAME] */
static enum ls_status
c_active(struct ls_session *s, int argc, char **argv, char *msg)
{
	int on = !strcmp(argv[0], "activate") ? 1 : !strcmp(argv[0], "deactivate") ? 0 : -1;
	struct ls_session_dir d;
	enum ls_status st;
	int i;

	if ((st = cmd_dir_opt(s, argc, argv, 1, &i, msg)) != LS_OK ||
	    (st = ls_session_set_active(s, i, on, msg)) != LS_OK)
		return st;
	ls_session_dir(s, i, &d);
	cmd_say(msg, "%s %s", d.name, d.active ? "active" : "inactive");
	return LS_OK;
}

/* Reports alpha and the raw distance of direction i. */
static void
say_alpha(struct ls_session *s, int i, char *msg)
{
	struct ls_session_dir d;

	ls_session_dir(s, i, &d);
	cmd_say(msg, "%s: alpha %.4g (raw %.4g)%s", d.name, d.alpha, d.alpha * d.sigma,
		d.active ? "" : ", inactive");
}

static enum ls_status
c_alpha(struct ls_session *s, int argc, char **argv, char *msg)
{
	enum ls_status st;
	double a;
	int i;

	if ((st = cmd_dir_opt(s, argc - 1, argv, 1, &i, msg)) != LS_OK ||
	    (st = cmd_double(argv[argc - 1], "alpha", &a, msg)) != LS_OK ||
	    (st = ls_session_set_alpha(s, i, a, msg)) != LS_OK)
		return st;
	say_alpha(s, i, msg);
	return LS_OK;
}

/* Parses a step word: [+|-]fine, [+|-]coarse, or a number. */
static enum ls_status
step_parse(const char *w, double *delta, char *msg)
{
	double sign = *w == '-' ? -1 : 1;
	const char *p = *w == '-' || *w == '+' ? w + 1 : w;

	if (!strcmp(p, "fine"))
		*delta = sign * LS_SESSION_STEP_FINE;
	else if (!strcmp(p, "coarse"))
		*delta = sign * LS_SESSION_STEP_COARSE;
	else if (ls_parse_double(w, delta) || !isfinite(*delta))
		return ls_err(msg, LS_EINVAL, "%s: step wants [+|-]fine, [+|-]coarse or a number", w);
	return LS_OK;
}

static enum ls_status
c_step(struct ls_session *s, int argc, char **argv, char *msg)
{
	enum ls_status st;
	double delta = LS_SESSION_STEP_FINE;

	if ((argc > 1 && (st = step_parse(argv[1], &delta, msg)) != LS_OK) ||
	    (st = ls_session_step(s, delta, msg)) != LS_OK)
		return st;
	say_alpha(s, ls_session_selected(s), msg);
	return LS_OK;
}

static enum ls_status
c_reset(struct ls_session *s, int argc, char **argv, char *msg)
{
	enum ls_status st;
	int i;

	if (argc > 1 && !strcmp(argv[1], "all") && ls_session_find(s, "all") < 0)
		return ls_session_reset_all(s, msg);
	if ((st = cmd_dir_opt(s, argc, argv, 1, &i, msg)) != LS_OK ||
	    (st = ls_session_set_alpha(s, i, 0, msg)) != LS_OK)
		return st;
	say_alpha(s, i, msg);
	return LS_OK;
}

static enum ls_status
c_range(struct ls_session *s, int argc, char **argv, char *msg)
{
	enum ls_status st;
	double lo, hi;
	int i;

	if ((st = cmd_dir_opt(s, argc - 2, argv, 1, &i, msg)) != LS_OK ||
	    (st = cmd_double(argv[argc - 2], "range", &lo, msg)) != LS_OK ||
	    (st = cmd_double(argv[argc - 1], "range", &hi, msg)) != LS_OK)
		return st;
	return ls_session_set_range(s, i, lo, hi, msg);
}

static enum ls_status
c_ortho(struct ls_session *s, int argc, char **argv, char *msg)
{
	struct ls_session_dir d;
	enum ls_status st;
	int i;

	if ((st = cmd_dir_opt(s, argc, argv, 1, &i, msg)) != LS_OK ||
	    (st = ls_session_ortho(s, i, msg)) != LS_OK)
		return st;
	ls_session_dir(s, i, &d);
	cmd_say(msg, "%s orthogonalised against the other active directions", d.name);
	return LS_OK;
}

static enum ls_status
c_rm(struct ls_session *s, int argc, char **argv, char *msg)
{
	enum ls_status st;
	int i;

	(void)argc;
	if ((st = cmd_dir_arg(s, argv[1], &i, msg)) != LS_OK)
		return st;
	return ls_session_remove(s, i, msg);
}

/* ---- marks, bookmarks, undo ------------------------------------------- */

static enum ls_status
c_mark(struct ls_session *s, int argc, char **argv, char *msg)
{
	enum ls_status st;
	long i;

	(void)argc;
	if (!strcmp(argv[0], "unmark") && !strcmp(argv[1], "all")) {
		ls_session_clear_marks(s);
		return LS_OK;
	}
	if ((st = cmd_long(argv[1], argv[0], &i, msg)) != LS_OK)
		return st;
	if (!strcmp(argv[0], "unmark"))
		return ls_session_unmark(s, i, msg);
	if ((st = ls_session_mark(s, i, msg)) == LS_OK)
		cmd_say(msg, "%d rows marked", ls_session_nmarks(s));
	return st;
}

static enum ls_status
c_marks(struct ls_session *s, int argc, char **argv, char *msg)
{
	int k;

	(void)argc, (void)argv;
	for (k = 0; k < ls_session_nmarks(s); k++) {
		long r = ls_session_markrow(s, k);
		const char *l = ls_session_label(s, r);
		cmd_say(msg, "%ld%s%s", r, l ? " " : "", l ? l : "");
	}
	return LS_OK;
}

static enum ls_status
c_diff(struct ls_session *s, int argc, char **argv, char *msg)
{
	enum ls_status st;

	if ((st = ls_session_diff(s, argc > 1 ? argv[1] : NULL, msg)) == LS_OK)
		cmd_added(s, msg);
	return st;
}

/* bookmark [NAME [V1,...]] */
static enum ls_status
c_bookmark(struct ls_session *s, int argc, char **argv, char *msg)
{
	char used[LS_SESSION_NAME_MAX];
	enum ls_status st;
	float *v = NULL;

	if (argc > 2 && (st = parse_vec(argc, argv, 2, ls_session_dim(s), &v, msg)) != LS_OK)
		return st;
	st = ls_session_bookmark_at(s, argc > 1 ? argv[1] : NULL, v ? v : ls_session_z(s), used, msg);
	if (st == LS_OK && !v)
		cmd_say(msg, "bookmark %s", used);
	free(v);
	return st;
}

static enum ls_status
c_goto(struct ls_session *s, int argc, char **argv, char *msg)
{
	(void)argc;
	return ls_session_goto(s, argv[1], msg);
}

static enum ls_status
c_bookmarks(struct ls_session *s, int argc, char **argv, char *msg)
{
	int k;

	(void)argc, (void)argv;
	for (k = 0; k < ls_session_nbookmarks(s); k++)
		cmd_say(msg, "%s", ls_session_bookmark_name(s, k));
	return LS_OK;
}

static enum ls_status
c_undo(struct ls_session *s, int argc, char **argv, char *msg)
{
	(void)argc;
	return !strcmp(argv[0], "undo") ? ls_session_undo(s, msg) : ls_session_redo(s, msg);
}

/* ---- files ------------------------------------------------------------ */

static enum ls_status
c_snapshot(struct ls_session *s, int argc, char **argv, char *msg)
{
	char path[PATH_MAX];
	enum ls_status st;

	(void)argc, (void)argv;
	if ((st = ls_session_snapshot(s, path, msg)) == LS_OK)
		cmd_say(msg, "wrote %s", path);
	return st;
}

/* strip [FILE] [N]: a word that is an integer is N. */
static enum ls_status
c_strip(struct ls_session *s, int argc, char **argv, char *msg)
{
	const char *file = NULL;
	char path[PATH_MAX];
	long n = LS_SESSION_STRIP_N, v;
	enum ls_status st;
	int k;

	for (k = 1; k < argc; k++) {
		if (!ls_parse_long(argv[k], &v) && k == argc - 1)
			n = v;
		else if (!file && k == 1)
			file = argv[k];
		else
			return ls_err(msg, LS_EINVAL, "%s: strip wants [FILE] [N]", argv[k]);
	}
	if (n < 1 || n > 1024)
		return ls_err(msg, LS_EINVAL, "strip %ld: want 1..1024 images", n);
	if ((st = ls_session_write_strip(s, file, (int)n, path, msg)) == LS_OK)
		cmd_say(msg, "wrote %s", path);
	return st;
}

static enum ls_status
c_preview(struct ls_session *s, int argc, char **argv, char *msg)
{
	if (argc > 1 && !strcmp(argv[1], "on"))
		ls_session_set_preview(s, NULL, 1);
	else if (argc > 1 && !strcmp(argv[1], "off"))
		ls_session_set_preview(s, NULL, 0);
	else if (argc > 1 && !*argv[1])
		return ls_err(msg, LS_EINVAL, "preview: empty path");
	else if (argc > 1)
		ls_session_set_preview(s, argv[1], 1);
	cmd_say(msg, "preview %s: %s", ls_session_preview_enabled(s) ? "on" : "off",
		ls_session_preview_path(s));
	return LS_OK;
}

/* pixels [MODE]: the explorer handles it (ui/main.c); elsewhere there
 * is no screen, so it only says so. */
static enum ls_status
c_pixels(struct ls_session *s, int argc, char **argv, char *msg)
{
	cmd_say(msg, "pixels: a setting of the explorer's screen (nothing to do here)");
	return LS_OK;
}

/* save FILE [--force] [NAME...] */
static enum ls_status
c_save(struct ls_session *s, int argc, char **argv, char *msg)
{
	const char *names[LS_CMD_MAX_WORDS];
	int k, n = 0, force = 0;
	enum ls_status st;

	for (k = 2; k < argc; k++) {
		if (!strcmp(argv[k], "--force"))
			force = 1;
		else
			names[n++] = argv[k];
	}
	if ((st = ls_session_save_dirs(s, argv[1], n ? names : NULL, n, force, msg)) == LS_OK)
		cmd_say(msg, "saved %s", argv[1]);
	return st;
}

static enum ls_status
c_savestate(struct ls_session *s, int argc, char **argv, char *msg)
{
	enum ls_status st;

	(void)argc;
	if ((st = ls_session_save_state(s, argv[1], msg)) == LS_OK)
		cmd_say(msg, "saved the session to %s", argv[1]);
	return st;
}

/* ---- output ----------------------------------------------------------- */

/* "v1,v2,..." exact (9 digits). */
static void
say_vec(char *msg, const float *v, int d)
{
	size_t n = strlen(msg);
	int k;

	if (n && n + 1 < LS_MSG_MAX)
		msg[n++] = '\n', msg[n] = 0;
	for (k = 0; k < d && n + 20 < LS_MSG_MAX; k++)
		n += (size_t)snprintf(msg + n, LS_MSG_MAX - n, "%s%.9g", k ? "," : "", (double)v[k]);
}

/* Appends " accuracy A auc B var_share C" for the figures known. */
static void
say_quality(char *msg, const struct ls_session_dir *d)
{
	size_t n = strlen(msg);

	if (isfinite(d->accuracy))
		n += (size_t)snprintf(msg + n, LS_MSG_MAX - n, " accuracy %.4f", d->accuracy);
	if (isfinite(d->auc) && n < LS_MSG_MAX)
		n += (size_t)snprintf(msg + n, LS_MSG_MAX - n, " auc %.4f", d->auc);
	if (isfinite(d->var_share) && n < LS_MSG_MAX)
		snprintf(msg + n, LS_MSG_MAX - n, " var_share %.4f", d->var_share);
}

static void
say_dirs(struct ls_session *s, char *msg, int alpha_only)
{
	struct ls_session_dir d;
	int i;

	for (i = 0; ls_session_dir(s, i, &d) == 0; i++) {
		if (alpha_only)
			cmd_say(msg, "%s %.17g", d.name, d.alpha);
		else
			cmd_say(msg, "%c%d %s alpha %.6g sigma %.6g range %g..%g %s%s (%s)",
				i == ls_session_selected(s) ? '>' : ' ', i, d.name, d.alpha, d.sigma,
				d.lo, d.hi, d.active ? "active" : "inactive", d.saved ? "" : " unsaved",
				d.source);
		if (!alpha_only)
			say_quality(msg, &d);
	}
}

static enum ls_status
c_print(struct ls_session *s, int argc, char **argv, char *msg)
{
	const char *w = argc > 1 ? argv[1] : "";
	int d = ls_session_dim(s);
	char *t;

	if (!strcmp(w, "z"))
		say_vec(msg, ls_session_z(s), d);
	else if (!strcmp(w, "z0"))
		say_vec(msg, ls_session_z0(s), d);
	else if (!strcmp(w, "dirs") || !strcmp(w, "alpha"))
		say_dirs(s, msg, *w == 'a');
	else if (!strcmp(w, "state")) {
		cmd_say(msg, "%s", t = ls_session_state_text(s));
		free(t);
		while (*msg && msg[strlen(msg) - 1] == '\n')
			msg[strlen(msg) - 1] = 0;
	} else if (*w)
		return ls_err(msg, LS_EINVAL, "%s: print wants z, z0, dirs, alpha or state", w);
	else {
		cmd_say(msg, "model %s, d=%d, z0 row %ld, |z-z0| %.6g", ls_session_model_spec(s), d,
			ls_session_z0_row(s), ls_session_distance(s));
		say_dirs(s, msg, 0);
		cmd_say(msg, "z");
		say_vec(msg, ls_session_z(s), d);
	}
	return LS_OK;
}

static enum ls_status
c_echo(struct ls_session *s, int argc, char **argv, char *msg)
{
	char *t = join(argc, argv, 1, " ");

	(void)s;
	cmd_say(msg, "%s", t);
	free(t);
	return LS_OK;
}

static enum ls_status
c_help(struct ls_session *s, int argc, char **argv, char *msg)
{
	(void)s;
	if (argc > 1 && !ls_cmd_find(argv[1]))
		return ls_err(msg, LS_EINVAL, "%s: unknown command (try 'help')", argv[1]);
	ls_cmd_help(argc > 1 ? argv[1] : NULL, msg, LS_MSG_MAX);
	return LS_OK;
}

static enum ls_status
c_quit(struct ls_session *s, int argc, char **argv, char *msg)
{
	(void)argc, (void)argv, (void)msg;
	ls_session_request_quit(s);
	return LS_OK;
}

const struct cmd_def cmd_defs[] = {
	{ "model", c_model, 2, 2, REC_NOW },
	{ "bank", c_bank, 2, 2, REC_NOW },
	{ "labels", c_labels, 2, 2, REC_NOW },
	{ "dirs", c_dirs, 2, 2, REC_NOW },
	{ "row", c_row, 2, 2, REC_NOW },
	{ "z", c_z, 2, LS_CMD_MAX_WORDS, REC_NOW },
	{ "open", c_open, 2, 2, REC_NOW },
	{ "dir", c_dir, 2, 6, REC_NOW },
	{ "pca", cmd_pca, 1, 2, REC_NOW },
	{ "sefa", cmd_sefa, 1, 2, REC_NOW },
	{ "meandiff", cmd_learn, 3, 4, REC_NOW },
	{ "probe", cmd_learn, 3, 4, REC_NOW },
	{ "lda", cmd_learn, 3, 4, REC_NOW },
	{ "random", cmd_random, 2, 3, REC_NOW },
	{ "select", c_select, 2, 2, REC_LAZY },
	{ "activate", c_active, 1, 2, REC_NOW },
	{ "deactivate", c_active, 1, 2, REC_NOW },
	{ "toggle", c_active, 1, 2, REC_NOW },
	{ "alpha", c_alpha, 2, 3, REC_LAZY },
	{ "step", c_step, 1, 2, REC_LAZY },
	{ "reset", c_reset, 1, 2, REC_LAZY },
	{ "range", c_range, 3, 4, REC_NOW },
	{ "mark", c_mark, 2, 2, REC_LAZY },
	{ "unmark", c_mark, 2, 2, REC_LAZY },
	{ "marks", c_marks, 1, 1, REC_NO },
	{ "diff", c_diff, 1, 2, REC_NOW },
	{ "ortho", c_ortho, 1, 2, REC_NOW },
	{ "rm", c_rm, 2, 2, REC_NOW },
	{ "bookmark", c_bookmark, 1, LS_CMD_MAX_WORDS, REC_NOW },
	{ "goto", c_goto, 2, 2, REC_NOW },
	{ "bookmarks", c_bookmarks, 1, 1, REC_NO },
	{ "undo", c_undo, 1, 1, REC_LAZY },
	{ "redo", c_undo, 1, 1, REC_LAZY },
	{ "region", cmd_an_region, 1, 1, REC_NO },
	{ "linearity", cmd_an_linearity, 1, 2, REC_NO },
	{ "where", cmd_an_where, 1, 1, REC_NO },
	{ "hist", cmd_an_hist, 1, 3, REC_NO },
	{ "cos", cmd_an_cos, 1, 1, REC_NO },
	{ "units", cmd_an_units, 1, 2, REC_NOW },
	{ "paint", cmd_an_paint, 5, 6, REC_NOW },
	{ "regionmap", cmd_an_regionmap, 1, 2, REC_NOW },
	{ "snapshot", c_snapshot, 1, 1, REC_NOW },
	{ "strip", c_strip, 1, 3, REC_NOW },
	{ "preview", c_preview, 1, 2, REC_NOW },
	{ "pixels", c_pixels, 1, 2, REC_NO },
	{ "save", c_save, 2, LS_CMD_MAX_WORDS, REC_NO },
	{ "savestate", c_savestate, 2, 2, REC_NO },
	{ "print", c_print, 1, 2, REC_NO },
	{ "echo", c_echo, 1, LS_CMD_MAX_WORDS, REC_NO },
	{ "help", c_help, 1, 2, REC_NO },
	{ "quit", c_quit, 1, 1, REC_NO },
	{ NULL, NULL, 0, 0, REC_NO },
};
