/*
 * render.c: images to terminal cells or pixels (see render.h).
 *
 * Cells: an image is first scaled into an 8-bit RGB raster (scratch grown, never
 * shrunk) of ow x oh pixels, then drawn two rows a cell: the top pixel is
 * the foreground of U+2580, the bottom one the background. Colour pairs
 * (fg, bg) are cached in an open-addressing table keyed by the two colours;
 * the table only grows within a frame, so a pair is never redefined while
 * a cell drawn in the same frame uses it. Symbols go through chafa
 * (pixels.c) and land in the same cells and pairs.
 *
 * Pixels (sixel, kitty, iTerm2): render_image() only reserves the cells
 * (dim spaces, which curses never clears with an erase-line, so it
 * rewrites them, wiping sixel pixels, only when something else takes
 * them) and records a placement; render_flush(), after the refresh,
 * writes the images that are new, moved, changed, or whose cells curses
 * rewrote, between DECSC and DECRC so curses' cursor stays right. Kitty
 * images carry ids and the ones gone are deleted by id. Encoded images
 * are kept in a small cache keyed by content, geometry and place, so a
 * strip that did not change is not encoded again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <time.h>

#include "base/util.h"
#include "pixels.h"
#include "place.h"
#include "render.h"

#define RAMP " .:-=+*#%@"
#define NO_COLOUR 0xffffffffu   /* the terminal's default background */

static enum render_mode mode = RENDER_RAMP;   /* cell colours */
static enum px_mode pmode = PX_TEXT;         /* how images are drawn */
static enum px_mode asked = PX_AUTO;         /* what was asked for */
static int smooth;                          /* bilinear upscaling */
static int have_utf8;
static struct px_term term;
static char term_name[256];

#define SYM_CW 8    /* the virtual cell of symbols: 8 x 16 pixels */
#define SYM_CH 16
#define DEFAULT_CW 10   /* graphics when the terminal does not say */
#define DEFAULT_CH 20

/* Symbols: the scratch raster, and the cells of recent images (chafa's
 * matching is the costly part, and most images of a frame did not
 * change since the last one). */
#define SYM_CACHE 24
struct sym_entry {
	uint64_t key;
	int cols, rows;
	unsigned long used;
	uint32_t *ch;   /* (rows, cols) */
	int *fg, *bg;
};
static struct sym_entry sym_cache[SYM_CACHE];
static unsigned long sym_clock;
static uint8_t *sym_px;
static size_t sym_px_cap;

/* The scaled raster. */
static uint8_t *px;      /* (oh, ow, 3) */
static size_t px_cap;

/* Pair cache: keys (fg << 32 | bg) + 1 (0 marks an empty slot). */
static uint64_t *pc_key;
static int *pc_pair;
static int pc_cap, pc_used, pc_max;

/* Is a direct-colour terminfo entry called name present? */
static int
have_terminfo(const char *name)
{
	TERMINAL *saved = cur_term, *t;
	int err = 0;

	if (setupterm(name, 1, &err) != OK || err != 1)
		return 0;
	t = cur_term;
	set_curterm(saved);
	del_curterm(t);
	return 1;
}

const char *
render_term_name(void)
{
	const char *ct = getenv("COLORTERM"), *t = getenv("TERM");
	size_t n;

	if (!ct || (strcmp(ct, "truecolor") && strcmp(ct, "24bit")) || !t || !*t ||
	    strstr(t, "direct") || getenv("NO_COLOR"))
		return NULL;
	n = strcspn(t, "-");
	if (n > 64)
		return NULL;
	snprintf(term_name, sizeof term_name, "%.*s-direct", (int)n, t);
	return have_terminfo(term_name) ? term_name : NULL;
}

/* The cell size in pixels graphics are made for. */
static int
cell_w(void)
{
	return term.cw > 0 ? term.cw : DEFAULT_CW;
}

static int
cell_h(void)
{
	return term.ch > 0 ? term.ch : DEFAULT_CH;
}

/* Do graphics go through tmux's passthrough (to the terminal outside)?
 * Not sixel when tmux itself said it has sixel (DA1 inside tmux). */
static int
wrapped(void)
{
	return term.tmux && !(pmode == PX_SIXEL && term.sixel);
}

/* The placement settings of the current mode. */
static struct place_cfg
cfg_now(void)
{
	return (struct place_cfg){ pmode, smooth, wrapped(), cell_w(), cell_h() };
}

/* The colour mode of cells and the pair table. */
static void
colours_pick(int utf8)
{
	const char *nc = getenv("NO_COLOR");
	int cap = 1;

	mode = RENDER_RAMP;
	if (!utf8 || (nc && *nc) || !has_colors())
		return;
	if (COLORS >= 0x1000000)
		mode = RENDER_TRUE;
	else if (COLORS >= 256)
		mode = RENDER_256;
	else
		return;
	pc_max = COLOR_PAIRS - RENDER_PAIR_BASE;
	if (pc_max > 30000)
		pc_max = 30000;
	while (cap < 2 * pc_max)
		cap <<= 1;
	pc_cap = cap;
	free(pc_key);
	free(pc_pair);
	pc_key = xcalloc((size_t)cap, sizeof *pc_key);
	pc_pair = xcalloc((size_t)cap, sizeof *pc_pair);
	pc_used = 0;
}

/* The mode m stands for here: auto picks, cell modes need colours. */
static enum px_mode
mode_for(enum px_mode m)
{
	const char *nc = getenv("NO_COLOR");

	if (m == PX_AUTO)
		m = !have_utf8 || (nc && *nc) ? PX_TEXT : px_best(&term);
	if (px_is_graphics(m))
		return m;
	if (mode == RENDER_RAMP)
		return PX_TEXT;
	return m;
}

int
render_detect(const char *spec, char *err, size_t errn)
{
	enum px_mode m = PX_AUTO;

	if (spec && px_parse(spec, &m, &smooth)) {
		snprintf(err, errn, "%s: want auto, kitty, sixel, iterm, symbols, half or text "
			 "(with ,smooth for smooth scaling)", spec);
		return -1;
	}
	asked = m;
	px_detect(&term, 0, 1, m == PX_AUTO || px_is_graphics(m), 150);
	return 0;
}

const char *
render_pending(int *n)
{
	*n = term.npending;
	return term.pending;
}

/* One byte from curses without waiting (-1: none). */
static int
get_now(void)
{
	int c = wgetch(stdscr);

	return c == ERR || c > 255 ? -1 : c;
}

int
render_late_reply(void)
{
	int back[64], n, i, delay = wgetdelay(stdscr), r;
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (!term.asked || term.queried || ts.tv_sec * 1000L + ts.tv_nsec / 1000000L - term.asked > 5000)
		return 0;
	wtimeout(stdscr, 0);
	r = px_late_reply(get_now, back, &n, 64);
	wtimeout(stdscr, delay);
	for (i = n - 1; i >= 0; i--)
		ungetch(back[i]);
	return r;
}

void
render_init(int utf8)
{
	have_utf8 = utf8;
	colours_pick(utf8);
	pmode = mode_for(asked);
	render_invalidate();
}

int
render_set(const char *spec, char *msg, size_t n)
{
	struct place_cfg old = cfg_now();
	enum px_mode m = asked;

	if (px_parse(spec, &m, &smooth)) {
		snprintf(msg, n, "pixels %s: want auto, kitty, sixel, iterm, symbols, half or text, "
			 "or smooth|crisp", spec);
		return -1;
	}
	asked = m;
	place_clear(stdout, &old);   /* kitty images go; cells are redrawn */
	pmode = mode_for(m);
	if (pmode != m && m != PX_AUTO)
		snprintf(msg, n, "pixels: %s needs 256 colours and UTF-8; showing %s", px_mode_name(m),
			 render_mode_long());
	else
		snprintf(msg, n, "pixels: %s%s%s", render_mode_long(), m == PX_AUTO ? " (auto)" : "",
			 smooth ? ", smooth" : "");
	return 0;
}

enum render_mode
render_mode(void)
{
	return mode;
}

const char *
render_mode_name(void)
{
	int tc = mode == RENDER_TRUE;

	switch (pmode) {
	case PX_HALF: return tc ? "half rgb" : "half 256";
	case PX_SYMBOLS: return tc ? "sym rgb" : "sym 256";
	case PX_TEXT: return "text";
	default: return px_mode_name(pmode);
	}
}

const char *
render_mode_long(void)
{
	static char s[80];
	const char *col = mode == RENDER_TRUE ? "truecolor" : "256 colours";

	if (pmode == PX_HALF || pmode == PX_SYMBOLS)
		snprintf(s, sizeof s, "%s (%s)", pmode == PX_HALF ? "half blocks" : "symbols", col);
	else if (px_is_graphics(pmode))
		snprintf(s, sizeof s, "%s%s (%dx%d px cells)", px_mode_name(pmode),
			 wrapped() ? " through tmux" : "", cell_w(), cell_h());
	else
		snprintf(s, sizeof s, "text");
	return s;
}

enum px_mode
render_pixels(void)
{
	return pmode;
}

void
render_begin(void)
{
	if (pc_used <= pc_max / 2)
		return;
	memset(pc_key, 0, (size_t)pc_cap * sizeof *pc_key);
	pc_used = 0;
}

/* The colour pair for (fg, bg), allocating it; 0 when none is left. */
static int
pair_of(uint32_t fg, uint32_t bg)
{
	uint64_t key = ((uint64_t)fg << 32 | bg) + 1;
	uint64_t h = key * 0x9e3779b97f4a7c15ull;
	int i = (int)(h >> 40) & (pc_cap - 1);

	while (pc_key[i] && pc_key[i] != key)
		i = (i + 1) & (pc_cap - 1);
	if (pc_key[i])
		return pc_pair[i];
	if (pc_used >= pc_max)
		return 0;
	pc_key[i] = key;
	pc_pair[i] = RENDER_PAIR_BASE + pc_used++;
	init_extended_pair(pc_pair[i], fg == NO_COLOUR ? -1 : (int)fg,
			   bg == NO_COLOUR ? -1 : (int)bg);
	return pc_pair[i];
}

/* Pixel size (oh, ow) of an h x w image fitted into rows x cols cells. */
static void
fit_px(int h, int w, int rows, int cols, int *poh, int *pow)
{
	double sx = (double)cols / w, sy = 2.0 * rows / h, s = sx < sy ? sx : sy;
	int ow, oh;

	if (s >= 1) {
		ow = w * (int)s;
		oh = h * (int)s;
	} else {
		ow = (int)(w * s);
		oh = (int)(h * s);
	}
	*pow = ow < 1 ? 1 : ow;
	*poh = oh < 1 ? 1 : oh;
}

void
render_fit(int h, int w, int rows, int cols, int *out_rows, int *out_cols)
{
	struct px_geom g;
	int oh, ow;

	if (pmode == PX_SYMBOLS || px_is_graphics(pmode)) {
		if (pmode == PX_SYMBOLS)
			px_geom(pmode, h, w, rows, cols, SYM_CW, SYM_CH, &g);
		else
			px_geom(pmode, h, w, rows, cols, cell_w(), cell_h(), &g);
		*out_rows = rows < 1 || cols < 1 ? 0 : g.rows;
		*out_cols = rows < 1 || cols < 1 ? 0 : g.cols;
		return;
	}
	fit_px(h, w, rows, cols, &oh, &ow);
	*out_cols = ow;
	*out_rows = (oh + 1) / 2;
}

/* Maps v in [lo, hi] to 0..255. */
static uint8_t
to_byte(float v, float lo, float hi)
{
	float t = (v - lo) / (hi - lo);

	t = t != t ? 0 : t < 0 ? 0 : t > 1 ? 1 : t;
	return (uint8_t)(t * 255.0f + 0.5f);
}

/* Box average of channel ch of img over [y0, y1) x [x0, x1). */
static float
box_mean(const float *img, int h, int w, int ch, int y0, int y1, int x0, int x1)
{
	double sum = 0;
	int y, x;

	for (y = y0; y < y1; y++)
		for (x = x0; x < x1; x++)
			sum += img[((size_t)ch * h + y) * w + x];
	return (float)(sum / ((double)(y1 - y0) * (x1 - x0)));
}

/* Scales img (c, h, w) into px (oh, ow, 3). */
static void
scale_image(const float *img, int c, int h, int w, float lo, float hi, int oh, int ow)
{
	size_t need = (size_t)oh * ow * 3;
	int oy, ox, k;

	if (need > px_cap) {
		px = xrealloc(px, need);
		px_cap = need;
	}
	for (oy = 0; oy < oh; oy++) {
		int y0 = (int)((long)oy * h / oh), y1 = (int)(((long)oy + 1) * h / oh);
		y1 = y1 > y0 ? y1 : y0 + 1;
		for (ox = 0; ox < ow; ox++) {
			int x0 = (int)((long)ox * w / ow), x1 = (int)(((long)ox + 1) * w / ow);
			uint8_t *p = px + ((size_t)oy * ow + ox) * 3;
			x1 = x1 > x0 ? x1 : x0 + 1;
			for (k = 0; k < 3; k++)
				p[k] = to_byte(box_mean(img, h, w, c == 3 ? k : 0, y0, y1, x0, x1), lo, hi);
		}
	}
}

/* Nearest 256-palette entry: the 6x6x6 cube or the gray ramp. */
static uint32_t
palette_256(const uint8_t *p)
{
	static const int lv[6] = { 0, 95, 135, 175, 215, 255 };
	int q[3], k, dc = 0, dg = 0, g, gi;

	for (k = 0; k < 3; k++) {
		q[k] = p[k] < 48 ? 0 : p[k] < 115 ? 1 : (p[k] - 35) / 40;
		dc += (p[k] - lv[q[k]]) * (p[k] - lv[q[k]]);
	}
	g = (p[0] + p[1] + p[2]) / 3;
	gi = g < 8 ? 0 : g > 238 ? 23 : (g - 3) / 10;
	for (k = 0; k < 3; k++)
		dg += (p[k] - (8 + 10 * gi)) * (p[k] - (8 + 10 * gi));
	if (dg < dc)
		return (uint32_t)(232 + gi);
	return (uint32_t)(16 + 36 * q[0] + 6 * q[1] + q[2]);
}

/* Terminal colour of a pixel in the current mode. */
static uint32_t
colour_of(const uint8_t *p)
{
	if (mode == RENDER_TRUE)
		return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
	return palette_256(p);
}

/* One half-block cell: top pixel t, bottom pixel b (NULL: none). */
static void
cell_half(WINDOW *win, int y, int x, const uint8_t *t, const uint8_t *b)
{
	int pair = pair_of(colour_of(t), b ? colour_of(b) : NO_COLOUR);
	cchar_t cc;

	setcchar(&cc, L"\u2580", A_NORMAL, 0, &pair);
	mvwadd_wch(win, y, x, &cc);
}

/* One text cell: a ramp character for the mean brightness of t and b. */
static void
cell_ramp(WINDOW *win, int y, int x, const uint8_t *t, const uint8_t *b)
{
	int v = t[0] + t[1] + t[2], n = 3, i;

	if (b) {
		v += b[0] + b[1] + b[2];
		n = 6;
	}
	i = v * (int)(sizeof RAMP - 1) / (n * 256);
	mvwaddch(win, y, x, (chtype)RAMP[i]);
}

/* Half blocks or text. */
static void
image_cells(WINDOW *win, int y, int x, int rows, int cols, const float *img, int c, int h,
	    int w, float lo, float hi)
{
	int ocol, oh, r, k;

	fit_px(h, w, rows, cols, &oh, &ocol);
	scale_image(img, c, h, w, lo, hi, oh, ocol);
	for (r = 0; r < (oh + 1) / 2; r++)
		for (k = 0; k < ocol; k++) {
			const uint8_t *t = px + ((size_t)(2 * r) * ocol + k) * 3;
			const uint8_t *b = 2 * r + 1 < oh ? t + (size_t)ocol * 3 : NULL;
			if (mode == RENDER_RAMP)
				cell_ramp(win, y + r, x + k, t, b);
			else
				cell_half(win, y + r, x + k, t, b);
		}
}

/* The key of an image drawn as symbols at a geometry. */
static uint64_t
sym_key(const float *img, int c, int h, int w, float lo, float hi, const struct px_geom *g)
{
	int v[8] = { c, h, w, g->cols, g->rows, mode, term.sextants, smooth };
	uint64_t k = px_hash(PX_HASH0, v, sizeof v);

	k = px_hash(k, &lo, sizeof lo);
	k = px_hash(k, &hi, sizeof hi);
	return px_hash(k, img, (size_t)c * h * w * sizeof *img);
}

/* The cached cells of key, or the least recently used entry refilled by
 * chafa from the image. */
static struct sym_entry *
sym_get(uint64_t key, const float *img, int c, int h, int w, float lo, float hi,
	const struct px_geom *g)
{
	struct sym_entry *e = &sym_cache[0];
	size_t m = (size_t)g->rows * g->cols;
	int i;

	for (i = 0; i < SYM_CACHE; i++) {
		struct sym_entry *x = &sym_cache[i];
		if (x->ch && x->key == key && x->cols == g->cols && x->rows == g->rows) {
			x->used = ++sym_clock;
			return x;
		}
		if (x->used < e->used)
			e = x;
	}
	if ((size_t)g->W * g->H * 4 > sym_px_cap)
		sym_px = xrealloc(sym_px, sym_px_cap = (size_t)g->W * g->H * 4);
	e->ch = xreallocarray(e->ch, m, sizeof *e->ch);
	e->fg = xreallocarray(e->fg, m, sizeof *e->fg);
	e->bg = xreallocarray(e->bg, m, sizeof *e->bg);
	px_scale(img, c, h, w, lo, hi, smooth, sym_px, g->W, g->H, g->ow, g->oh);
	px_symbols(sym_px, g->W, g->H, g->cols, g->rows, mode == RENDER_TRUE, term.sextants, e->ch,
		   e->fg, e->bg);
	*e = (struct sym_entry){ key, g->cols, g->rows, ++sym_clock, e->ch, e->fg, e->bg };
	return e;
}

/* chafa symbols in cells, colours from the pair table. */
static void
image_symbols(WINDOW *win, int y, int x, int rows, int cols, const float *img, int c, int h,
	      int w, float lo, float hi)
{
	struct sym_entry *e;
	struct px_geom g;
	int r, k;

	px_geom(PX_SYMBOLS, h, w, rows, cols, SYM_CW, SYM_CH, &g);
	e = sym_get(sym_key(img, c, h, w, lo, hi, &g), img, c, h, w, lo, hi, &g);
	for (r = 0; r < g.rows; r++)
		for (k = 0; k < g.cols; k++) {
			int i = r * g.cols + k, fg = e->fg[i], bg = e->bg[i];
			int pair = pair_of(fg < 0 ? NO_COLOUR : (uint32_t)fg, bg < 0 ? NO_COLOUR : (uint32_t)bg);
			wchar_t wc[2] = { (wchar_t)e->ch[i], 0 };
			cchar_t cc;
			setcchar(&cc, wc, A_NORMAL, 0, &pair);
			mvwadd_wch(win, y + r, x + k, &cc);
		}
}

void
render_image(WINDOW *win, int y, int x, int rows, int cols, const float *img, int c,
	     int h, int w, float lo, float hi)
{
	struct place_cfg cfg = cfg_now();
	struct px_geom g;

	if (rows < 1 || cols < 1 || !img || h < 1 || w < 1)
		return;
	if (px_is_graphics(pmode)) {
		px_geom(pmode, h, w, rows, cols, cfg.cw, cfg.ch, &g);
		place_image(win, y, x, &g, img, c, h, w, lo, hi, &cfg);
	} else if (pmode == PX_SYMBOLS) {
		image_symbols(win, y, x, rows, cols, img, c, h, w, lo, hi);
	} else {
		image_cells(win, y, x, rows, cols, img, c, h, w, lo, hi);
	}
}

void
render_area_px(int rows, int cols, int *h, int *w)
{
	if (px_is_graphics(pmode))
		*h = rows * cell_h(), *w = cols * cell_w();
	else if (pmode == PX_SYMBOLS)
		*h = rows * SYM_CH, *w = cols * SYM_CW;
	else
		*h = rows * 2, *w = cols;
}

#define RASTER_RING 4

void
render_raster(WINDOW *win, int y, int x, int rows, int cols, const uint8_t *pix, int c, int h,
	      int w)
{
	/* render_image() may only note the image and encode it later
	 * (render_prepare, graphics modes): the floats must outlive this call.
	 * A small ring of buffers, reused in turn, covers the rasters of a
	 * frame (one view at a time) and the frame after. */
	static float *ring[RASTER_RING];
	static size_t cap[RASTER_RING];
	static int next;
	size_t n = (size_t)h * w, i;
	float *img;
	int q, k;

	if (!pix || h < 1 || w < 1 || (c != 1 && c != 3))
		return;
	k = next, next = (next + 1) % RASTER_RING;
	if (cap[k] < n * c) {
		ring[k] = xreallocarray(ring[k], n * c, sizeof *ring[k]);
		cap[k] = n * c;
	}
	img = ring[k];
	for (q = 0; q < c; q++)
		for (i = 0; i < n; i++)
			img[q * n + i] = pix[i * c + q];
	render_image(win, y, x, rows, cols, img, c, h, w, 0, 255);
}

void
render_prepare(void)
{
	struct place_cfg cfg = cfg_now();

	if (px_is_graphics(pmode))
		place_prepare(&cfg);
}

size_t
render_flush(FILE *out)
{
	struct place_cfg cfg = cfg_now();

	return px_is_graphics(pmode) ? place_flush(out, &cfg) : 0;
}

void
render_invalidate(void)
{
	place_invalidate();
}

void
render_resized(void)
{
	int cw, ch;

	px_cell_size(1, &cw, &ch);
	if (cw > 0 && ch > 0) {
		term.cw = cw;
		term.ch = ch;
	}
	place_invalidate();
}

void
render_leave(FILE *out)
{
	struct place_cfg cfg = cfg_now();

	place_clear(out, &cfg);
}

void
render_done(void)
{
	int i;

	place_free();
	px_done();

	for (i = 0; i < SYM_CACHE; i++) {
		free(sym_cache[i].ch);
		free(sym_cache[i].fg);
		free(sym_cache[i].bg);
	}
	memset(sym_cache, 0, sizeof sym_cache);
	free(sym_px);
	free(pc_key);
	free(pc_pair);
	sym_px = NULL;
	pc_key = NULL;
	pc_pair = NULL;
	sym_px_cap = 0;
}
