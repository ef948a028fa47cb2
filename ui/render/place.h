/*
 * place.h: images drawn as terminal graphics over reserved cells (the
 * inside of ui/render/, used by render.c only).
 *
 * A frame: place_image() for each image (cells reserved in the window),
 * place_prepare() before the curses refresh (encodes what must be sent,
 * notes cells curses is about to rewrite), place_flush() after it (writes
 * the bytes). place_invalidate() makes the next frame send everything.
 */
#ifndef LINSCOPE_UI_PLACE_H
#define LINSCOPE_UI_PLACE_H

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <stdio.h>

#include "pixels.h"

struct place_cfg {
	enum px_mode mode;   /* PX_SIXEL, PX_KITTY or PX_ITERM */
	int smooth, tmux;    /* bilinear upscaling; wrap for tmux passthrough */
	int cw, ch;          /* cell size in pixels */
};

void place_image(WINDOW *win, int y, int x, const struct px_geom *g, const float *img, int c,
		 int h, int w, float lo, float hi, const struct place_cfg *cfg);
void place_prepare(const struct place_cfg *cfg);
/* Writes the frame's graphics to out; returns the bytes written. */
size_t place_flush(FILE *out, const struct place_cfg *cfg);
void place_invalidate(void);
/* Forgets every placement, deleting kitty images (into out, may be NULL). */
void place_clear(FILE *out, const struct place_cfg *cfg);
void place_free(void);

#endif
