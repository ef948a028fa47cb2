/*
 * grid.c: composing float images into one 8-bit raster.
 *
 * Each image is (c, h, w) floats in CHW order. A value v becomes
 * (v - lo) / (hi - lo) * 255 + 0.5, clamped to 0..255 and truncated (so
 * rounded); NaN becomes 0, and when lo == hi values above lo are 255. c = 3
 * gives an RGB raster (interleaved HWC), any other c a gray one from the
 * first channel. Images are upscaled by an integer factor (nearest) and laid
 * out row by row in cols columns (at most n; cols <= 0 picks
 * ceil(sqrt(n))), with gutter pixels of bg between cells and around the
 * outside:
 *   width  = cols * w * scale + (cols + 1) * gutter
 *   height = rows * h * scale + (rows + 1) * gutter,  rows = ceil(n / cols)
 * With labels, each cell is taller by a band of (LS_FONT_H + 2) * k pixels
 * (k = max(1, w * scale / 56)) holding its label, centred, in white.
 * n <= 0 (or an empty image) gives a 0x0 raster with px == NULL.
 */
#include <stdlib.h>
#include <string.h>

#include "linscope/png.h"
#include "base/util.h"

/* One value mapped to a byte. */
static uint8_t
to_byte(float v, float lo, float hi)
{
	float t;

	if (hi == lo)
		return v > lo ? 255 : 0;
	t = (v - lo) / (hi - lo) * 255.0f + 0.5f;
	if (!(t >= 0.0f))
		return 0;
	if (t >= 255.0f)
		return 255;
	return (uint8_t)t;
}

/* The smallest k with k * k >= n. */
static int
ceil_sqrt(int n)
{
	int k = 1;

	while ((long)k * k < n)
		k++;
	return k;
}

/* Draws one (c, h, w) image with its top-left corner at (x0, y0). */
static void
place(const float *img, int c, int h, int w, int scale, const struct ls_grid_opts *o,
      struct ls_raster *out, int x0, int y0)
{
	size_t plane = (size_t)h * (size_t)w, stride = (size_t)out->w * (size_t)out->c;
	size_t rowbytes = (size_t)w * (size_t)scale * (size_t)out->c;
	int x, y, k, s;

	(void)c;
	for (y = 0; y < h; y++) {
		uint8_t *dst = out->px + (size_t)(y0 + y * scale) * stride + (size_t)x0 * out->c;
		for (x = 0; x < w; x++)
			for (k = 0; k < out->c; k++) {
				uint8_t b = to_byte(img[k * plane + (size_t)y * w + x], o->lo, o->hi);
				for (s = 0; s < scale; s++)
					dst[((size_t)x * scale + s) * out->c + k] = b;
			}
		for (s = 1; s < scale; s++)
			memcpy(dst + (size_t)s * stride, dst, rowbytes);
	}
}

/* Label i centred in the band under the image at (x0, y0). */
static void
label(const struct ls_grid_opts *o, int i, int iw, int ih, int k, struct ls_raster *out,
      int x0, int y0)
{
	const char *t = o->labels[i] ? o->labels[i] : "";
	int tw = ls_font_width(t, k);

	ls_font_draw(out, x0 + (iw - tw) / 2, y0 + ih + k, k, t, 255);
}

/* The grid's columns, rows and size in pixels. */
static void
grid_size(int n, int h, int w, const struct ls_grid_opts *o, int *cols, int *rows,
	  long long *W, long long *H)
{
	long long scale = o->scale > 0 ? o->scale : 1, gut = o->gutter > 0 ? o->gutter : 0;

	*cols = o->cols > 0 && o->cols < n ? o->cols : o->cols > 0 ? n : ceil_sqrt(n);
	*rows = (n + *cols - 1) / *cols;
	*W = (long long)*cols * w * scale + (long long)(*cols + 1) * gut;
	*H = (long long)*rows * h * scale + (long long)(*rows + 1) * gut;
}

enum ls_status
ls_grid_check(int n, int c, int h, int w, const struct ls_grid_opts *o, char *err)
{
	long long W, H;
	int cols, rows;

	if (n <= 0 || h <= 0 || w <= 0 || c <= 0)
		return LS_OK;
	if (o->scale > LS_PNG_MAX_SIDE || o->gutter > LS_PNG_MAX_SIDE)
		return ls_err(err, LS_EINVAL, "scale %d, gutter %d: above the PNG limit of %d a side",
			      o->scale, o->gutter, LS_PNG_MAX_SIDE);
	grid_size(n, h, w, o, &cols, &rows, &W, &H);
	if (W > LS_PNG_MAX_SIDE || H > LS_PNG_MAX_SIDE)
		return ls_err(err, LS_EINVAL,
			      "a grid of %d images (%d columns, %d rows) at scale %d is %lldx%lld pixels, "
			      "above the PNG limit of %d a side (use fewer columns, a smaller scale or .npy output)",
			      n, cols, rows, o->scale > 0 ? o->scale : 1, W, H, LS_PNG_MAX_SIDE);
	return LS_OK;
}

void
ls_grid_compose(const float *imgs, int n, int c, int h, int w, const struct ls_grid_opts *o,
		struct ls_raster *out)
{
	int scale = o->scale > 0 ? o->scale : 1, gut = o->gutter > 0 ? o->gutter : 0;
	int cols, rows, i, k = 0, lh = 0, x0, y0;
	long long W, H;

	memset(out, 0, sizeof *out);
	out->c = c == 3 ? 3 : 1;
	if (n <= 0 || h <= 0 || w <= 0 || c <= 0)
		return;
	if (ls_grid_check(n, c, h, w, o, NULL) != LS_OK)
		return;
	cols = o->cols > 0 && o->cols < n ? o->cols : o->cols > 0 ? n : ceil_sqrt(n);
	rows = (n + cols - 1) / cols;
	if (o->labels) {
		k = w * scale / 56 > 1 ? w * scale / 56 : 1;
		lh = (LS_FONT_H + 2) * k;
	}
	W = (long long)cols * w * scale + (long long)(cols + 1) * gut;
	H = (long long)rows * (h * scale + lh) + (long long)(rows + 1) * gut;
	out->w = (int)W;
	out->h = (int)H;
	out->px = xmalloc((size_t)W * (size_t)H * (size_t)out->c);
	memset(out->px, o->bg, (size_t)W * (size_t)H * (size_t)out->c);
	for (i = 0; i < n; i++) {
		x0 = gut + (i % cols) * (w * scale + gut);
		y0 = gut + (i / cols) * (h * scale + lh + gut);
		place(imgs + (size_t)i * (size_t)c * (size_t)h * (size_t)w, c, h, w, scale, o,
		      out, x0, y0);
		if (o->labels)
			label(o, i, w * scale, h * scale, k, out, x0, y0);
	}
}
