/*
 * png.h: PNG files through libpng, and composing images into strips/grids.
 *
 * Images in the core are float planes in PyTorch CHW order: (c, h, w),
 * values in the model's output range. Composition maps [lo, hi] to 0..255,
 * upscales by an integer factor (nearest) and lays images out in a grid
 * with a gutter. PNG files are gray (c = 1) or RGB (c = 3), 8-bit.
 */
#ifndef LINSCOPE_PNG_H
#define LINSCOPE_PNG_H

#include <stdint.h>

#include "linscope/status.h"

#define LS_PNG_MAX_SIDE 16384
#define LS_PNG_MAX_PIXELS (1L << 26)   /* 64 Mi pixels */

/* An 8-bit interleaved raster (h, w, c), c = 1 or 3. */
struct ls_raster {
	int w, h, c;
	uint8_t *px;   /* (h, w, c), row-major; owned */
};

void ls_raster_free(struct ls_raster *r);

/* Writes r atomically. */
enum ls_status ls_png_write(const char *path, const struct ls_raster *r, char *err);
/* The same with ls_afile_commit() flags (LS_AFILE_NOSYNC for previews). */
enum ls_status ls_png_write_flags(const char *path, const struct ls_raster *r, int flags,
				  char *err);
/* Reads any PNG (palette, 16-bit, alpha are converted) into gray or RGB:
 * want_c = 1 or 3 converts; 0 keeps gray as 1 and everything else as 3. */
enum ls_status ls_png_read(const char *path, int want_c, struct ls_raster *r, char *err);

/* Lays out n images (each (c, h, w) floats, consecutive) in a grid of cols
 * columns (cols <= 0: a near-square grid), each upscaled by scale and
 * separated by gutter pixels of the background value bg (0..255). */
struct ls_grid_opts {
	int cols;
	int scale;
	int gutter;
	uint8_t bg;
	float lo, hi;   /* value range mapped to 0..255 */
	/* NULL, or n labels (ls_font_draw's characters) drawn in white centred
	   in a band under each image, in the largest font size that fits a
	   56-pixel share of the image's width (at least 1) */
	const char *const *labels;
};
void ls_grid_compose(const float *imgs, int n, int c, int h, int w,
		     const struct ls_grid_opts *o, struct ls_raster *out);
/* LS_OK when that grid fits a PNG (LS_PNG_MAX_SIDE a side), else LS_EINVAL
 * with a message saying its size; check before composing (compose gives
 * an empty raster for a grid that does not fit). */
enum ls_status ls_grid_check(int n, int c, int h, int w, const struct ls_grid_opts *o,
			     char *err);

/* ---- a tiny bitmap font (font.c) ---- */
#define LS_FONT_H 5   /* glyph height in font pixels */
/* Width in raster pixels of text at size k (a font pixel is k x k). The
 * characters: digits, letters (drawn as capitals), . - + _ : , = / ( )
 * space and the UTF-8 sigma; others are blanks. */
int ls_font_width(const char *text, int k);
/* Draws text with its top-left corner at (x, y) in value v (every
 * channel), clipped to r. */
void ls_font_draw(struct ls_raster *r, int x, int y, int k, const char *text, uint8_t v);

#endif
