/*
 * place.c: the graphics placements of a frame (see place.h).
 *
 * Invariants: prev[] are the placements on the terminal now (after the
 * last flush), cur[] the ones of the frame being drawn. A placement is
 * sent again only when no placement of prev has the same key (content,
 * geometry, place, mode), or curses rewrites one of its cells in this
 * refresh (which wipes sixel and iTerm2 pixels), or the screen was
 * cleared. Kitty placements of prev that are not kept are deleted by id;
 * sixel ones vanish as curses rewrites their cells with what replaces
 * them (they were dim spaces, which curses never leaves to an erase).
 * The image pointers of cur are only used before the refresh
 * (place_prepare), while the frame's images are still alive.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "base/util.h"
#include "place.h"

#define PLACE_MAX 64
#define ENC_MAX 40
#define ENC_KEEP_MAX (8u << 20)   /* encodings above this are not cached */

struct placement {
	int y, x, rows, cols;
	uint64_t key;
	unsigned id;            /* kitty image id */
	int send;               /* write it in this flush */
	int fresh_rect;         /* no placement of prev had these cells */
	const float *img;       /* valid until place_prepare */
	int c, h, w;
	float lo, hi;
	struct px_geom g;
	struct px_buf *bytes;   /* what to write (an entry of the cache) */
};

struct enc {
	uint64_t key;
	unsigned id;
	unsigned long used;
	struct px_buf b;
};

static struct placement cur[PLACE_MAX], prev[PLACE_MAX];
static int ncur, nprev, invalid = 1, kitty_all;
static struct enc cache[ENC_MAX];
static struct px_buf tmp;   /* an encoding too big to cache */
static unsigned long enc_clock;
static unsigned next_id = 1;
static uint8_t *raster;
static size_t raster_cap;

/* The key of an image at a place. */
static uint64_t
key_of(const struct placement *p, const struct place_cfg *cfg)
{
	int v[10] = { p->y, p->x, p->c, p->h, p->w, p->g.ow, p->g.oh, p->g.W, cfg->mode, cfg->smooth };
	uint64_t h = px_hash(PX_HASH0, v, sizeof v);

	h = px_hash(h, &p->lo, sizeof p->lo);
	h = px_hash(h, &p->hi, sizeof p->hi);
	h = px_hash(h, &p->g.H, sizeof p->g.H);
	return px_hash(h, p->img, (size_t)p->c * p->h * p->w * sizeof *p->img);
}

void
place_image(WINDOW *win, int y, int x, const struct px_geom *g, const float *img, int c, int h,
	    int w, float lo, float hi, const struct place_cfg *cfg)
{
	struct placement *p;
	cchar_t cc;
	int r, k;

	if (ncur >= PLACE_MAX || g->W < 1 || g->H < 1)
		return;
	p = &cur[ncur++];
	*p = (struct placement){ y, x, g->rows, g->cols, 0, 0, 0, 0, img, c, h, w, lo, hi, *g, NULL };
	p->key = key_of(p, cfg);
	setcchar(&cc, L" ", A_DIM, 0, NULL);
	for (r = 0; r < g->rows; r++)
		for (k = 0; k < g->cols; k++)
			mvwadd_wch(win, y + r, x + k, &cc);
}

/* Do two cells show the same thing? */
static int
cell_eq(const cchar_t *a, const cchar_t *b)
{
	wchar_t wa[CCHARW_MAX + 1] = { 0 }, wb[CCHARW_MAX + 1] = { 0 };
	attr_t aa, ab;
	short sa, sb;
	int pa = 0, pb = 0;

	getcchar(a, wa, &aa, &sa, &pa);
	getcchar(b, wb, &ab, &sb, &pb);
	return aa == ab && pa == pb && !wcscmp(wa, wb);
}

/* Will the refresh rewrite a cell of p (stdscr differs from curscr)? */
static int
rewritten(const struct placement *p)
{
	int cy, cx, r, k, diff = 0;
	cchar_t a, b;

	getyx(curscr, cy, cx);
	for (r = 0; r < p->rows && !diff; r++)
		for (k = 0; k < p->cols && !diff; k++) {
			mvwin_wch(stdscr, p->y + r, p->x + k, &a);
			mvwin_wch(curscr, p->y + r, p->x + k, &b);
			diff = !cell_eq(&a, &b);
		}
	wmove(curscr, cy, cx);
	return diff;
}

/* The cached encoding of key, or a new one from p's image. */
static struct px_buf *
encoding(struct placement *p, const struct place_cfg *cfg)
{
	size_t need = (size_t)p->g.W * p->g.H * 4;
	int i, old = 0;

	for (i = 0; i < ENC_MAX; i++) {
		if (cache[i].b.n && cache[i].key == p->key) {
			cache[i].used = ++enc_clock;
			p->id = cache[i].id;
			return &cache[i].b;
		}
		if (cache[i].used < cache[old].used)
			old = i;
	}
	if (need > raster_cap)
		raster = xrealloc(raster, raster_cap = need);
	px_scale(p->img, p->c, p->h, p->w, p->lo, p->hi, cfg->smooth, raster, p->g.W, p->g.H, p->g.ow,
		 p->g.oh);
	p->id = next_id++ & 0xffffff;
	next_id = next_id > 0xffffff ? 1 : next_id;
	cache[old].b.n = 0;
	px_encode(cfg->mode, raster, p->g.W, p->g.H, p->g.cols, p->g.rows, p->id, &cache[old].b);
	if (cache[old].b.n <= ENC_KEEP_MAX) {
		cache[old].key = p->key;
		cache[old].id = p->id;
		cache[old].used = ++enc_clock;
		return &cache[old].b;
	}
	tmp.n = 0;   /* too big to keep: used once */
	px_buf_add(&tmp, cache[old].b.s, cache[old].b.n);
	px_buf_free(&cache[old].b);
	cache[old].used = 0;
	return &tmp;
}

/* The placement of prev with the same cells as p (NULL: none). */
static struct placement *
prev_at(const struct placement *p)
{
	int i;

	for (i = 0; i < nprev; i++)
		if (prev[i].y == p->y && prev[i].x == p->x && prev[i].rows == p->rows &&
		    prev[i].cols == p->cols)
			return &prev[i];
	return NULL;
}

void
place_prepare(const struct place_cfg *cfg)
{
	int i, cleared = is_cleared(curscr) || is_cleared(stdscr);

	if (cleared)
		invalid = 1;
	for (i = 0; i < ncur; i++) {
		struct placement *p = &cur[i], *q = prev_at(p);
		int kept = q && !invalid && q->key == p->key &&
			   (cfg->mode == PX_KITTY || !rewritten(p));
		p->fresh_rect = !q || invalid;
		p->send = !kept;
		if (kept)
			p->id = q->id;
		else
			p->bytes = encoding(p, cfg);
		p->img = NULL;
	}
}

/* Deletes the kitty images of prev that cur does not keep. */
static void
kitty_deletes(struct px_buf *o)
{
	int i, j;

	if (kitty_all) {
		px_buf_add(o, "\033_Ga=d,d=A,q=2\033\\", 17);
		kitty_all = 0;
		return;
	}
	for (i = 0; i < nprev; i++) {
		int keep = 0;
		for (j = 0; j < ncur && !keep; j++)
			keep = cur[j].id == prev[i].id && !cur[j].send;
		if (!keep)
			px_kitty_delete(prev[i].id, o);
	}
}

/* Appends p's bytes at its place (erasing its cells first when sixel
 * or iTerm2 pixels of another image may lie under its padding). */
static void
emit(struct px_buf *o, const struct placement *p, const struct place_cfg *cfg)
{
	size_t from;
	int r;

	if (cfg->mode != PX_KITTY && p->fresh_rect)
		for (r = 0; r < p->rows; r++)
			px_buf_printf(o, "\033[%d;%dH\033[%dX", p->y + r + 1, p->x + 1, p->cols);
	px_buf_printf(o, "\033[%d;%dH", p->y + 1, p->x + 1);
	from = o->n;
	px_buf_add(o, p->bytes->s, p->bytes->n);
	if (cfg->tmux)
		px_tmux_wrap(o, from);
}

size_t
place_flush(FILE *out, const struct place_cfg *cfg)
{
	static struct px_buf o;
	int i;

	o.n = 0;
	if (cfg->mode == PX_KITTY)
		kitty_deletes(&o);
	for (i = 0; i < ncur; i++)
		if (cur[i].send)
			emit(&o, &cur[i], cfg);
	if (o.n) {
		fwrite("\0337\033[0m", 1, 6, out);
		fwrite(o.s, 1, o.n, out);
		fwrite("\0338", 1, 2, out);
		fflush(out);
	}
	memcpy(prev, cur, sizeof cur[0] * (size_t)ncur);
	nprev = ncur;
	ncur = 0;
	invalid = 0;
	return o.n ? o.n + 8 : 0;
}

void
place_invalidate(void)
{
	invalid = 1;
}

void
place_clear(FILE *out, const struct place_cfg *cfg)
{
	if (out && cfg && cfg->mode == PX_KITTY && nprev) {
		fputs("\0337\033_Ga=d,d=A,q=2\033\\\0338", out);
		fflush(out);
	} else if (cfg && cfg->mode == PX_KITTY) {
		kitty_all = 1;
	}
	nprev = ncur = 0;
	invalid = 1;
}

void
place_free(void)
{
	int i;

	for (i = 0; i < ENC_MAX; i++)
		px_buf_free(&cache[i].b);
	px_buf_free(&tmp);
	free(raster);
	raster = NULL;
	raster_cap = 0;
}
