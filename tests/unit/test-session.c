/*
 * test-session.c: the explorer's state against hand computations on the
 * bundled digits model and bank: z = z0 + sum alpha sigma u, frames and
 * strips equal to direct decodes, undo/redo, snapshots that never replace
 * a file, the debounced preview, errors that change nothing, state files.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linscope/linscope.h"
#include "linscope/png.h"
#include "base/util.h"
#include "../lib/tap.h"

static char err[LS_ERR_MAX];

/* Unit (bank[j] - bank[i]) and the population std of the bank's
 * projections on it, computed here independently (double). */
static double
hand_dir(const struct ls_bank *b, long i, long j, double *u)
{
	int d = ls_bank_dim(b), k;
	double n = 0, m = 0, m2 = 0;
	long r, N = ls_bank_rows(b);

	for (k = 0; k < d; k++) {
		u[k] = (double)ls_bank_row(b, j)[k] - ls_bank_row(b, i)[k];
		n += u[k] * u[k];
	}
	for (k = 0; k < d; k++)
		u[k] /= sqrt(n);
	for (r = 0; r < N; r++) {
		double p = 0;
		for (k = 0; k < d; k++)
			p += ls_bank_row(b, r)[k] * u[k];
		m += p;
		m2 += p * p;
	}
	m /= N;
	return sqrt(m2 / N - m * m);
}

static void
test_z(struct ls_session *s)
{
	struct ls_bank *b = ls_session_bank(s);
	int d = ls_session_dim(s), k;
	double u[64], sg, want[64];
	struct ls_session_dir dd;
	float got[64] = { 0 };

	ok(ls_session_set_row(s, 5, err) == LS_OK, "row 5");
	ok(ls_session_add_spec(s, "rows:3-7", "a", err) == LS_OK, "add rows:3-7");
	ok(ls_session_add_spec(s, "axis:2", NULL, err) == LS_OK, "add axis:2");
	ok(ls_session_set_alpha(s, 0, 1.5, err) == LS_OK && ls_session_set_alpha(s, 1, -0.7, err) == LS_OK,
	   "set alphas");
	sg = hand_dir(b, 3, 7, u);
	ls_session_dir(s, 0, &dd);
	ok_close(dd.sigma, sg, 1e-5 * sg, "sigma of rows:3-7 = std of projections");
	ls_session_dir(s, 1, &dd);
	for (k = 0; k < d; k++)
		want[k] = ls_bank_row(b, 5)[k] + 1.5 * sg * u[k] + (k == 2 ? -0.7 * dd.sigma : 0);
	for (k = 0; k < d; k++)
		got[k] = (float)want[k];
	ok_maxdiff(ls_session_z(s), got, d, 2e-5, "z = z0 + sum alpha sigma u");
	ok(ls_session_set_active(s, 1, 0, err) == LS_OK, "deactivate axis");
	for (k = 0; k < d; k++)
		got[k] = (float)(ls_bank_row(b, 5)[k] + 1.5 * sg * u[k]);
	ok_maxdiff(ls_session_z(s), got, d, 2e-5, "inactive direction does not count");
	ok_close(ls_session_distance(s), 1.5 * sg, 1e-4, "|z - z0| = alpha sigma");
}

static void
test_undo(struct ls_session *s)
{
	int d = ls_session_dim(s), n = ls_session_ndirs(s);
	float before[64], after[64];

	memcpy(before, ls_session_z(s), (size_t)d * sizeof *before);
	ok(ls_session_set_alpha(s, 0, 2.5, err) == LS_OK, "alpha 2.5");
	memcpy(after, ls_session_z(s), (size_t)d * sizeof *after);
	ok(ls_session_undo(s, err) == LS_OK && !memcmp(ls_session_z(s), before, (size_t)d * 4),
	   "undo restores z exactly");
	ok(ls_session_redo(s, err) == LS_OK && !memcmp(ls_session_z(s), after, (size_t)d * 4),
	   "redo redoes");
	ok(ls_session_redo(s, err) != LS_OK && strstr(err, "nothing to redo"), "redo on empty stack fails");
	ok(ls_session_remove(s, 0, err) == LS_OK && ls_session_ndirs(s) == n - 1, "rm");
	ok(ls_session_undo(s, err) == LS_OK && ls_session_ndirs(s) == n &&
	   !memcmp(ls_session_z(s), after, (size_t)d * 4), "undo rm brings the direction back");
	ok(ls_session_set_row(s, 9, err) == LS_OK && ls_session_z0_row(s) == 9, "row 9");
	ok(ls_session_undo(s, err) == LS_OK && ls_session_z0_row(s) == 5, "undo row");
}

static void
test_frame(struct ls_session *s)
{
	struct ls_model *m = ls_session_model(s);
	int od = ls_model_out_dim(m), d = ls_session_dim(s), n = 5, i, k;
	float *y = malloc((size_t)(n + 1) * (size_t)od * sizeof *y), *z = malloc((size_t)n * d * 4);
	const float *img, *img0, *strip;
	struct ls_session_dir dd;

	ls_session_frame(s, &img, &img0);
	ls_model_decode(m, ls_session_z(s), 1, y);
	ok_maxdiff(img, y, od, 0, "frame = decode(z)");
	ls_model_decode(m, ls_session_z0(s), 1, y);
	ok_maxdiff(img0, y, od, 0, "frame0 = decode(z0)");
	ls_session_select(s, 0, err);
	ls_session_dir(s, 0, &dd);
	for (i = 0; i < n; i++) {
		double a = dd.lo + (dd.hi - dd.lo) * i / (n - 1);
		for (k = 0; k < d; k++)
			z[i * d + k] = (float)(ls_session_z0(s)[k] + a * dd.sigma * dd.u[k]);
	}
	ls_model_decode(m, z, n, y);
	strip = ls_session_strip(s, n);
	ok_maxdiff(strip, y, (long)n * od, 1e-6, "strip = decodes along the selected direction");
	free(y);
	free(z);
}

/* Writes a small file. */
static void
put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static void
test_files(struct ls_session *s)
{
	char path[4096], buf[8] = { 0 };
	struct stat st;
	FILE *f;
	int wrote;

	put_file("linscope-0001.png", "keep");
	ok(ls_session_snapshot(s, path, err) == LS_OK && !strcmp(path, "linscope-0002.png"),
	   "snapshot skips an existing file (%s)", path);
	f = fopen("linscope-0001.png", "r");
	ok(f && fread(buf, 1, 4, f) == 4 && !strcmp(buf, "keep"), "existing file untouched");
	if (f)
		fclose(f);
	ok(ls_session_snapshot(s, path, err) == LS_OK && !strcmp(path, "linscope-0003.png"),
	   "next snapshot is 0003");
	ls_session_set_preview(s, "p.png", 1);
	ls_session_set_debounce(s, 1.0);
	ok(ls_session_tick(s, 100, &wrote, err) == LS_OK && wrote && stat("p.png", &st) == 0,
	   "tick writes the preview");
	ls_session_step(s, 0.1, err);
	ok(ls_session_tick(s, 100.5, &wrote, err) == LS_OK && !wrote, "debounced within the interval");
	ok(ls_session_tick(s, 101.2, &wrote, err) == LS_OK && wrote, "written after the interval");
	ok(ls_session_tick(s, 105, &wrote, err) == LS_OK && !wrote, "not rewritten when unchanged");
	ls_session_set_preview(s, NULL, 0);
	ls_session_step(s, 0.1, err);
	ok(ls_session_tick(s, 200, &wrote, err) == LS_OK && !wrote, "off: not written");
}

static void
test_errors(struct ls_session *s)
{
	unsigned long v = ls_session_version(s);
	int n = ls_session_ndirs(s);
	float zero[64] = { 0 };

	ok(ls_session_set_row(s, 1L << 40, err) == LS_EINVAL && strstr(err, "out of range"),
	   "row out of range: %s", err);
	ok(ls_session_set_alpha(s, 99, 1, err) == LS_EINVAL, "alpha on a missing direction");
	ok(ls_session_set_alpha(s, 0, NAN, err) == LS_EINVAL, "alpha NaN");
	ok(ls_session_set_range(s, 0, 2, 1, err) == LS_EINVAL, "range lo > hi");
	ok(ls_session_add_dir(s, "z0", zero, NULL, NULL, NULL, err) == LS_EINVAL, "zero direction");
	ok(ls_session_add_dir(s, "a b", ls_session_z(s), NULL, NULL, NULL, err) == LS_EINVAL,
	   "bad name");
	ok(ls_session_add_spec(s, "rows:1-999999", NULL, err) == LS_EINVAL, "rows out of range");
	ok(ls_session_goto(s, "nosuch", err) == LS_EINVAL, "missing bookmark");
	ok(ls_session_open_image(s, "/nonexistent.png", err) != LS_OK, "missing image");
	ok(ls_session_version(s) == v && ls_session_ndirs(s) == n, "errors changed nothing");
}

static void
test_state(struct ls_session *s)
{
	struct ls_session *t;
	int d = ls_session_dim(s);

	ls_session_bookmark(s, "here", NULL, err);
	ok(ls_cmd_state_save(s, "state.txt", err) == LS_OK, "save state");
	ok(ls_session_open(NULL, NULL, NULL, &t, err) == LS_OK, "open a second session");
	ok(ls_cmd_state_load(t, "state.txt", err) == LS_OK, "load state: %s", err);
	ok(!memcmp(ls_session_z(t), ls_session_z(s), (size_t)d * 4) &&
	   ls_session_ndirs(t) == ls_session_ndirs(s) && ls_session_nbookmarks(t) == 1,
	   "the state comes back bit for bit");
	ls_session_free(t);
}

/* The k-NN gauge built in the background: pending (NAN) until stepped to
 * the end, then equal to the one a foreground session builds when asked. */
static void
test_background(void)
{
	struct ls_session *bg = NULL, *fg = NULL;
	struct ls_where w, wf;
	double p, last = -1;
	int steps = 0, mono = 1;

	if (!ok(ls_session_open(NULL, NULL, NULL, &bg, err) == LS_OK &&
		ls_session_open(NULL, NULL, NULL, &fg, err) == LS_OK, "two sessions"))
		goto out;
	ls_session_set_background(bg, 1);
	ok(ls_session_where(bg, &w, err) == LS_OK && isnan(w.knn) && isnan(w.knn_pct) &&
		   !isnan(w.off.mahalanobis) && ls_session_gauges_progress(bg) < 1,
	   "background: k-NN pending at first (%.2f built), the other gauges at once",
	   ls_session_gauges_progress(bg));
	while ((p = ls_session_gauges_step(bg, 0.001)) < 1 && steps++ < 100000)
		mono &= p >= last, last = p;
	ok(mono && p == 1, "stepped to ready in %d steps, progress monotone", steps);
	w.knn = wf.knn = NAN;
	if (ls_session_where(bg, &w, err) != LS_OK || ls_session_where(fg, &wf, err) != LS_OK)
		diag("%s", err);
	ok(w.knn == wf.knn && w.knn_pct == wf.knn_pct && !isnan(w.knn),
	   "ready: the same k-NN %g (p%g) as built on demand", w.knn, w.knn_pct);
	ok(ls_session_gauges_step(bg, 1) == 1, "nothing left to build");
out:
	ls_session_free(bg);
	ls_session_free(fg);
}

/* The histogram raster against the histogram's counts: in each label's
 * band, the height of bin k's bar is count / max count of the band times
 * the band's height (within a pixel), and z's bin is a white column; the
 * tropical map refuses a 16-D latent. */
static void
test_views(struct ls_session *s)
{
	const struct ls_hist *h;
	struct ls_raster r;
	struct ls_session_tropinfo ti;
	double zp;
	int W = 200, H = 150, c, k, x, y, good = 1, white = 1, zb;

	if (!ok(ls_cmd_exec(s, "dir axis 2 hz", err) == LS_OK &&
		ls_session_hist_raster(s, ls_session_selected(s), W, H, &r, err) == LS_OK &&
		ls_session_hist(s, ls_session_selected(s), W / 2, &h, &zp, err) == LS_OK,
		"histogram raster (%s)", err))
		return;
	zb = ls_hist_bin(h, zp);
	for (c = 0; c < h->nclasses; c++) {
		int y0 = H * c / h->nclasses, y1 = H * (c + 1) / h->nclasses - 1;
		long mx = 0;
		for (k = 0; k < h->nbins; k++)
			mx = h->count[(long)c * h->nbins + k] > mx ? h->count[(long)c * h->nbins + k] : mx;
		for (k = 0; k < h->nbins; k++) {
			long v = h->count[(long)c * h->nbins + k];
			double want = mx > 0 && v > 0 ? (double)v / mx * (y1 - y0) + 1 : 0;
			int got = 0;
			x = W * k / h->nbins;
			if (k == zb)
				continue;
			for (y = y0; y <= y1; y++)
				got += r.px[((size_t)y * W + x) * 3] != 16 || r.px[((size_t)y * W + x) * 3 + 2] != 16;
			good &= fabs(got - want) <= 1;
		}
	}
	for (y = 0; y < H; y++)
		white &= r.px[((size_t)y * W + W * zb / h->nbins) * 3 + 1] == 255;
	ok(good, "histogram raster: bar heights are the counts scaled to each label's band");
	ok(white, "histogram raster: z's bin %d is a white column", zb);
	ls_raster_free(&r);
	ok(ls_session_tropmap_raster(s, 64, 48, &r, &ti, err) == LS_EINVAL && strstr(err, "2-D latent") && !r.px,
	   "tropical map of a 16-D latent: refused (%s)", err);
	ls_cmd_exec(s, "undo", err);
}

/* max |a - b| over n values. */
static double
max_diff(const float *a, const float *b, long n)
{
	double m = 0;
	long i;

	for (i = 0; i < n; i++)
		if (!(fabs((double)a[i] - b[i]) <= m))
			m = isnan(a[i] - b[i]) ? INFINITY : fabs((double)a[i] - b[i]);
	return m;
}

/* The exact path of the selected direction: built by the worker, frames
 * and strips from it within float32 rounding of direct decodes (the
 * bound of test-path.c: 1e-5 of the pre-sigmoid scale, here of 1e-5 x 50,
 * digits' pre-sigmoid values stay under 50), rebuilt when another alpha
 * changes but not when the selected one moves, refused over a budget,
 * never used with background off. */
static void
test_path(void)
{
	struct ls_session *s = NULL;
	struct ls_model *m;
	float *dec, *z;
	const double *bp;
	const float *img, *strip;
	char txt[LS_ERR_MAX + 32];
	long nb, od, d, i;
	int nlin, a0, a1;

	if (!ok(ls_session_open(NULL, NULL, NULL, &s, err) == LS_OK &&
		ls_session_add_spec(s, "rows:0-1", NULL, err) == LS_OK &&
		ls_session_add_spec(s, "rows:2-3", NULL, err) == LS_OK, "a session with two directions"))
		goto out;
	m = ls_session_model(s);
	od = ls_model_out_dim(m), d = ls_session_dim(s);
	dec = xmalloc((size_t)(9 * od) * sizeof *dec);
	z = xmalloc((size_t)d * sizeof *z);
	ls_session_set_background(s, 1);
	ls_session_path_poll(s);
	ok(ls_session_path_wait(s) == LS_SESSION_PATH_READY &&
	   !strcmp(ls_session_path_text(s, txt, sizeof txt), "exact path"), "path ready: '%s'", txt);
	nb = ls_session_path_breaks(s, &bp, &nlin);
	ok(nb > 3 && bp[0] > -3 && bp[nb - 1] < 3 && nlin <= nb + 1, "%ld breakpoints in (-3, 3)", nb);
	ls_session_step(s, 1.3, err);
	ls_session_frame(s, &img, NULL);
	memcpy(z, ls_session_z(s), (size_t)d * sizeof *z);
	ls_model_decode(m, z, 1, dec);
	ok(max_diff(img, dec, od) <= 5e-4, "frame at alpha 1.3 from the path: max diff %.2g from "
	   "a direct decode", max_diff(img, dec, od));
	ok(ls_session_path_poll(s) == LS_SESSION_PATH_READY, "a slider step keeps the path");
	strip = ls_session_strip(s, 9);
	for (i = 0; i < 9; i++) {
		ls_session_set_alpha(s, 1, -3 + 6.0 * i / 8, err);
		memcpy(z, ls_session_z(s), (size_t)d * sizeof *z);
		ls_model_decode(m, z, 1, dec + i * od);
	}
	ok(max_diff(strip, dec, 9 * od) <= 5e-4, "strip from the path: max diff %.2g",
	   max_diff(strip, dec, 9 * od));
	ls_session_set_alpha(s, 0, 0.5, err);
	a0 = ls_session_path_poll(s) == LS_SESSION_PATH_BUILDING;
	a1 = ls_session_path_wait(s) == LS_SESSION_PATH_READY;
	ok(a0 && a1, "another direction's alpha: rebuilt (building, then ready)");
	ls_session_set_path_budget(s, 1000);
	ls_session_set_alpha(s, 0, 0.7, err);
	ls_session_path_wait(s);
	ok(ls_session_path_poll(s) == LS_SESSION_PATH_DIRECT &&
	   strstr(ls_session_path_text(s, txt, sizeof txt), "direct decode (the exact path needs"),
	   "over the budget: '%s'", txt);
	ls_session_frame(s, &img, NULL);
	memcpy(z, ls_session_z(s), (size_t)d * sizeof *z);
	ls_model_decode(m, z, 1, dec);
	ok(max_diff(img, dec, od) == 0, "and frames are direct decodes");
	ls_session_set_path_budget(s, 0);
	ls_session_path_wait(s);
	ls_session_set_background(s, 0);
	ls_session_step(s, 0.1, err);
	ls_session_frame(s, &img, NULL);
	memcpy(z, ls_session_z(s), (size_t)d * sizeof *z);
	ls_model_decode(m, z, 1, dec);
	ok(max_diff(img, dec, od) == 0, "background off: direct decodes, bit for bit");
	ls_session_set_background(s, 1);
	ls_session_set_alpha(s, 0, 0.9, err);
	ok(ls_session_path_poll(s) == LS_SESSION_PATH_BUILDING, "a build running when freed");
	free(dec), free(z);
out:
	ls_session_free(s);
}

int
main(void)
{
	struct ls_session *s;
	char cwd[4096];

	if (!getcwd(cwd, sizeof cwd) || chdir(tmpdir()) != 0)
		return 99;
	if (ls_session_open(NULL, NULL, NULL, &s, err) != LS_OK) {
		printf("Bail out! %s\n", err);
		return 99;
	}
	ok(ls_session_dim(s) == 16 && ls_session_bank(s) && ls_session_labels(s),
	   "bundled digits with bank and labels");
	test_z(s);
	test_undo(s);
	test_frame(s);
	test_files(s);
	test_errors(s);
	test_state(s);
	test_views(s);
	test_background();
	test_path();
	ls_session_free(s);
	if (system("rm -rf linscope-*.png p.png state.txt") != 0 || chdir(cwd) != 0 ||
	    rmdir(tmpdir()) != 0)
		diag("cleanup failed");
	return done_testing();
}
