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
	if (strstr(word, "_vs_"))   /* a name from before learned directions read FROM TO */
		return ls_err(msg, LS_EINVAL, "%s: no such direction (learned directions are now "
			      "named METHOD_FROM_to_TO: 'probe 1 7' points from 1 to 7 and is probe_1_to_7)", word);
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
	char *s = join(argc, argv, a, ","), why[LS_ERR_MAX];
	enum ls_status st;

	*v = xmalloc((size_t)d * sizeof **v);
	if ((st = ls_parse_vector(s, d, *v, why)) != LS_OK) {
		ls_err(msg, st, "%s: %s", s, why);
		free(*v);
		*v = NULL;
	}
	free(s);
	return st;
}

/* ---- data ------------------------------------------------------------- */

/* model PATH [--encoder E] [--image HxWxC] [--range LO,HI]: options over
 * the process defaults. */
static enum ls_status
c_model(struct ls_session *s, int argc, char **argv, char *msg)
{
	struct ls_model_opts o;
	const char *spec = NULL;
	enum ls_status st;
	int a, c, h, w;

	ls_model_defaults(&o);
	for (a = 1; a < argc; a++) {
		const char *opt = argv[a];
		if (strcmp(opt, "--encoder") && strcmp(opt, "--image") && strcmp(opt, "--range")) {
			if (spec)
				return ls_err(msg, LS_EINVAL, "model: one model, not '%s' and '%s'", spec, opt);
			spec = opt;
			continue;
		}
		if (++a == argc)
			return ls_err(msg, LS_EINVAL, "model: %s needs a value", opt);
		if (!strcmp(opt, "--encoder"))
			o.encoder = argv[a];
		else if (!strcmp(opt, "--image") ? ls_model_parse_image(argv[a], &o) != 0
			 : ls_model_parse_range(argv[a], &o) != 0)
			return ls_err(msg, LS_EINVAL, "model: %s wants %s, not '%s'", opt,
				      !strcmp(opt, "--image") ? "HxWxC (C 1 to 4)" : "LO,HI with LO < HI", argv[a]);
	}
	if (!spec)
		return ls_err(msg, LS_EINVAL, "model: which model? (a path or a bundled name)");
	if ((st = ls_session_set_model_opts(s, spec, &o, msg)) != LS_OK)
		return st;
	ls_session_image(s, &c, &h, &w);
	cmd_say(msg, "model %s: d=%d, image %dx%dx%d%s%s", spec, ls_session_dim(s), h, w, c,
		ls_session_bank(s) ? ", with its bank" : "",
		ls_model_encoder(ls_session_model(s)) ? ", with an encoder" : "");
	return LS_OK;
}

const struct cmd_entry cmd_entry_model = {
	{ "model", "PATH|NAME [--encoder ENC.onnx] [--image HxWxC] [--range LO,HI]", "load a model (.safetensors, .onnx or bundled: digits, digits2d, faces) with an ONNX encoder, the image shape of a flat output, the output range", LS_ARG_FILE, "digits digits2d faces --encoder --image --range" },
	c_model, 2, 8, REC_NOW
};

static enum ls_status
c_bank(struct ls_session *s, int argc, char **argv, char *msg)
{
	enum ls_status st;

	(void)argc;
	if ((st = ls_session_set_bank(s, argv[1], msg)) == LS_OK)
		cmd_say(msg, "bank %s: %ld rows", argv[1], ls_bank_rows(ls_session_bank(s)));
	return st;
}

const struct cmd_entry cmd_entry_bank = {
	{ "bank", "PATH", "load a latent bank (.npy, (N, d))", LS_ARG_FILE, NULL },
	c_bank, 2, 2, REC_NOW
};

static enum ls_status
c_labels(struct ls_session *s, int argc, char **argv, char *msg)
{
	(void)argc;
	return ls_session_set_labels(s, argv[1], msg);
}

const struct cmd_entry cmd_entry_labels = {
	{ "labels", "PATH", "load labels for the bank (text, one per line, or integer .npy; a bundled file by name: faces-glasses.txt)", LS_ARG_FILE, NULL },
	c_labels, 2, 2, REC_NOW
};

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

const struct cmd_entry cmd_entry_dirs = {
	{ "dirs", "FILE", "load every direction of a directions file (inactive)", LS_ARG_FILE, NULL },
	c_dirs, 2, 2, REC_NOW
};

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

const struct cmd_entry cmd_entry_row = {
	{ "row", "I", "start latent z0 = bank row I", LS_ARG_NONE, NULL },
	c_row, 2, 2, REC_NOW
};

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

const struct cmd_entry cmd_entry_z = {
	{ "z", "V1,V2,...", "start latent z0 = the d values given", LS_ARG_NONE, NULL },
	c_z, 2, LS_CMD_MAX_WORDS, REC_NOW
};

/* open [--invert] IMAGE.png */
static enum ls_status
c_open(struct ls_session *s, int argc, char **argv, char *msg)
{
	char note[LS_ERR_MAX];
	int inv = argc > 2 && !strcmp(argv[1], "--invert");
	const char *file = argv[argc - 1];
	enum ls_status st;

	if (argc > 2 && !inv)
		return ls_err(msg, LS_EINVAL, "%s: open wants [--invert] IMAGE.png", argv[1]);
	if ((st = ls_session_open_image_opts(s, file, inv, note, msg)) == LS_OK) /* one line */
		snprintf(msg + strlen(msg), LS_MSG_MAX - strlen(msg), "z0 = encoding of %s%s%s%s", file,
			 inv ? " (inverted)" : "", *note ? "; " : "", note);
	return st;
}

const struct cmd_entry cmd_entry_open = {
	{ "open", "[--invert] IMAGE.png", "encode an image (resized to the model's size; --invert for a dark drawing on white) and start from it", LS_ARG_FILE, "--invert" },
	c_open, 2, 3, REC_NOW
};

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

const struct cmd_entry cmd_entry_dir = {
	{ "dir", "rows I J|axis K|FILE:NAME|vec NAME V1,... [NAME]", "add a direction: bank[J]-bank[I], latent axis K, from a directions file, or given", LS_ARG_WORD, "rows axis vec" },
	c_dir, 2, 6, REC_NOW
};

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

const struct cmd_entry cmd_entry_select = {
	{ "select", "NAME|INDEX", "select a direction (the slider acts on it)", LS_ARG_DIR, NULL },
	c_select, 2, 2, REC_LAZY
};

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

const struct cmd_entry cmd_entry_activate = {
	{ "activate", "[NAME]", "make a direction contribute to z (default: selected)", LS_ARG_DIR, NULL },
	c_active, 1, 2, REC_NOW
};

const struct cmd_entry cmd_entry_deactivate = {
	{ "deactivate", "[NAME]", "stop a direction contributing to z", LS_ARG_DIR, NULL },
	c_active, 1, 2, REC_NOW
};

const struct cmd_entry cmd_entry_toggle = {
	{ "toggle", "[NAME]", "switch a direction on or off", LS_ARG_DIR, NULL },
	c_active, 1, 2, REC_NOW
};

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

const struct cmd_entry cmd_entry_alpha = {
	{ "alpha", "[NAME] VALUE", "set alpha (sigma units) of a direction (default: selected)", LS_ARG_DIR, NULL },
	c_alpha, 2, 3, REC_LAZY
};

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
	unsigned long v = ls_session_version(s);

	if ((argc > 1 && (st = step_parse(argv[1], &delta, msg)) != LS_OK) ||
	    (st = ls_session_step(s, delta, msg)) != LS_OK)
		return st;
	say_alpha(s, ls_session_selected(s), msg);
	if (v == ls_session_version(s))   /* one line: the key's message */
		snprintf(msg + strlen(msg), LS_MSG_MAX - strlen(msg), ", at the %s end of its range",
			 delta > 0 ? "upper" : "lower");
	return LS_OK;
}

const struct cmd_entry cmd_entry_step = {
	{ "step", "[+|-](fine|coarse)|DELTA", "move the selected slider: fine 0.1, coarse 0.5, or by DELTA (clamped to its range)", LS_ARG_WORD, "+fine -fine +coarse -coarse" },
	c_step, 1, 2, REC_LAZY
};

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

const struct cmd_entry cmd_entry_reset = {
	{ "reset", "[NAME|all]", "set alpha to 0 (default: selected)", LS_ARG_DIR, NULL },
	c_reset, 1, 2, REC_LAZY
};

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

const struct cmd_entry cmd_entry_range = {
	{ "range", "[NAME] LO HI", "set the slider range of a direction (default -3 3)", LS_ARG_DIR, NULL },
	c_range, 3, 4, REC_NOW
};

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

const struct cmd_entry cmd_entry_ortho = {
	{ "ortho", "[NAME]", "orthogonalise a direction against the other active ones", LS_ARG_DIR, NULL },
	c_ortho, 1, 2, REC_NOW
};

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

const struct cmd_entry cmd_entry_rm = {
	{ "rm", "NAME", "remove a direction", LS_ARG_DIR, NULL },
	c_rm, 2, 2, REC_NOW
};

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

const struct cmd_entry cmd_entry_mark = {
	{ "mark", "I", "mark bank row I", LS_ARG_NONE, NULL },
	c_mark, 2, 2, REC_LAZY
};

const struct cmd_entry cmd_entry_unmark = {
	{ "unmark", "I|all", "unmark bank row I, or every row", LS_ARG_NONE, NULL },
	c_mark, 2, 2, REC_LAZY
};

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

const struct cmd_entry cmd_entry_marks = {
	{ "marks", "", "list the marked rows", LS_ARG_NONE, NULL },
	c_marks, 1, 1, REC_NO
};

static enum ls_status
c_diff(struct ls_session *s, int argc, char **argv, char *msg)
{
	enum ls_status st;

	struct ls_session_dir d;

	if ((st = ls_session_diff(s, argc > 1 ? argv[1] : NULL, msg)) != LS_OK)
		return st;
	cmd_added(s, msg);
	ls_session_dir(s, ls_session_selected(s), &d);
	if (isfinite(d.target))   /* one line: the d key's message */
		snprintf(msg + strlen(msg), LS_MSG_MAX - strlen(msg),
			 "; reaches row %ld at alpha %.2f (range %g..%g)",
			 ls_session_markrow(s, ls_session_nmarks(s) - 1), d.target, d.lo, d.hi);
	return LS_OK;
}

const struct cmd_entry cmd_entry_diff = {
	{ "diff", "[NAME]", "add the direction from the last two marked rows (second - first); its range reaches the second", LS_ARG_NONE, NULL },
	c_diff, 1, 2, REC_NOW
};

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

const struct cmd_entry cmd_entry_bookmark = {
	{ "bookmark", "[NAME]", "remember the current latent z under NAME (default b1, b2, ...)", LS_ARG_NONE, NULL },
	c_bookmark, 1, LS_CMD_MAX_WORDS, REC_NOW
};

static enum ls_status
c_goto(struct ls_session *s, int argc, char **argv, char *msg)
{
	(void)argc;
	return ls_session_goto(s, argv[1], msg);
}

const struct cmd_entry cmd_entry_goto = {
	{ "goto", "NAME", "start from a bookmarked latent (alphas reset to 0)", LS_ARG_BOOKMARK, NULL },
	c_goto, 2, 2, REC_NOW
};

static enum ls_status
c_bookmarks(struct ls_session *s, int argc, char **argv, char *msg)
{
	int k;

	(void)argc, (void)argv;
	for (k = 0; k < ls_session_nbookmarks(s); k++)
		cmd_say(msg, "%-8s %s", ls_session_bookmark_name(s, k), ls_session_bookmark_note(s, k));
	if (k == 0)
		cmd_say(msg, "no bookmarks (b, or bookmark NAME, makes one)");
	return LS_OK;
}

const struct cmd_entry cmd_entry_bookmarks = {
	{ "bookmarks", "", "list the bookmarks: name, z0's row and label, the alphas", LS_ARG_NONE, NULL },
	c_bookmarks, 1, 1, REC_NO
};

static enum ls_status
c_undo(struct ls_session *s, int argc, char **argv, char *msg)
{
	(void)argc;
	return !strcmp(argv[0], "undo") ? ls_session_undo(s, msg) : ls_session_redo(s, msg);
}

const struct cmd_entry cmd_entry_undo = {
	{ "undo", "", "undo the last change of z0, alpha or the directions", LS_ARG_NONE, NULL },
	c_undo, 1, 1, REC_LAZY
};

const struct cmd_entry cmd_entry_redo = {
	{ "redo", "", "redo what undo undid", LS_ARG_NONE, NULL },
	c_undo, 1, 1, REC_LAZY
};

/* ---- files ------------------------------------------------------------ */

/* --scale K at argv[*k] (advancing *k): 1..LS_SESSION_SCALE_MAX. 0 when
 * argv[*k] is not --scale, 1 when parsed, -1 on error (msg). */
static int
scale_opt(int argc, char **argv, int *k, long *scale, char *msg)
{
	if (strcmp(argv[*k], "--scale"))
		return 0;
	if (*k + 1 >= argc || ls_parse_long(argv[*k + 1], scale) || *scale < 1 ||
	    *scale > LS_SESSION_SCALE_MAX)
		return ls_err(msg, LS_EINVAL, "%s: --scale wants 1..%d", argv[0], LS_SESSION_SCALE_MAX), -1;
	++*k;
	return 1;
}

/* snapshot [--scale K] */
static enum ls_status
c_snapshot(struct ls_session *s, int argc, char **argv, char *msg)
{
	char path[PATH_MAX];
	enum ls_status st;
	long scale = 0;
	int k = 1;

	if (argc > 1 && scale_opt(argc, argv, &k, &scale, msg) <= 0)
		return msg[0] ? LS_EINVAL : ls_err(msg, LS_EINVAL, "%s: snapshot wants [--scale K]", argv[1]);
	if (argc > 3)
		return ls_err(msg, LS_EINVAL, "snapshot: wants [--scale K]");
	if ((st = ls_session_snapshot_at(s, (int)scale, path, msg)) == LS_OK)
		cmd_say(msg, "wrote %s", path);
	return st;
}

const struct cmd_entry cmd_entry_snapshot = {
	{ "snapshot", "[--scale K]", "write the current image (K times its size, default 2) to the next free linscope-NNNN.png", LS_ARG_WORD, "--scale" },
	c_snapshot, 1, 3, REC_NOW
};

#define STRIP_SCALE 6   /* 168 pixels an image for the digits: slide-sized */

/* strip [FILE] [N] [--scale K] [--no-labels]: a word that is an integer is
 * N; labels and a slide-sized scale by default. */
static enum ls_status
c_strip(struct ls_session *s, int argc, char **argv, char *msg)
{
	const char *file = NULL;
	char path[PATH_MAX];
	long n = LS_SESSION_STRIP_N, v, scale = STRIP_SCALE;
	int k, r, labels = 1, pos = 0;
	enum ls_status st;

	for (k = 1; k < argc; k++) {
		if ((r = scale_opt(argc, argv, &k, &scale, msg)) != 0) {
			if (r < 0)
				return LS_EINVAL;
		} else if (!strcmp(argv[k], "--no-labels") || !strcmp(argv[k], "--labels")) {
			labels = argv[k][2] == 'l';
		} else if (!ls_parse_long(argv[k], &v) && pos < 2) {
			n = v, pos = 2;
		} else if (pos == 0) {
			file = argv[k], pos = 1;
		} else {
			return ls_err(msg, LS_EINVAL, "%s: strip wants [FILE] [N] [--scale K] [--no-labels]", argv[k]);
		}
	}
	if (n < 1 || n > 1024)
		return ls_err(msg, LS_EINVAL, "strip %ld: want 1..1024 images", n);
	if (ls_session_selected(s) < 0)
		return ls_err(msg, LS_EINVAL, "strip: needs a direction (make one with dir, diff or pca)");
	if ((st = ls_session_write_strip_at(s, file, (int)n, (int)scale, labels, path, msg)) == LS_OK)
		cmd_say(msg, "wrote %s", path);
	return st;
}

const struct cmd_entry cmd_entry_strip = {
	{ "strip", "[FILE] [N] [--scale K] [--no-labels]", "write N images (default 9) along the selected direction's range, each K times its size (default 6) with its alpha under it", LS_ARG_FILE, "--scale --no-labels" },
	c_strip, 1, 6, REC_NOW
};

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

const struct cmd_entry cmd_entry_preview = {
	{ "preview", "[on|off|PATH]", "switch the live preview PNG on or off, or set its path", LS_ARG_FILE, "on off" },
	c_preview, 1, 2, REC_NOW
};

/* pixels [MODE]: the explorer handles it (ui/main.c); elsewhere there
 * is no screen, so it only says so. */
static enum ls_status
c_pixels(struct ls_session *s, int argc, char **argv, char *msg)
{
	(void)s, (void)argc, (void)argv;
	cmd_say(msg, "pixels: a setting of the explorer's screen (nothing to do here)");
	return LS_OK;
}

const struct cmd_entry cmd_entry_pixels = {
	{ "pixels", "[auto|kitty|sixel|iterm|symbols|half|text|smooth|crisp]", "how the explorer draws images (a setting of the screen: scripts ignore it)", LS_ARG_WORD, "auto kitty sixel iterm symbols half text smooth crisp" },
	c_pixels, 1, 2, REC_NO
};

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

const struct cmd_entry cmd_entry_save = {
	{ "save", "FILE [--force] [NAME...]", "save directions to a directions file (--force replaces names in it)", LS_ARG_FILE, NULL },
	c_save, 2, LS_CMD_MAX_WORDS, REC_NOW
};

static enum ls_status
c_savestate(struct ls_session *s, int argc, char **argv, char *msg)
{
	enum ls_status st;

	(void)argc;
	if ((st = ls_cmd_state_save(s, argv[1], msg)) == LS_OK)
		cmd_say(msg, "saved the session to %s", argv[1]);
	return st;
}

const struct cmd_entry cmd_entry_savestate = {
	{ "savestate", "FILE", "write the session (data, z0, directions, bookmarks) as a script", LS_ARG_FILE, NULL },
	c_savestate, 2, 2, REC_NOW
};

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
		n += (size_t)snprintf(msg + n, LS_MSG_MAX - n, " var_share %.4f", d->var_share);
	if (isfinite(d->target) && n < LS_MSG_MAX)
		n += (size_t)snprintf(msg + n, LS_MSG_MAX - n, " target %.4g", d->target);
	if (d->truth_name && n < LS_MSG_MAX)
		snprintf(msg + n, LS_MSG_MAX - n, " truth %s r %+.4f leak %.4f", d->truth_name, d->truth_r,
			 d->truth_leak);
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
		cmd_say(msg, "%s", t = ls_cmd_state_text(s));
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

const struct cmd_entry cmd_entry_print = {
	{ "print", "[z|z0|dirs|alpha|state]", "show the latents, directions and alphas", LS_ARG_WORD, "z z0 dirs alpha state" },
	c_print, 1, 2, REC_NO
};

static enum ls_status
c_echo(struct ls_session *s, int argc, char **argv, char *msg)
{
	char *t = join(argc, argv, 1, " ");

	(void)s;
	cmd_say(msg, "%s", t);
	free(t);
	return LS_OK;
}

const struct cmd_entry cmd_entry_echo = {
	{ "echo", "TEXT...", "print TEXT", LS_ARG_NONE, NULL },
	c_echo, 1, LS_CMD_MAX_WORDS, REC_NO
};

static enum ls_status
c_help(struct ls_session *s, int argc, char **argv, char *msg)
{
	(void)s;
	if (argc > 1 && !ls_cmd_find(argv[1]))
		return ls_err(msg, LS_EINVAL, "%s: unknown command (try 'help')", argv[1]);
	ls_cmd_help(argc > 1 ? argv[1] : NULL, msg, LS_MSG_MAX);
	return LS_OK;
}

const struct cmd_entry cmd_entry_help = {
	{ "help", "[COMMAND]", "list the commands, or describe one", LS_ARG_COMMAND, NULL },
	c_help, 1, 2, REC_NO
};

static enum ls_status
c_quit(struct ls_session *s, int argc, char **argv, char *msg)
{
	(void)argc, (void)argv, (void)msg;
	ls_session_request_quit(s);
	return LS_OK;
}

const struct cmd_entry cmd_entry_quit = {
	{ "quit", "", "leave (the explorer asks first if directions are unsaved)", LS_ARG_NONE, NULL },
	c_quit, 1, 1, REC_NO
};
