/*
 * render.h: decoded images drawn in terminal cells.
 *
 * An image is (c, h, w) floats in CHW order with values in [lo, hi]
 * (c = 1 gray or 3 RGB; other c show their first channel). It is scaled
 * to fit an area of cells keeping its aspect (integer factors when it
 * grows, box averaging when it shrinks) and drawn with the best method the
 * terminal allows (render_init() picks it once):
 *   RENDER_TRUE   U+2580 upper half blocks, two pixels a cell, 24-bit colour
 *                 (COLORTERM=truecolor|24bit and a direct-colour terminfo)
 *   RENDER_256    half blocks in the 256-colour palette (gray ramp 232-255
 *                 plus the 6x6x6 cube)
 *   RENDER_RAMP   one character a cell from " .:-=+*#%@" (NO_COLOR, fewer
 *                 than 256 colours, or no UTF-8)
 * Colour pairs for images are allocated from RENDER_PAIR_BASE on, cached,
 * and recycled by render_begin() between frames.
 *
 * Beside those cell modes (the colours above), images are drawn as
 * (enum px_mode, pixels.h): text, half blocks, chafa symbols (quadrants,
 * half blocks, sextants where the terminal draws them; finer than half
 * blocks), or terminal graphics: sixel, kitty, iTerm2. Graphics fill the
 * cells render_fit() gives at the terminal's cell size in pixels; they
 * are written by render_flush() after the curses refresh, and only when
 * they changed or curses rewrote their cells (see place.c).
 *
 * A frame: render_begin(), the drawing, render_prepare(), refresh(),
 * render_flush(stdout).
 */
#ifndef LINSCOPE_UI_RENDER_H
#define LINSCOPE_UI_RENDER_H

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <stdio.h>

#include "pixels.h"

#define RENDER_PAIR_BASE 16   /* pairs below are the UI's own */

enum render_mode { RENDER_RAMP, RENDER_256, RENDER_TRUE };

/* The terminal name to give newterm(): a direct-colour variant of $TERM
 * when COLORTERM asks for truecolor and one exists; NULL keeps $TERM. */
const char *render_term_name(void);
/* Parses the pixels spec (NULL: auto) and asks the terminal what it can
 * do; call before curses starts. -1 with a message for a bad spec. */
int render_detect(const char *spec, char *err, size_t n);
/* Keys typed while the terminal was asked (to push back to curses). */
const char *render_pending(int *n);
/* After an ESC from curses: swallows the rest of a terminal reply that
 * came after the query's timeout (in the first seconds); 1 if it did. */
int render_late_reply(void);
/* Picks the mode; call after start_color(). utf8: the locale is UTF-8. */
void render_init(int utf8);
/* `:pixels SPEC` at run time; the message says what is used now. */
int render_set(const char *spec, char *msg, size_t n);
enum render_mode render_mode(void);
enum px_mode render_pixels(void);
/* The mode in a few characters ("sixel", "sym 256", "text"), and in
 * words ("symbols (256 colours)"). */
const char *render_mode_name(void);
const char *render_mode_long(void);
/* Starts a frame: recycles image colour pairs if many are in use. */
void render_begin(void);
/* Size in cells an image of h x w pixels takes in an area of rows x cols. */
void render_fit(int h, int w, int rows, int cols, int *out_rows, int *out_cols);
/* Draws img into win with its top-left cell at (y, x), fitting rows x cols
 * cells. */
void render_image(WINDOW *win, int y, int x, int rows, int cols, const float *img,
		  int c, int h, int w, float lo, float hi);
/* Pixels an area of rows x cols cells shows in the current mode (the
 * cell size for graphics, chafa's symbol grid, or 1 x 2 a cell). */
void render_area_px(int rows, int cols, int *h, int *w);
/* Draws an 8-bit raster ((h, w, c), c = 1 or 3) as render_image does. */
void render_raster(WINDOW *win, int y, int x, int rows, int cols, const uint8_t *px, int c,
		   int h, int w);
/* Before refresh(): encodes the frame's graphics that must be sent. */
void render_prepare(void);
/* After refresh(): writes them to out; returns the bytes written. */
size_t render_flush(FILE *out);
/* The next frame sends every image again (the screen was redrawn). */
void render_invalidate(void);
/* The terminal was resized: the cell size is read again. */
void render_resized(void);
/* Before leaving curses: kitty images are deleted. */
void render_leave(FILE *out);
void render_done(void);

#endif
