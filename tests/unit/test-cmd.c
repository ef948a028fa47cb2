/*
 * test-cmd.c: the command language: splitting and quoting, every command
 * in the help table is a command, bad lines fail with a message and change
 * nothing, the slider arithmetic, completion, and print z agreeing with the
 * session's latent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linscope/linscope.h"
#include "base/util.h"
#include "../lib/tap.h"

static char msg[LS_MSG_MAX];

static void
test_split(void)
{
	char buf[LS_CMD_MAX_LINE], *w[8], q[256];
	const char *odd = "a \"b\" 'c#d' \\e";
	int n;

	ls_cmd_split("  alpha  \"my dir\" 1.5 # comment", buf, w, 8, &n, msg);
	ok(n == 3 && !strcmp(w[0], "alpha") && !strcmp(w[1], "my dir") && !strcmp(w[2], "1.5"),
	   "quotes and comments");
	ls_cmd_split("echo 'a\\b' \"c\\\"d\" e\\ f", buf, w, 8, &n, msg);
	ok(n == 4 && !strcmp(w[1], "a\\b") && !strcmp(w[2], "c\"d") && !strcmp(w[3], "e f"),
	   "escapes: '%s' '%s' '%s'", n > 1 ? w[1] : "", n > 2 ? w[2] : "", n > 3 ? w[3] : "");
	ok(ls_cmd_split("echo \"open", buf, w, 8, &n, msg) != LS_OK && strstr(msg, "unterminated"),
	   "unterminated quote");
	ok(ls_cmd_split("# only a comment", buf, w, 8, &n, msg) == LS_OK && n == 0, "comment line is empty");
	ok(ls_cmd_split("a b c", buf, w, 2, &n, msg) != LS_OK, "too many words");
	ls_cmd_quote(odd, q, sizeof q);
	ls_cmd_split(q, buf, w, 8, &n, msg);
	ok(n == 1 && !strcmp(w[0], odd), "quote round trip: %s", q);
	ls_cmd_quote("", q, sizeof q);
	ls_cmd_split(q, buf, w, 8, &n, msg);
	ok(n == 1 && !strcmp(w[0], ""), "empty word quotes as \"\"");
}

static void
test_table(struct ls_session *s)
{
	const struct ls_cmd_info *t = NULL;
	char *help = malloc(LS_MSG_MAX), line[128];
	int n, i, bad = 0, missing = 0;

	for (n = 0; ls_cmd_at(n); n++)
		;
	t = NULL;
	ok(n >= 35, "at least 35 commands (%d)", n);
	ok(ls_cmd_exec(s, "help", help) == LS_OK, "help");
	for (i = 0; (t = ls_cmd_at(i)); i++) {
		char want[64];
		snprintf(want, sizeof want, "\n%s ", t->name);
		if (!strstr(help, want) && strncmp(help, want + 1, strlen(want + 1)))
			missing++, diag("help lacks %s", t->name);
		snprintf(line, sizeof line, "%s a b c d e f g h", t->name);
		ls_cmd_exec(s, line, msg);
		if (strstr(msg, "unknown command"))
			bad++, diag("%s has no handler", t->name);
	}
	ok(missing == 0, "help lists every command of the table");
	ok(bad == 0, "every command of the table has a handler");
	ok(ls_cmd_exec(s, "help alpha", msg) == LS_OK && strstr(msg, "[NAME] VALUE"), "help alpha");
	ok(ls_cmd_exec(s, "frobnicate", msg) == LS_EINVAL && strstr(msg, "frobnicate: unknown command") &&
	   !strstr(msg, "did you mean"), "unknown command, no guess: %s", msg);
	ok(ls_cmd_exec(s, "pac 3", msg) == LS_EINVAL && strstr(msg, "pac: unknown command; did you mean pca?"),
	   "a transposition gets a guess: %s", msg);
	ok(ls_cmd_exec(s, "stirp", msg) == LS_EINVAL && strstr(msg, "did you mean strip?"),
	   "so does another: %s", msg);
	ok(ls_cmd_exec(s, "alphaa 1", msg) == LS_EINVAL && strstr(msg, "did you mean alpha?"),
	   "an extra letter: %s", msg);
	ok(ls_cmd_exec(s, "zz", msg) == LS_EINVAL && !strstr(msg, "did you mean"),
	   "a short word is no typo of z: %s", msg);
	free(help);
}

/* Each line must fail and leave print state identical. */
static void
test_bad_lines(struct ls_session *s)
{
	static const char *bad[] = {
		"alpha nosuch 1", "alpha x", "row 99999", "row -1", "row abc", "dir rows 1",
		"dir rows 1 1", "dir axis 16", "dir nofile.safetensors:x", "range 3 1", "z 1,2",
		"z a,b", "step sideways", "open /nonexistent.png", "pca 0", "pca 17",
		"meandiff 1 1", "meandiff 1 nolabel", "rm nosuch", "select 42", "goto nowhere",
		"undo extra", "mark 123456", "unmark 5", "diff", "dirs /nonexistent.safetensors",
		"bank /nonexistent.npy", "model /nonexistent.safetensors", "strip 0",
		"save", "print nonsense", "echo \"unterminated", "help nosuch", "random -1",
		"dir vec v 1,2,3", "dir vec \"bad name\" 1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0",
		"paint 1 2 3", "paint a 0 4 4", "paint 5 5 5 9", "paint 0 0 40 40", "paint -9 -9 -1 -1",
		"paint 0 0 4 4 \"bad name\"", "units furlongs", "linearity x", "linearity nan",
		"hist nosuch", "hist 0", "hist base 2000", "regionmap /nonexistent/dir/m.png",
	};
	char *before = ls_cmd_state_text(s), *after;
	size_t i, fails = 0, silent = 0;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (ls_cmd_exec(s, bad[i], msg) == LS_OK)
			fails++, diag("'%s' succeeded", bad[i]);
		else if (!*msg || strchr(msg, '\n'))
			silent++, diag("'%s' gave no one-line message", bad[i]);
	}
	after = ls_cmd_state_text(s);
	ok(fails == 0, "every bad line fails");
	ok(silent == 0, "every failure has a one-line message");
	ok(!strcmp(before, after), "bad lines change nothing");
	free(before);
	free(after);
}

static void
test_slider(struct ls_session *s)
{
	struct ls_session_dir d;
	int i;

	ok(ls_cmd_exec(s, "dir axis 3 ax3", msg) == LS_OK, "dir axis 3 ax3: %s", msg);
	for (i = 0; i < 4; i++)
		ls_cmd_exec(s, "step +coarse", msg);
	ls_cmd_exec(s, "step -fine", msg);
	ls_session_dir(s, ls_session_find(s, "ax3"), &d);
	ok_close(d.alpha, 1.9, 1e-12, "4 coarse up, 1 fine down = 1.9");
	for (i = 0; i < 10; i++)
		ls_cmd_exec(s, "step coarse", msg);
	ls_session_dir(s, ls_session_find(s, "ax3"), &d);
	ok_close(d.alpha, 3, 0, "clamped at the range's end");
	ok(ls_cmd_exec(s, "range ax3 -1 5", msg) == LS_OK && ls_cmd_exec(s, "step 1.5", msg) == LS_OK,
	   "range and a numeric step");
	ls_session_dir(s, ls_session_find(s, "ax3"), &d);
	ok_close(d.alpha, 4.5, 1e-12, "alpha 4.5 in the wider range");
	ok(ls_cmd_exec(s, "reset", msg) == LS_OK && ls_cmd_exec(s, "toggle ax3", msg) == LS_OK,
	   "reset, toggle");
	ls_session_dir(s, ls_session_find(s, "ax3"), &d);
	ok(d.alpha == 0 && !d.active, "alpha 0 and inactive");
	ok(ls_cmd_exec(s, "undo", msg) == LS_OK && ls_cmd_exec(s, "undo", msg) == LS_OK, "undo twice");
	ls_session_dir(s, ls_session_find(s, "ax3"), &d);
	ok(d.alpha == 4.5 && d.active, "back to 4.5, active");
}

/* A slider key at the end of the range changes nothing and is no undo
 * step; a key back from an alpha set past the range moves by one step. */
static void
test_slider_ends(struct ls_session *s)
{
	struct ls_session_dir d;
	int i;

	ok(ls_cmd_exec(s, "dir axis 5 ax5", msg) == LS_OK && ls_cmd_exec(s, "alpha 3", msg) == LS_OK,
	   "ax5 at alpha 3, the end of -3..3");
	ok(ls_cmd_exec(s, "step +fine", msg) == LS_OK && strstr(msg, "upper end"),
	   "a step past the end says so: %s", msg);
	ok(ls_cmd_exec(s, "undo", msg) == LS_OK, "undo");
	i = ls_session_find(s, "ax5");
	ls_session_dir(s, i, &d);
	ok(d.alpha == 0, "undo undoes alpha 3, not the empty step (alpha %g)", d.alpha);
	ok(ls_cmd_exec(s, "alpha 3.62", msg) == LS_OK && ls_cmd_exec(s, "step -fine", msg) == LS_OK,
	   "alpha 3.62 (past the range), h");
	ls_session_dir(s, i, &d);
	ok_close(d.alpha, 3.52, 1e-12, "h from 3.62 goes to 3.52");
	ok(ls_cmd_exec(s, "alpha 3.62", msg) == LS_OK && ls_cmd_exec(s, "step +fine", msg) == LS_OK,
	   "alpha 3.62, l");
	ls_session_dir(s, i, &d);
	ok(d.alpha == 3.62, "l past the end keeps 3.62 (%g)", d.alpha);
	ok(ls_cmd_exec(s, "rm ax5", msg) == LS_OK, "rm ax5");
}

static void
test_print(struct ls_session *s)
{
	int d = ls_session_dim(s);
	float *v = NULL;
	long n;

	ok(ls_cmd_exec(s, "alpha 0.75", msg) == LS_OK, "alpha 0.75");
	ok(ls_cmd_exec(s, "print z", msg) == LS_OK, "print z");
	n = ls_parse_floats(msg, &v);
	ok(n == d && !memcmp(v, ls_session_z(s), (size_t)d * sizeof *v),
	   "print z reads back bit for bit");
	free(n >= 0 ? v : NULL);
	ok(ls_cmd_exec(s, "mark 4", msg) == LS_OK && ls_cmd_exec(s, "mark 11", msg) == LS_OK &&
	   ls_cmd_exec(s, "diff", msg) == LS_OK && strstr(msg, "diff_4_11"), "mark, mark, diff: %s", msg);
	ok(ls_cmd_exec(s, "bookmark", msg) == LS_OK && strstr(msg, "b1"), "bookmark b1");
}

/* Is word among the candidates? */
static int
has(char **v, const char *word)
{
	for (; v && *v; v++)
		if (!strcmp(*v, word))
			return 1;
	return 0;
}

static void
test_complete(struct ls_session *s)
{
	char **v;
	int f;

	v = ls_cmd_complete(s, "al", 0, &f);
	ok(has(v, "alpha") && !v[1] && !f, "al -> alpha");
	ls_cmd_complete_free(v);
	v = ls_cmd_complete(s, "select ax", 7, &f);
	ok(has(v, "ax3") && !f, "select ax -> ax3");
	ls_cmd_complete_free(v);
	v = ls_cmd_complete(s, "preview o", 8, &f);
	ok(has(v, "on") && has(v, "off") && f, "preview o -> on, off (+ files)");
	ls_cmd_complete_free(v);
	v = ls_cmd_complete(s, "bank as", 5, &f);
	ok(!v && f, "bank -> file names");
	ls_cmd_complete_free(v);
	v = ls_cmd_complete(s, "goto b", 5, &f);
	ok(has(v, "b1"), "goto b -> b1");
	ls_cmd_complete_free(v);
}

/* The number after "key " in msg, NAN when absent. */
static double
num_after(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? strtod(p + strlen(key), NULL) : NAN;
}

/* region: the id of z and the flips since z0, against the core directly. */
static void
test_region(struct ls_session *s)
{
	struct ls_net *dec = ls_model_decoder(ls_session_model(s));
	char want[64];
	const char *p;

	ok(ls_cmd_exec(s, "row 5", msg) == LS_OK && ls_cmd_exec(s, "region", msg) == LS_OK,
	   "region: %s", msg);
	snprintf(want, sizeof want, "region %016llx ",
		 (unsigned long long)ls_region_id(dec, ls_session_z(s)));
	ok(!strncmp(msg, want, strlen(want)), "region id = ls_region_id(z) (%s)", want);
	ok(strstr(msg, "flips 0 of 384 ReLUs") != NULL, "flips 0 when z = z0 (384 ReLUs: 128 + 256)");
	ok(ls_cmd_exec(s, "dir rows 3 7 r37", msg) == LS_OK && ls_cmd_exec(s, "alpha r37 2.5", msg) == LS_OK &&
	   ls_cmd_exec(s, "region", msg) == LS_OK, "slide 2.5 sigma: %s", msg);
	snprintf(want, sizeof want, "region %016llx flips %d ",
		 (unsigned long long)ls_region_id(dec, ls_session_z(s)),
		 ls_region_flips(dec, ls_session_z0(s), ls_session_z(s)));
	ok(!strncmp(msg, want, strlen(want)), "id and flips = ls_region_id, ls_region_flips (%s)", want);
	p = strstr(msg, "flips ");
	ok(p && atoi(p + 6) > 0, "some ReLUs flipped after 2.5 sigma");
}

/* linearity: the session's u, v and steps against ls_linearity_at. */
static void
test_linearity(struct ls_session *s)
{
	struct ls_net *dec = ls_model_decoder(ls_session_model(s));
	struct ls_bank *b = ls_session_bank(s);
	struct ls_session_dir u, v;
	struct ls_linearity l;
	char want[256];

	ok(ls_cmd_exec(s, "dir axis 5 ax5", msg) == LS_OK && ls_cmd_exec(s, "select r37", msg) == LS_OK,
	   "a second active direction, r37 selected");
	ok(ls_cmd_exec(s, "linearity 0.5", msg) == LS_OK, "linearity 0.5: %s", msg);
	ls_session_dir(s, ls_session_find(s, "r37"), &u);
	ls_session_dir(s, ls_session_find(s, "ax5"), &v);
	ls_linearity_at(dec, ls_session_z(s), u.u, 0.5 * ls_bank_sigma(b, u.u), v.u,
			0.5 * ls_bank_sigma(b, v.u), &l);
	snprintf(want, sizeof want, "homogeneity %.6g additivity %.6g first_order %.6g",
		 l.homogeneity, l.additivity, l.first_order);
	ok(strstr(msg, "r37 with ax5") && strstr(msg, want), "u = selected, v = next active, steps 0.5 sigma (%s)", want);
	ok(ls_cmd_exec(s, "deactivate ax5", msg) == LS_OK && ls_cmd_exec(s, "linearity", msg) == LS_OK &&
	   !strstr(msg, "additivity"), "one active direction: no additivity (%s)", msg);
	ls_linearity_at(dec, ls_session_z(s), u.u, ls_bank_sigma(b, u.u), NULL, 0, &l);
	snprintf(want, sizeof want, "homogeneity %.6g first_order %.6g", l.homogeneity, l.first_order);
	ok(strstr(msg, want) != NULL, "default step 1 sigma (%s)", want);
}

/* where and the data interval: the slider's edge is where the Mahalanobis
 * distance reaches the bank's 99th percentile. */
static void
test_where(struct ls_session *s)
{
	struct ls_where o;
	double a1, a2, edge, m;
	int i = ls_session_find(s, "r37"), r;
	char line[64];

	ok(ls_cmd_exec(s, "where", msg) == LS_OK && strstr(msg, "mahalanobis ") && strstr(msg, "drift "),
	   "where prints the gauges (the digits model has an encoder)");
	a1 = a2 = NAN;
	r = ls_session_data_interval(s, i, &a1, &a2);
	ok(r == 1 && a1 < a2, "r37 has an on-data interval [%g, %g]", a1, a2);
	edge = ls_session_data_edge(s);
	snprintf(line, sizeof line, "alpha r37 %.17g", a2);
	ls_cmd_exec(s, line, msg);
	ls_session_where(s, &o, msg);
	ok_close(o.off.mahalanobis, edge, 1e-4 * edge, "at the upper end, Mahalanobis = the 99% edge");
	snprintf(line, sizeof line, "alpha r37 %.17g", a1);
	ls_cmd_exec(s, line, msg);
	ls_session_where(s, &o, msg);
	ok_close(o.off.mahalanobis, edge, 1e-4 * edge, "at the lower end too");
	ls_cmd_exec(s, "alpha r37 0", msg);
	ok(ls_cmd_exec(s, "where", msg) == LS_OK, "where at alpha 0");
	m = num_after(msg, "mahalanobis ");
	ok(m < edge && strstr(msg, "r37: on the data for alpha in ["), "a bank row is on the data (%g < %g)", m, edge);
	ls_cmd_exec(s, "alpha r37 40", msg);
	ok(ls_cmd_exec(s, "where", msg) == LS_OK && strstr(msg, "z is off the data"), "40 sigma out: off the data");
	ls_cmd_exec(s, "alpha r37 0", msg);
}

/* hist: the counts of every class sum to the bank size; z's bin. */
static void
test_hist(struct ls_session *s)
{
	const struct ls_hist *h;
	long tot = 0, k, n = ls_bank_rows(ls_session_bank(s));
	int c;
	double zp;

	ok(ls_cmd_exec(s, "hist r37 12", msg) == LS_OK && strstr(msg, "hist r37: 12 bins"), "hist r37 12");
	ls_session_hist(s, ls_session_find(s, "r37"), 12, &h, &zp, msg);
	for (c = 0; h && c < h->nclasses; c++)
		for (k = 0; k < h->nbins; k++)
			tot += h->count[(long)c * h->nbins + k];
	ok(h && h->nclasses == 10 && tot == n, "10 label classes, counts sum to the bank size (%ld)", tot);
	ok(h && zp >= h->lo && zp <= h->hi, "z's projection is inside the bank's range (row 5)");
	ok(ls_cmd_exec(s, "hist 7", msg) == LS_OK && strstr(msg, ": 7 bins"), "hist BINS alone");
}

/* cos: the diagonal is 1; a near-parallel pair is named. */
static void
test_cos(struct ls_session *s)
{
	int idx[LS_SESSION_MAX_DIRS], m, wi, wj;
	double cs[16];

	ok(ls_cmd_exec(s, "activate ax5", msg) == LS_OK && ls_cmd_exec(s, "cos", msg) == LS_OK &&
	   strstr(msg, "cos of 2 active directions") && !strstr(msg, "warning"), "cos, no warning");
	ok(strstr(msg, "\nr37          +1.000 ") && strstr(msg, "\nax5          ") &&
	   !strcmp(msg + strlen(msg) - 7, " +1.000"), "the printed diagonal is +1.000");
	ok(ls_session_cosines(s, &m, idx, cs, &wi, &wj) == 0 && m == 2 && wi == -1 &&
	   fabs(cs[0] - 1) < 1e-12 && fabs(cs[3] - 1) < 1e-12 && fabs(cs[1] - cs[2]) == 0,
	   "cos of a direction with itself is 1; the matrix is symmetric");
	ok(ls_cmd_exec(s, "dir vec near 0,0,0,0,0,1,0.2,0,0,0,0,0,0,0,0,0", msg) == LS_OK &&
	   ls_cmd_exec(s, "cos", msg) == LS_OK, "a direction close to axis 5");
	ok(strstr(msg, "warning: 1 pair nearly parallel; most: ax5 and near") != NULL, "the warning names them");
	ok(strstr(msg, "+0.981") != NULL, "cos(ax5, near) = 1/sqrt(1.04) = 0.981");
	ok(ls_cmd_exec(s, "ortho near", msg) == LS_OK && ls_cmd_exec(s, "cos", msg) == LS_OK &&
	   !strstr(msg, "warning"), "ortho near removes the warning");
	ok(ls_cmd_exec(s, "rm near", msg) == LS_OK, "rm near");
}

/* units: raw is alpha sigma; pct is the percentile rank of the
 * projection, counted here by hand. */
static void
test_units(struct ls_session *s)
{
	struct ls_bank *b = ls_session_bank(s);
	int i = ls_session_find(s, "ax5");
	long n = ls_bank_rows(b), r, below = 0;
	struct ls_session_dir d;
	double zp = ls_session_z(s)[5], v;

	ls_session_dir(s, i, &d);
	ok(ls_cmd_exec(s, "units raw", msg) == LS_OK && !strcmp(msg, "units raw"), "units raw");
	ok_close(ls_session_in_units(s, i, 2), 2 * d.sigma, 1e-12, "raw: alpha sigma");
	ok(ls_cmd_exec(s, "units pct", msg) == LS_OK && !strcmp(msg, "units percentile"), "units pct");
	for (r = 0; r < n; r++)
		below += ls_bank_row(b, r)[5] < zp;
	v = ls_session_in_units(s, i, d.alpha);
	ok(fabs(v - 100.0 * below / (n - 1)) <= 100.0 / (n - 1) + 1e-9,
	   "pct: rank of z's projection %.3f (counted: %ld of %ld below)", v, below, n);
	ok(ls_cmd_exec(s, "units sigma", msg) == LS_OK, "units sigma");
	ok_close(ls_session_in_units(s, i, 1.25), 1.25, 0, "sigma: alpha");
}

/* paint: a unit vector equal to ls_paint_direction at z; undoable. */
static void
test_paint(struct ls_session *s)
{
	int d = ls_session_dim(s), n0 = ls_session_ndirs(s), k;
	float *u = calloc((size_t)d, sizeof *u);
	struct ls_session_dir p;
	double nn = 0;

	ls_paint_direction(ls_session_model(s), ls_session_z(s), 5, 6, 14, 16, u, NULL, msg);
	ok(ls_cmd_exec(s, "paint 5 6 14 16", msg) == LS_OK && !strchr(msg, '\n'), "paint: %s", msg);
	ok(ls_session_dir(s, ls_session_selected(s), &p) == 0 && !strcmp(p.name, "paint") && p.active,
	   "added as paint, selected and active");
	for (k = 0; k < d; k++)
		nn += (double)p.u[k] * p.u[k];
	ok_close(sqrt(nn), 1, 1e-6, "unit length");
	ok_maxdiff(p.u, u, d, 0, "equals ls_paint_direction at z");
	ok(ls_cmd_exec(s, "undo", msg) == LS_OK && ls_session_ndirs(s) == n0, "undo removes it");
	free(u);
}

/* regionmap: the count equals ls_regions_2d on the same plane. */
static void
test_regionmap(struct ls_session *s)
{
	struct ls_net *dec = ls_model_decoder(ls_session_model(s));
	struct ls_session_dir u, v;
	struct ls_regionmap *rm = NULL;
	double box[4];
	int i, j;

	ok(ls_cmd_exec(s, "range r37 -1 1", msg) == LS_OK && ls_cmd_exec(s, "range ax5 -2 2", msg) == LS_OK &&
	   ls_cmd_exec(s, "select r37", msg) == LS_OK && ls_cmd_exec(s, "regionmap map.png", msg) == LS_OK,
	   "regionmap map.png");
	ok(ls_session_plane_dirs(s, &i, &j) == 0 && i == ls_session_find(s, "r37") && j == ls_session_find(s, "ax5"),
	   "the plane of the selected and the next active direction");
	ls_session_dir(s, i, &u);
	ls_session_dir(s, j, &v);
	box[0] = -u.sigma, box[1] = u.sigma, box[2] = -2 * v.sigma, box[3] = 2 * v.sigma;
	ok(ls_regions_2d(dec, ls_session_z0(s), u.u, v.u, box, 0, &rm, msg) == LS_OK, "ls_regions_2d");
	ls_cmd_exec(s, "regionmap map.png", msg);
	ok(rm && num_after(msg, "wrote map.png: ") == (double)ls_regionmap_count(rm),
	   "count = ls_regions_2d over the ranges in raw units (%ld)", rm ? ls_regionmap_count(rm) : -1L);
	ok(access("map.png", F_OK) == 0, "map.png written");
	ls_regionmap_free(rm);
}

static void
test_analysis(void)
{
	struct ls_session *s;

	if (ls_session_open(NULL, NULL, NULL, &s, msg) != LS_OK) {
		ok(0, "open: %s", msg);
		return;
	}
	ls_session_set_preview(s, NULL, 0);
	test_region(s);
	test_linearity(s);
	test_where(s);
	test_hist(s);
	test_cos(s);
	test_units(s);
	test_paint(s);
	test_regionmap(s);
	ls_session_free(s);
	unlink("map.png");
}

int
main(void)
{
	struct ls_session *s;
	char cwd[4096];

	if (!getcwd(cwd, sizeof cwd) || chdir(tmpdir()) != 0)
		return 99;
	if (ls_session_open(NULL, NULL, NULL, &s, msg) != LS_OK) {
		printf("Bail out! %s\n", msg);
		return 99;
	}
	ls_session_set_preview(s, NULL, 0);
	test_split();
	ok(ls_cmd_exec(s, "dir rows 1 2 base", msg) == LS_OK, "a first direction");
	test_table(s);
	test_bad_lines(s);
	test_slider(s);
	test_slider_ends(s);
	test_print(s);
	test_complete(s);
	test_analysis();
	ok(ls_cmd_exec(s, "quit", msg) == LS_OK && ls_session_quit_requested(s), "quit");
	ls_session_free(s);
	if (system("rm -f linscope-*.png") != 0 || chdir(cwd) != 0 || rmdir(tmpdir()) != 0)
		diag("cleanup failed");
	return done_testing();
}
