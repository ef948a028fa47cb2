/*
 * font.c: a tiny built-in bitmap font for labelling PNGs (the alphas under
 * a strip's images), so a slide needs no image editor.
 *
 * Each glyph is 5 rows of up to 4 pixels (a bit per pixel, most
 * significant of the low 4 bits leftmost), drawn at an integer size k (a
 * font pixel is k x k raster pixels) with one empty column between glyphs.
 * Characters: the digits, the letters (either case, drawn as capitals),
 * ". - + _ : , = / ( ) space" and the UTF-8 sigma; any other byte is
 * drawn as a blank. Drawing clips to the raster.
 */
#include <string.h>

#include "linscope/png.h"

struct glyph {
	const char *key;     /* the UTF-8 text it stands for */
	int w;               /* columns */
	unsigned char row[LS_FONT_H];
};

static const struct glyph glyphs[] = {
	{ " ", 2, { 0, 0, 0, 0, 0 } },   /* first: the blank others draw as */
	{ "0", 3, { 7, 5, 5, 5, 7 } }, { "1", 3, { 2, 6, 2, 2, 7 } },
	{ "2", 3, { 7, 1, 7, 4, 7 } }, { "3", 3, { 7, 1, 7, 1, 7 } },
	{ "4", 3, { 5, 5, 7, 1, 1 } }, { "5", 3, { 7, 4, 7, 1, 7 } },
	{ "6", 3, { 7, 4, 7, 5, 7 } }, { "7", 3, { 7, 1, 1, 2, 2 } },
	{ "8", 3, { 7, 5, 7, 5, 7 } }, { "9", 3, { 7, 5, 7, 1, 7 } },
	{ ".", 1, { 0, 0, 0, 0, 1 } }, { "-", 3, { 0, 0, 7, 0, 0 } },
	{ "+", 3, { 0, 2, 7, 2, 0 } }, { "_", 3, { 0, 0, 0, 0, 7 } },
	{ ":", 1, { 0, 1, 0, 1, 0 } }, { ",", 2, { 0, 0, 0, 1, 2 } },
	{ "=", 3, { 0, 7, 0, 7, 0 } }, { "/", 3, { 1, 1, 2, 4, 4 } },
	{ "(", 2, { 1, 2, 2, 2, 1 } }, { ")", 2, { 2, 1, 1, 1, 2 } },
	{ "\xcf\x83", 4, { 0, 7, 10, 10, 4 } },
	{ "A", 3, { 2, 5, 7, 5, 5 } }, { "a", 3, { 2, 5, 7, 5, 5 } },
	{ "B", 3, { 6, 5, 6, 5, 6 } }, { "b", 3, { 6, 5, 6, 5, 6 } },
	{ "C", 3, { 3, 4, 4, 4, 3 } }, { "c", 3, { 3, 4, 4, 4, 3 } },
	{ "D", 3, { 6, 5, 5, 5, 6 } }, { "d", 3, { 6, 5, 5, 5, 6 } },
	{ "E", 3, { 7, 4, 6, 4, 7 } }, { "e", 3, { 7, 4, 6, 4, 7 } },
	{ "F", 3, { 7, 4, 6, 4, 4 } }, { "f", 3, { 7, 4, 6, 4, 4 } },
	{ "G", 3, { 3, 4, 5, 5, 3 } }, { "g", 3, { 3, 4, 5, 5, 3 } },
	{ "H", 3, { 5, 5, 7, 5, 5 } }, { "h", 3, { 5, 5, 7, 5, 5 } },
	{ "I", 3, { 7, 2, 2, 2, 7 } }, { "i", 3, { 7, 2, 2, 2, 7 } },
	{ "J", 3, { 1, 1, 1, 5, 2 } }, { "j", 3, { 1, 1, 1, 5, 2 } },
	{ "K", 3, { 5, 5, 6, 5, 5 } }, { "k", 3, { 5, 5, 6, 5, 5 } },
	{ "L", 3, { 4, 4, 4, 4, 7 } }, { "l", 3, { 4, 4, 4, 4, 7 } },
	{ "M", 3, { 5, 7, 7, 5, 5 } }, { "m", 3, { 5, 7, 7, 5, 5 } },
	{ "N", 3, { 6, 5, 5, 5, 5 } }, { "n", 3, { 6, 5, 5, 5, 5 } },
	{ "O", 3, { 2, 5, 5, 5, 2 } }, { "o", 3, { 2, 5, 5, 5, 2 } },
	{ "P", 3, { 6, 5, 6, 4, 4 } }, { "p", 3, { 6, 5, 6, 4, 4 } },
	{ "Q", 3, { 2, 5, 5, 6, 3 } }, { "q", 3, { 2, 5, 5, 6, 3 } },
	{ "R", 3, { 6, 5, 6, 5, 5 } }, { "r", 3, { 6, 5, 6, 5, 5 } },
	{ "S", 3, { 3, 4, 2, 1, 6 } }, { "s", 3, { 3, 4, 2, 1, 6 } },
	{ "T", 3, { 7, 2, 2, 2, 2 } }, { "t", 3, { 7, 2, 2, 2, 2 } },
	{ "U", 3, { 5, 5, 5, 5, 7 } }, { "u", 3, { 5, 5, 5, 5, 7 } },
	{ "V", 3, { 5, 5, 5, 5, 2 } }, { "v", 3, { 5, 5, 5, 5, 2 } },
	{ "W", 3, { 5, 5, 7, 7, 5 } }, { "w", 3, { 5, 5, 7, 7, 5 } },
	{ "X", 3, { 5, 5, 2, 5, 5 } }, { "x", 3, { 5, 5, 2, 5, 5 } },
	{ "Y", 3, { 5, 5, 2, 2, 2 } }, { "y", 3, { 5, 5, 2, 2, 2 } },
	{ "Z", 3, { 7, 1, 2, 4, 7 } }, { "z", 3, { 7, 1, 2, 4, 7 } },
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
	return &glyphs[0];   /* " " */
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
