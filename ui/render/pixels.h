/*
 * pixels.h: the curses-free half of ui/render/: images scaled into RGBA
 * rasters, turned into terminal bytes or cells by libchafa, and the
 * terminal asked what it can show.
 *
 * Nothing here draws: px_encode() appends the escape bytes of one image
 * (kitty graphics, sixel or an iTerm2 inline image) to a buffer, and
 * px_symbols() fills per-cell arrays (character, colours) that render.c
 * puts into curses cells. px_detect() runs before curses starts reading
 * keys. The unit test (tests/unit/test-render.c) and the benchmark link
 * this file without curses.
 *
 * Rasters are RGBA8, row-major, unassociated alpha; alpha 0 marks the
 * padding around an image (the terminal's own background shows there).
 */
#ifndef LINSCOPE_UI_PIXELS_H
#define LINSCOPE_UI_PIXELS_H

#include <stddef.h>
#include <stdint.h>

/* Ways of drawing an image, from the best to the plainest. */
enum px_mode {
	PX_AUTO = -1,
	PX_TEXT = 0,   /* one character a cell from a brightness ramp */
	PX_HALF,       /* U+2580 half blocks, two pixels a cell */
	PX_SYMBOLS,    /* chafa symbols: quadrants, half blocks (and sextants) */
	PX_SIXEL,      /* DEC sixel graphics */
	PX_KITTY,      /* the kitty graphics protocol */
	PX_ITERM,      /* iTerm2 inline images (OSC 1337) */
	PX_NMODES
};

/* A growing byte buffer (free with px_buf_free). */
struct px_buf {
	char *s;
	size_t n, cap;
};

void px_buf_add(struct px_buf *b, const void *p, size_t n);
void px_buf_printf(struct px_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void px_buf_free(struct px_buf *b);

/* FNV-1a of n bytes, continuing from h (start with PX_HASH0). */
#define PX_HASH0 0xcbf29ce484222325ull
uint64_t px_hash(uint64_t h, const void *p, size_t n);

/* The mode's name on the command line ("kitty", "symbols", ...). */
const char *px_mode_name(enum px_mode m);
/* Parses "MODE[,smooth|,crisp]" (also "smooth" or "crisp" alone, which
 * leave *m alone). 0 on success, -1 for an unknown word. */
int px_parse(const char *spec, enum px_mode *m, int *smooth);
/* Is m drawn as terminal graphics rather than cells? */
int px_is_graphics(enum px_mode m);

/* Where an h x w image goes in rows x cols cells of cw x ch pixels: the
 * image is ow x oh pixels (the largest that fits, aspect kept), in a
 * raster of W x H = cols*cw x rows*ch (sixel: H a multiple of 6, within
 * the cells) that takes cols x rows cells. */
struct px_geom {
	int ow, oh, W, H, cols, rows;
};
void px_geom(enum px_mode m, int h, int w, int rows, int cols, int cw, int ch, struct px_geom *g);

/* Scales img (c, h, w) in [lo, hi] to ow x oh pixels at the top left of
 * a W x H raster (alpha 0 elsewhere). Nearest neighbour when it grows
 * (bilinear when smooth), box averaging when it shrinks. c = 3 is RGB,
 * other c show their first channel as gray. */
void px_scale(const float *img, int c, int h, int w, float lo, float hi, int smooth,
	      uint8_t *rgba, int W, int H, int ow, int oh);

/* Appends the bytes that show a W x H raster in cols x rows cells at the
 * cursor (sixel and iTerm2 through chafa, kitty written here), leaving the cursor where it was (kitty), or below the image
 * (sixel, iTerm2). id: the kitty image id (1..2^24-1). The raster must be
 * cols*cw x rows*ch for kitty and iTerm2; any size for sixel (its height
 * a multiple of 6, or the last band is dropped). */
void px_encode(enum px_mode m, const uint8_t *rgba, int W, int H, int cols, int rows,
	       unsigned id, struct px_buf *out);
/* The kitty command that deletes image id and frees its data. */
void px_kitty_delete(unsigned id, struct px_buf *out);
/* Wraps bytes [from, out->n) for tmux passthrough: ESC P tmux; ... ESC \
 * with every ESC inside doubled. */
void px_tmux_wrap(struct px_buf *out, size_t from);

/* Symbols for a W x H raster in cols x rows cells: ch[i] the character
 * (a code point), fg[i] and bg[i] its colours (0xRRGGBB when truecolor,
 * else 256-palette indices 16..255), i = row * cols + col. sextants: use
 * U+1FB00 sextants too (terminals that draw them themselves). */
void px_symbols(const uint8_t *rgba, int W, int H, int cols, int rows, int truecolor,
		int sextants, uint32_t *ch, int *fg, int *bg);

/* What the terminal can do. */
struct px_term {
	int kitty, sixel, iterm;   /* graphics the terminal takes */
	int tmux;                  /* inside tmux ($TMUX) */
	int sextants;              /* draws U+1FB00 sextants itself */
	int cw, ch;                /* cell size in pixels (0: unknown) */
	int queried;               /* the terminal answered the query */
	long asked;                /* when it was asked (ms, 0: never) */
	char pending[64];          /* keys typed during the query, for the UI */
	int npending;
};

/* Fills t from the environment (chafa's terminal database) and, when
 * query and fd is a terminal, a query of the terminal (kitty graphics,
 * XTWINOPS 16t, DA1) read for at most timeout_ms. Call before curses
 * starts reading keys; bytes that are not replies land in t->pending. */
void px_detect(struct px_term *t, int fd_in, int fd_out, int query, int timeout_ms);
/* Parses n bytes read after the query: what the replies say goes into t
 * (kitty, sixel, cw/ch if not known yet), *done set once DA1's reply was
 * seen, other bytes into t->pending (from the start each call). */
void px_replies(const char *buf, int n, struct px_term *t, int *done);
/* Swallows a reply that comes late (after the query's timeout) when the
 * bytes after an ESC, read with get(), form one; returns 1 if it did.
 * get() returns -1 when nothing more is there. */
int px_late_reply(int (*get)(void), int *back, int *nback, int max);
/* The cell size from TIOCGWINSZ (0 when the terminal does not say). */
void px_cell_size(int fd, int *cw, int *ch);
/* The best graphics mode of t (PX_SYMBOLS when none). */
enum px_mode px_best(const struct px_term *t);
/* How many threads chafa uses (n < 1: its default, one per core). */
void px_threads(int n);
/* Frees chafa's cached objects (before exit, for leak checkers). */
void px_done(void);

#endif
