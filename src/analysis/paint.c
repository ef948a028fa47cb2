/*
 * paint.c: paint-to-direction. The unit latent direction that changes a
 * rectangle of pixels the most at z is the top right singular vector of
 * the Jacobian's rows for those pixels (all channels). Exact inside z's
 * region for a piecewise-linear decoder.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/blas.h"
#include "linscope/linearity.h"
#include "linscope/model.h"
#include "base/util.h"

/* Rows of J (out, d) of the rectangle into m (rows, d); returns rows. */
static long
mask_rows(const double *J, int d, int c, int h, int w, const int *rect, double *m)
{
	long n = 0;
	int k, y, x;

	for (k = 0; k < c; k++)
		for (y = rect[1]; y < rect[3]; y++)
			for (x = rect[0]; x < rect[2]; x++)
				memcpy(m + n++ * d, J + ((long)k * h * w + (long)y * w + x) * d,
				       (size_t)d * sizeof *m);
	return n;
}

/* Orients u so that the masked pixels' sum grows (ties: first non-zero
 * component positive). */
static void
orient(const double *m, long rows, int d, double *u)
{
	double s = 0;
	long r;
	int i, flip;

	for (r = 0; r < rows; r++)
		for (i = 0; i < d; i++)
			s += m[r * d + i] * u[i];
	flip = s < 0;
	if (fabs(s) <= 1e-12)
		for (i = 0; i < d; i++)
			if (u[i] != 0) {
				flip = u[i] < 0;
				break;
			}
	for (i = 0; flip && i < d; i++)
		u[i] = -u[i];
}

enum ls_status
ls_paint_direction(struct ls_model *m, const float *z, int x0, int y0, int x1, int y1,
		   float *u, double *gain, char *err)
{
	int c, h, w, d = ls_model_dim(m), rect[4] = { x0, y0, x1, y1 }, i;
	double *J, *M, *s, *vt;
	enum ls_status st = LS_OK;
	long rows;

	ls_model_image(m, &c, &h, &w);
	if (x0 < 0 || y0 < 0 || x1 > w || y1 > h || x0 >= x1 || y0 >= y1)
		return ls_err(err, LS_EINVAL, "mask %d,%d,%d,%d: want 0 <= X0 < X1 <= %d and 0 <= Y0 < Y1 <= %d (half-open pixel rectangle)",
			      x0, y0, x1, y1, w, h);
	J = xmalloc((size_t)ls_model_out_dim(m) * d * sizeof *J);
	ls_jacobian(ls_model_decoder(m), z, J);
	M = xmalloc((size_t)c * (x1 - x0) * (y1 - y0) * d * sizeof *M);
	rows = mask_rows(J, d, c, h, w, rect, M);
	s = xmalloc((size_t)(d + 1) * sizeof *s);
	vt = xmalloc((size_t)d * d * sizeof *vt);
	{
		double *Mc = xmalloc((size_t)rows * d * sizeof *Mc);
		memcpy(Mc, M, (size_t)rows * d * sizeof *Mc);
		if (ls_dgesdd((int)rows, d, Mc, s, vt) != 0)
			st = ls_err(err, LS_EINTERNAL, "paint: the SVD did not converge");
		free(Mc);
	}
	if (st == LS_OK && !(s[0] > 0))
		st = ls_err(err, LS_EINVAL, "mask %d,%d,%d,%d: the decoder's output there does not change with z (zero Jacobian)",
			    x0, y0, x1, y1);
	if (st == LS_OK) {
		orient(M, rows, d, vt);
		for (i = 0; i < d; i++)
			u[i] = (float)vt[i];
		if (gain)
			*gain = s[0];
	}
	free(J), free(M), free(s), free(vt);
	return st;
}
