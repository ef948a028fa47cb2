/*
 * session_interp.c: the path between two bank rows, decoded: lerp (the
 * straight line) or slerp (the great circle, the norm going linearly),
 * written as a labelled strip, each image with its latent norm |z| under
 * it. A lesson's picture: in a Gaussian latent space the middle of a lerp
 * has a smaller norm than either end, the middle of a slerp does not.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "linscope/bank.h"
#include "linscope/dirs.h"
#include "linscope/model.h"
#include "linscope/png.h"
#include "base/util.h"
#include "session_impl.h"

/* The n latents z (n, d) from a to b and their norms as labels. */
static enum ls_status
interp_path(const struct ls_session *s, const float *a, const float *b, int n, int slerp,
	    float *z, char (*lab)[24], char *err)
{
	enum ls_status st = LS_OK;
	double t, q;
	int k, j;

	for (k = 0; k < n && st == LS_OK; k++) {
		t = n == 1 ? 0 : (double)k / (n - 1);
		if (slerp)
			st = ls_dirs_slerp(a, b, t, s->d, z + (size_t)k * s->d, err);
		else
			ls_dirs_lerp(a, b, t, s->d, z + (size_t)k * s->d);
		for (q = 0, j = 0; j < s->d; j++)
			q += (double)z[(size_t)k * s->d + j] * z[(size_t)k * s->d + j];
		snprintf(lab[k], sizeof lab[k], "%.2f", sqrt(q));
	}
	return st;
}

enum ls_status
ls_session_write_interp(struct ls_session *s, long i, long j, int n, int slerp,
			const char *file, char *path, char *err)
{
	struct ls_grid_opts o = { 0, 0, 2, 40, 0, 0, NULL };
	char (*lab)[24] = NULL;
	const char **p = NULL;
	float *z = NULL, *img = NULL;
	struct ls_raster r = { 0 };
	enum ls_status st;
	int k;

	if (!s->bank)
		return ls_err(err, LS_EINVAL, "interp: needs a bank (bank FILE)");
	if (i < 0 || j < 0 || i >= ls_bank_rows(s->bank) || j >= ls_bank_rows(s->bank))
		return ls_err(err, LS_EINVAL, "interp %ld %ld: rows are 0..%ld", i, j, ls_bank_rows(s->bank) - 1);
	if (n < 2 || n > 64)
		return ls_err(err, LS_EINVAL, "interp: %d images: want 2..64", n);
	o.cols = n, o.scale = 3, o.lo = s->lo, o.hi = s->hi;
	lab = xreallocarray(NULL, (size_t)n, sizeof *lab);
	p = xreallocarray(NULL, (size_t)n, sizeof *p);
	z = xreallocarray(NULL, (size_t)n * (size_t)s->d, sizeof *z);
	if ((st = interp_path(s, ls_bank_row(s->bank, i), ls_bank_row(s->bank, j), n, slerp, z, lab,
			      err)) != LS_OK ||
	    (st = ls_grid_check(n, s->c, s->h, s->w, &o, err)) != LS_OK)
		goto out;
	for (k = 0; k < n; k++)
		p[k] = lab[k];
	o.labels = p;
	img = xreallocarray(NULL, (size_t)n * (size_t)s->od, sizeof *img);
	ls_model_decode(s->model, z, n, img);
	ls_grid_compose(img, n, s->c, s->h, s->w, &o, &r);
	st = session_write_raster(s, file, "linscope-interp-%04d.png", &r, path, err);
out:
	ls_raster_free(&r);
	free(img);
	free(z);
	free(p);
	free(lab);
	return st;
}
