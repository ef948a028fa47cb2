/*
 * font.c: a tiny built-in bitmap font for labelling PNGs (the alphas under
 * a strip's images), so a slide needs no image editor.
 *
 * Each glyph is 5 rows of up to 4 pixels (a bit per pixel, most
 * significant of the low 4 bits leftmost), drawn at an integer size k (a
 * font pixel is k x k raster pixels) with one empty column between glyphs.
 * Characters: the digits, '.', '-', '+', 'e', ' ', 's' and the UTF-8 sigma
 * (both drawn as sigma); any other byte is drawn as a blank. Drawing clips
 * to the raster.
 */
#include <string.h>

#include "linscope/png.h"

struct glyph {
	const char *key;     /* the UTF-8 text it stands for */
	int w;               /* columns */
	unsigned char row[LS_FONT_H];
};

static const struct glyph glyphs[] = {
	{ "0", 3, { 7, 5, 5, 5, 7 } }, { "1", 3, { 2, 6, 2, 2, 7 } },
	{ "2", 3, { 7, 1, 7, 4, 7 } }, { "3", 3, { 7, 1, 7, 1, 7 } },
	{ "4", 3, { 5, 5, 7, 1, 1 } }, { "5", 3, { 7, 4, 7, 1, 7 } },
	{ "6", 3, { 7, 4, 7, 5, 7 } }, { "7", 3, { 7, 1, 1, 2, 2 } },
	{ "8", 3, { 7, 5, 7, 5, 7 } }, { "9", 3, { 7, 5, 7, 1, 7 } },
	{ ".", 1, { 0, 0, 0, 0, 1 } }, { "-", 3, { 0, 0, 7, 0, 0 } },
	{ "+", 3, { 0, 2, 7, 2, 0 } }, { "e", 3, { 0, 7, 7, 4, 7 } },
	{ " ", 2, { 0, 0, 0, 0, 0 } }, { "\xcf\x83", 4, { 0, 7, 10, 10, 4 } },
	{ "s", 4, { 0, 7, 10, 10, 4 } },
};
#define NGLYPHS ((int)(sizeof glyphs / sizeof glyphs[0]))

/* The glyph text starts with (advancing *text), a blank for others. */
static const struct glyph *
glyph_next(const char **text)
{
	int i;
	size_t n;

	for (i = 0; i < NGLYPHS; i++) {
		n = strlen(glyphs[i].key);
		if (!strncmp(*text, glyphs[i].key, n)) {
			*text += n;
			return &glyphs[i];
		}
	}
	(*text)++;
	return &glyphs[14];   /* " " */
}

int
ls_font_width(const char *text, int k)
{
	int w = 0;

	while (*text)
		w += glyph_next(&text)->w + 1;
	return (w > 0 ? w - 1 : 0) * k;
}

/* Sets the k x k block of font pixel (gx, gy) of a glyph at (x, y). */
static void
block(struct ls_raster *r, int x, int y, int k, uint8_t v)
{
	int i, j, c;

	for (j = y; j < y + k; j++)
		for (i = x; i < x + k; i++)
			if (i >= 0 && j >= 0 && i < r->w && j < r->h)
				for (c = 0; c < r->c; c++)
					r->px[((size_t)j * r->w + i) * r->c + c] = v;
}

void
ls_font_draw(struct ls_raster *r, int x, int y, int k, const char *text, uint8_t v)
{
	const struct glyph *g;
	int gx, gy;

	if (k < 1 || !r->px)
		return;
	while (*text) {
		g = glyph_next(&text);
		for (gy = 0; gy < LS_FONT_H; gy++)
			for (gx = 0; gx < g->w; gx++)
				if (g->row[gy] >> (g->w - 1 - gx) & 1)
					block(r, x + gx * k, y + gy * k, k, v);
		x += (g->w + 1) * k;
	}
}
