/*
 * cmd_analysis.c: the commands that read out the current state (region,
 * linearity, where, hist, cos) and the ones built on the analysis (units,
 * paint, regionmap). The numbers come from session_analysis.c and
 * session_plane.c; here they are parsed and printed. Output formats are
 * one fact per line, "key value" where it can be, for scripts.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/bank.h"
#include "linscope/dirs.h"
#include "base/util.h"
#include "cmd_impl.h"

/* region: the linear region of z and the ReLUs flipped since z0. */
static enum ls_status
cmd_an_region(struct ls_session *s, int argc, char **argv, char *msg)
{
	enum ls_status st;
	uint64_t id;
	int flips, units;

	(void)argc, (void)argv;
	if ((st = ls_session_region(s, &id, &flips, &units, msg)) != LS_OK)
		return st;
	cmd_say(msg, "region %016llx flips %d of %d ReLUs since z0", (unsigned long long)id, flips,
		units);
	return LS_OK;
}

const struct cmd_entry cmd_entry_region = {
	{ "region", "", "the linear region of z (id) and how many ReLUs flip between z0 and z", LS_ARG_NONE, NULL },
	cmd_an_region, 1, 1, REC_NO
};

/* linearity [ALPHA] */
static enum ls_status
cmd_an_linearity(struct ls_session *s, int argc, char **argv, char *msg)
{
	double alpha = LS_SESSION_METER_ALPHA;
	struct ls_session_dir u, v;
	struct ls_linearity l;
	enum ls_status st;
	int vi;

	if (argc > 1 && (st = cmd_double(argv[1], "linearity", &alpha, msg)) != LS_OK)
		return st;
	if ((st = ls_session_linearity(s, alpha, &l, &vi, msg)) != LS_OK)
		return st;
	ls_session_dir(s, ls_session_selected(s), &u);
	if (vi >= 0 && ls_session_dir(s, vi, &v) == 0)
		cmd_say(msg, "%s with %s, step %g sigma: homogeneity %.6g additivity %.6g first_order %.6g",
			u.name, v.name, alpha, l.homogeneity, l.additivity, l.first_order);
	else
		cmd_say(msg, "%s, step %g sigma: homogeneity %.6g first_order %.6g", u.name, alpha,
			l.homogeneity, l.first_order);
	return LS_OK;
}

const struct cmd_entry cmd_entry_linearity = {
	{ "linearity", "[ALPHA]", "linearity meter at z along the selected direction (and the next active one), step ALPHA sigma (default 1)", LS_ARG_NONE, NULL },
	cmd_an_linearity, 1, 2, REC_NO
};

/* The data interval of the selected direction, as a line. */
static void
say_interval(struct ls_session *s, char *msg)
{
	struct ls_session_dir d;
	int i = ls_session_selected(s), r;
	double a1, a2;

	if (i < 0 || ls_session_dir(s, i, &d) || (r = ls_session_data_interval(s, i, &a1, &a2)) < 0)
		return;
	if (r == 0)
		cmd_say(msg, "%s: off the data for every alpha", d.name);
	else
		cmd_say(msg, "%s: on the data for alpha in [%.6g, %.6g]", d.name, a1, a2);
}

/* where: how far z is from the data. */
static enum ls_status
cmd_an_where(struct ls_session *s, int argc, char **argv, char *msg)
{
	struct ls_offmanifold o;
	struct ls_where w;
	enum ls_status st;

	(void)argc, (void)argv;
	if ((st = ls_session_where(s, &w, msg)) != LS_OK)
		return st;
	o = w.off;
	if (!isnan(w.knn))
		cmd_say(msg, "knn %.6g pct %.1f (k = %d)", w.knn, w.knn_pct, LS_SESSION_KNN_K);
	else if (ls_session_gauges_progress(s) >= 0)
		cmd_say(msg, "knn pending (%.0f%% built)", 100 * ls_session_gauges_progress(s));
	cmd_say(msg, "mahalanobis %.6g pct %.1f", o.mahalanobis, o.mahal_pct);
	cmd_say(msg, "norm %.6g pct %.1f", o.norm, o.norm_pct);
	if (!isnan(o.drift))
		cmd_say(msg, "drift %.6g", o.drift);
	cmd_say(msg, "edge %.6g (the bank's %g%% Mahalanobis quantile)%s", ls_session_data_edge(s),
		100 * LS_SESSION_DATA_Q, o.mahalanobis > ls_session_data_edge(s) ? ": z is off the data" : "");
	say_interval(s, msg);
	return LS_OK;
}

const struct cmd_entry cmd_entry_where = {
	{ "where", "", "how far z is from the data: Mahalanobis, norm percentile, round-trip drift; the slider's on-data range", LS_ARG_NONE, NULL },
	cmd_an_where, 1, 1, REC_NO
};

/* One histogram row: "NAME c1 c2 ... (total T)". */
static void
say_hist_row(char *msg, const struct ls_hist *h, int c)
{
	size_t n = strlen(msg);
	int k;

	cmd_say(msg, "%-8s", h->names ? h->names[c] : "all");
	n = strlen(msg);
	for (k = 0; k < h->nbins && n + 24 < LS_MSG_MAX; k++)
		n += (size_t)snprintf(msg + n, LS_MSG_MAX - n, " %5ld", h->count[(long)c * h->nbins + k]);
	snprintf(msg + n, LS_MSG_MAX - n, "  (%ld)", h->total[c]);
}

/* hist [NAME] [BINS] */
static enum ls_status
cmd_an_hist(struct ls_session *s, int argc, char **argv, char *msg)
{
	const struct ls_hist *h;
	struct ls_session_dir d;
	enum ls_status st;
	long bins = 10;
	double zp, w;
	int i, c, last = argc;

	if (argc > 1 && !ls_parse_long(argv[argc - 1], &bins) && ls_session_find(s, argv[argc - 1]) < 0)
		last = argc - 1;
	else
		bins = 10;
	if (last > 2)
		return ls_err(msg, LS_EINVAL, "hist: usage: hist [NAME] [BINS]");
	if ((st = cmd_dir_opt(s, last, argv, 1, &i, msg)) != LS_OK)
		return st;
	if (bins < 1 || bins > 1024)
		return ls_err(msg, LS_EINVAL, "hist %ld: want 1..1024 bins", bins);
	if ((st = ls_session_hist(s, i, (int)bins, &h, &zp, msg)) != LS_OK)
		return st;
	ls_session_dir(s, i, &d);
	w = (h->hi - h->lo) / h->nbins;
	cmd_say(msg, "hist %s: %d bins of %.6g over [%.6g, %.6g]; z at %.6g (bin %d%s)", d.name,
		h->nbins, w, h->lo, h->hi, zp, ls_hist_bin(h, zp),
		zp < h->lo || zp > h->hi ? ", outside the bank's range" : "");
	for (c = 0; c < h->nclasses; c++)
		say_hist_row(msg, h, c);
	return LS_OK;
}

const struct cmd_entry cmd_entry_hist = {
	{ "hist", "[NAME] [BINS]", "per-label histogram of the bank's projections on a direction (default: selected, 10 bins)", LS_ARG_DIR, NULL },
	cmd_an_hist, 1, 3, REC_NO
};

/* cos: the cosine matrix of the active directions. */
static enum ls_status
cmd_an_cos(struct ls_session *s, int argc, char **argv, char *msg)
{
	int n = ls_session_ndirs(s), m, wi, wj, r, c, np;
	int *idx = xmalloc(((size_t)n + 1) * sizeof *idx);
	double *cs = xmalloc(((size_t)n * n + 1) * sizeof *cs);
	struct ls_session_dir a, b;
	size_t k;

	(void)argc, (void)argv;
	np = ls_session_cosines(s, &m, idx, cs, &wi, &wj);
	cmd_say(msg, "cos of %d active directions", m);
	for (r = 0; r < m; r++) {
		ls_session_dir(s, idx[r], &a);
		cmd_say(msg, "%-12.12s", a.name);
		k = strlen(msg);
		for (c = 0; c < m && k + 16 < LS_MSG_MAX; c++)
			k += (size_t)snprintf(msg + k, LS_MSG_MAX - k, " %+.3f", cs[(long)r * m + c]);
	}
	if (np > 0 && !ls_session_dir(s, wi, &a) && !ls_session_dir(s, wj, &b))
		cmd_say(msg, "warning: %d pair%s nearly parallel; most: %s and %s (|cos| >= %g; ortho %s)",
			np, np > 1 ? "s" : "", a.name, b.name, LS_DIRS_PARALLEL, b.name);
	free(idx);
	free(cs);
	return LS_OK;
}

const struct cmd_entry cmd_entry_cos = {
	{ "cos", "", "cosine matrix of the active directions; warns about nearly parallel pairs", LS_ARG_NONE, NULL },
	cmd_an_cos, 1, 1, REC_NO
};

/* units [sigma|raw|pct|percentile] */
static enum ls_status
cmd_an_units(struct ls_session *s, int argc, char **argv, char *msg)
{
	int u;

	if (argc > 1) {
		u = !strcmp(argv[1], "pct") ? LS_UNITS_PERCENTILE : ls_units_parse(argv[1]);
		if (u < 0)
			return ls_err(msg, LS_EINVAL, "%s: units are sigma, raw or pct", argv[1]);
		ls_session_set_units(s, (enum ls_units)u);
	}
	cmd_say(msg, "units %s", ls_units_name(ls_session_units(s)));
	return LS_OK;
}

const struct cmd_entry cmd_entry_units = {
	{ "units", "[sigma|raw|pct]", "show alpha in sigma units, raw latent distance or bank percentiles", LS_ARG_WORD, "sigma raw pct" },
	cmd_an_units, 1, 2, REC_NOW
};

/* paint X0 Y0 X1 Y1 [NAME] */
static enum ls_status
cmd_an_paint(struct ls_session *s, int argc, char **argv, char *msg)
{
	enum ls_status st = LS_OK;
	double gain = 0;
	long r[4];
	int k;

	for (k = 0; k < 4 && st == LS_OK; k++)
		if ((st = cmd_long(argv[k + 1], "paint", &r[k], msg)) == LS_OK && labs(r[k]) > 1000000)
			st = ls_err(msg, LS_EINVAL, "%s: paint wants pixel coordinates", argv[k + 1]);
	if (st != LS_OK)
		return st;
	if ((st = ls_session_paint(s, (int)r[0], (int)r[1], (int)r[2], (int)r[3],
				   argc > 5 ? argv[5] : NULL, &gain, msg)) != LS_OK)
		return st;
	cmd_added(s, msg);
	snprintf(msg + strlen(msg), LS_MSG_MAX - strlen(msg), ", top singular value %.6g", gain);
	return LS_OK;
}

const struct cmd_entry cmd_entry_paint = {
	{ "paint", "X0 Y0 X1 Y1 [NAME]", "add the direction changing image pixels X0<=x<X1, Y0<=y<Y1 the most at z", LS_ARG_NONE, NULL },
	cmd_an_paint, 5, 6, REC_NOW
};

/* regionmap [FILE] [X0 X1 Y0 Y1]: four numbers are a sub-box in sigma. */
static enum ls_status
cmd_an_regionmap(struct ls_session *s, int argc, char **argv, char *msg)
{
	struct ls_session_dir a, b;
	char path[PATH_MAX];
	enum ls_status st;
	long n, lin;
	double box[4], sub[4];
	int i, j, k, f = argc == 2 || argc == 6, nb = argc >= 5;

	if (argc == 3 || argc == 4)
		return ls_err(msg, LS_EINVAL, "regionmap: wants [FILE] [X0 X1 Y0 Y1]");
	for (k = 0; nb && k < 4; k++)
		if ((st = cmd_double(argv[argc - 4 + k], "regionmap", &sub[k], msg)) != LS_OK)
			return st;
	if (ls_session_plane_dirs(s, &i, &j) < 0)
		return ls_err(msg, LS_EINVAL, "regionmap: needs two directions (make them with dir, diff or pca)");
	if ((st = ls_session_regionmap_in(s, i, j, nb ? sub : NULL, f ? argv[1] : NULL, path, &n, &lin,
					  box, msg)) != LS_OK)
		return st;
	ls_session_dir(s, i, &a);
	ls_session_dir(s, j, &b);
	cmd_say(msg, "plane %s %.6g:%.6g by %s %.6g:%.6g", a.name, box[0], box[1], b.name, box[2],
		box[3]);
	cmd_say(msg, "wrote %s: %ld regions, %ld linear", path, n, lin);
	return LS_OK;
}

const struct cmd_entry cmd_entry_regionmap = {
	{ "regionmap", "[FILE] [X0 X1 Y0 Y1]", "PNG of the exact linear regions over the plane of two directions, with axes, slider path drawn; X0 X1 Y0 Y1 zoom on a box (sigma)", LS_ARG_FILE, NULL },
	cmd_an_regionmap, 1, 6, REC_NOW
};

/* tropmap [X Y] [FILE]: the tropical map of pixel X, Y's logit (d = 2). */
static enum ls_status
cmd_an_tropmap(struct ls_session *s, int argc, char **argv, char *msg)
{
	struct ls_session_tropinfo ti;
	char path[PATH_MAX];
	enum ls_status st;
	long x, y;

	if (argc >= 3) {
		if ((st = cmd_long(argv[1], "tropmap", &x, msg)) != LS_OK ||
		    (st = cmd_long(argv[2], "tropmap", &y, msg)) != LS_OK)
			return st;
		if (labs(x) > 1000000 || labs(y) > 1000000)
			return ls_err(msg, LS_EINVAL, "tropmap: wants pixel coordinates X Y");
		if ((st = ls_session_set_tropical_pixel(s, (int)x, (int)y, msg)) != LS_OK)
			return st;
	}
	if ((st = ls_session_tropmap(s, argc == 2 || argc == 4 ? argv[argc - 1] : NULL, path, &ti,
				     msg)) != LS_OK)
		return st;
	cmd_say(msg, "pixel %d,%d (output %d) over z1 %.4g:%.4g by z2 %.4g:%.4g", ti.x, ti.y, ti.output,
		ti.box[0], ti.box[1], ti.box[2], ti.box[3]);
	cmd_say(msg, "wrote %s: %ld monomials of F and %ld of G met (%.2f s)", path, ti.nf, ti.ng,
		ti.seconds);
	return LS_OK;
}

const struct cmd_entry cmd_entry_tropmap = {
	{ "tropmap", "[X Y] [FILE]", "PNG of the tropical hypersurfaces of pixel X, Y's logit over a 2-D latent (F orange, G cyan, z a cross); X Y also choose the explorer's tropical view (key T)", LS_ARG_FILE, NULL },
	cmd_an_tropmap, 1, 4, REC_NOW
};
