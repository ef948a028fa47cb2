/*
 * pixels.c: RGBA rasters, libchafa's encoders and symbol matcher, and the
 * terminal query (see pixels.h).
 *
 * chafa objects are made once per geometry and kept in a small cache
 * (canvases are costly to create, cheap to redraw).
 * Kitty images are written here (kitty_encode), with their id, q=2 (no
 * replies, which would land in the key input) and C=1 (the cursor stays).
 */
#include <chafa.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "base/util.h"
#include "pixels.h"

static const char *const mode_names[PX_NMODES] = { "text", "half", "symbols", "sixel", "kitty",
						   "iterm" };

void
px_buf_add(struct px_buf *b, const void *p, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->n + n + 1)
			cap *= 2;
		b->s = xrealloc(b->s, cap);
		b->cap = cap;
	}
	memcpy(b->s + b->n, p, n);
	b->n += n;
	b->s[b->n] = 0;
}

void
px_buf_printf(struct px_buf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		px_buf_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

void
px_buf_free(struct px_buf *b)
{
	free(b->s);
	memset(b, 0, sizeof *b);
}

uint64_t
px_hash(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ull;
	return h;
}

const char *
px_mode_name(enum px_mode m)
{
	return m == PX_AUTO ? "auto" : m >= 0 && m < PX_NMODES ? mode_names[m] : "?";
}

int
px_is_graphics(enum px_mode m)
{
	return m == PX_SIXEL || m == PX_KITTY || m == PX_ITERM;
}

/* One word of a mode spec. */
static int
parse_word(const char *w, size_t n, enum px_mode *m, int *smooth)
{
	int i;

	if (n == 6 && !strncmp(w, "smooth", n))
		return *smooth = 1, 0;
	if (n == 5 && !strncmp(w, "crisp", n))
		return *smooth = 0, 0;
	if (n == 4 && !strncmp(w, "auto", n))
		return *m = PX_AUTO, 0;
	for (i = 0; i < PX_NMODES; i++)
		if (strlen(mode_names[i]) == n && !strncmp(w, mode_names[i], n))
			return *m = (enum px_mode)i, 0;
	return -1;
}

int
px_parse(const char *spec, enum px_mode *m, int *smooth)
{
	enum px_mode nm = *m;
	int ns = *smooth;

	while (spec && *spec) {
		size_t n = strcspn(spec, ",");
		if (parse_word(spec, n, &nm, &ns))
			return -1;
		spec += n + (spec[n] == ',');
	}
	*m = nm;
	*smooth = ns;
	return 0;
}

/* ---- scaling ---- */

/* Maps v in [lo, hi] to 0..255. */
static uint8_t
to_byte(float v, float lo, float hi)
{
	float t = (v - lo) / (hi - lo);

	t = t != t ? 0 : t < 0 ? 0 : t > 1 ? 1 : t;
	return (uint8_t)(t * 255.0f + 0.5f);
}

/* Channel value of img at (y, x), channel k (gray images: channel 0). */
static float
at(const float *img, int c, int h, int w, int k, int y, int x)
{
	return img[((size_t)(c == 3 ? k : 0) * h + y) * w + x];
}

/* Box mean over source rows [y0, y1), columns [x0, x1). */
static float
box(const float *img, int c, int h, int w, int k, int y0, int y1, int x0, int x1)
{
	double s = 0;
	int y, x;

	for (y = y0; y < y1; y++)
		for (x = x0; x < x1; x++)
			s += at(img, c, h, w, k, y, x);
	return (float)(s / ((double)(y1 - y0) * (x1 - x0)));
}

/* Bilinear sample at source coordinates (sy, sx) (pixel centres at .5). */
static float
bilinear(const float *img, int c, int h, int w, int k, double sy, double sx)
{
	int y0, x0, y1, x1;
	double fy, fx;

	sy = sy - 0.5 < 0 ? 0 : sy - 0.5;
	sx = sx - 0.5 < 0 ? 0 : sx - 0.5;
	y0 = (int)sy;
	x0 = (int)sx;
	y0 = y0 > h - 1 ? h - 1 : y0;
	x0 = x0 > w - 1 ? w - 1 : x0;
	y1 = y0 + 1 < h ? y0 + 1 : y0;
	x1 = x0 + 1 < w ? x0 + 1 : x0;
	fy = sy - y0;
	fx = sx - x0;
	fy = fy > 1 ? 1 : fy;
	fx = fx > 1 ? 1 : fx;
	return (float)((1 - fy) * ((1 - fx) * at(img, c, h, w, k, y0, x0) + fx * at(img, c, h, w, k, y0, x1)) +
		       fy * ((1 - fx) * at(img, c, h, w, k, y1, x0) + fx * at(img, c, h, w, k, y1, x1)));
}

/* One output pixel (ox, oy) of an ow x oh scaling. */
static void
scale_px(const float *img, int c, int h, int w, float lo, float hi, int smooth, int ow, int oh,
	 int oy, int ox, uint8_t *p)
{
	int k;

	for (k = 0; k < 3; k++) {
		float v;
		if (ow >= w && oh >= h && smooth) {
			v = bilinear(img, c, h, w, k, (oy + 0.5) * h / oh, (ox + 0.5) * w / ow);
		} else {
			int y0 = (int)((long)oy * h / oh), y1 = (int)(((long)oy + 1) * h / oh);
			int x0 = (int)((long)ox * w / ow), x1 = (int)(((long)ox + 1) * w / ow);
			v = box(img, c, h, w, k, y0, y1 > y0 ? y1 : y0 + 1, x0, x1 > x0 ? x1 : x0 + 1);
		}
		p[k] = to_byte(v, lo, hi);
	}
	p[3] = 255;
}

void
px_scale(const float *img, int c, int h, int w, float lo, float hi, int smooth, uint8_t *rgba,
	 int W, int H, int ow, int oh)
{
	int y, x;

	memset(rgba, 0, (size_t)W * H * 4);
	ow = ow > W ? W : ow;
	oh = oh > H ? H : oh;
	for (y = 0; y < oh; y++)
		for (x = 0; x < ow; x++)
			scale_px(img, c, h, w, lo, hi, smooth, ow, oh, y, x, rgba + ((size_t)y * W + x) * 4);
}

void
px_geom(enum px_mode m, int h, int w, int rows, int cols, int cw, int ch, struct px_geom *g)
{
	int avail = rows * ch;
	double sx, sy, s;

	if (m == PX_SIXEL)
		avail = avail / 6 * 6;
	sx = (double)cols * cw / w;
	sy = (double)avail / h;
	s = sx < sy ? sx : sy;
	g->ow = (int)(w * s + 1e-9);
	g->oh = (int)(h * s + 1e-9);
	g->ow = g->ow < 1 ? 1 : g->ow;
	g->oh = g->oh < 1 ? 1 : g->oh;
	g->cols = (g->ow + cw - 1) / cw;
	g->rows = (g->oh + ch - 1) / ch;
	g->W = g->cols * cw;
	g->H = g->rows * ch;
	if (m == PX_SIXEL) {
		g->H = g->H / 6 * 6;
		if (g->oh > g->H) {   /* keep the aspect */
			g->oh = g->H;
			g->ow = (int)((double)w * g->oh / h + 1e-9);
			g->ow = g->ow < 1 ? 1 : g->ow;
		}
	}
}

/* ---- chafa ---- */

#define CANVAS_CACHE 8

struct canvas_slot {
	ChafaCanvas *cv;
	int mode, W, H, cols, rows, tc, sext;
	unsigned long used;
};

static struct canvas_slot slots[CANVAS_CACHE];
static unsigned long slot_clock;
static ChafaTermInfo *term_info;

/* A new canvas for a geometry: pixels (sixel: one cell of W x H pixels,
 * so chafa does not rescale) or symbols. */
static ChafaCanvas *
canvas_new(int mode, int W, int H, int cols, int rows, int tc, int sext)
{
	ChafaCanvasConfig *cc = chafa_canvas_config_new();
	ChafaCanvas *cv;

	if (mode == PX_SYMBOLS) {
		ChafaSymbolMap *sm = chafa_symbol_map_new();
		chafa_symbol_map_add_by_tags(sm, CHAFA_SYMBOL_TAG_SPACE | CHAFA_SYMBOL_TAG_SOLID |
						     CHAFA_SYMBOL_TAG_HALF | CHAFA_SYMBOL_TAG_QUAD |
						     (sext ? CHAFA_SYMBOL_TAG_SEXTANT : 0));
		chafa_canvas_config_set_symbol_map(cc, sm);
		chafa_symbol_map_unref(sm);
		chafa_canvas_config_set_geometry(cc, cols, rows);
		chafa_canvas_config_set_canvas_mode(cc, tc ? CHAFA_CANVAS_MODE_TRUECOLOR
							  : CHAFA_CANVAS_MODE_INDEXED_240);
		chafa_canvas_config_set_work_factor(cc, 0.6f);
	} else if (mode == PX_SIXEL) {
		chafa_canvas_config_set_geometry(cc, 1, 1);
		chafa_canvas_config_set_cell_geometry(cc, W, H);
	} else {
		chafa_canvas_config_set_geometry(cc, cols, rows);
		chafa_canvas_config_set_cell_geometry(cc, W / cols, H / rows);
	}
	chafa_canvas_config_set_pixel_mode(cc, mode == PX_SIXEL ? CHAFA_PIXEL_MODE_SIXELS
					       : mode == PX_KITTY ? CHAFA_PIXEL_MODE_KITTY
					       : mode == PX_ITERM ? CHAFA_PIXEL_MODE_ITERM2
								  : CHAFA_PIXEL_MODE_SYMBOLS);
	chafa_canvas_config_set_dither_mode(cc, CHAFA_DITHER_MODE_NONE);
	chafa_canvas_config_set_preprocessing_enabled(cc, FALSE);
	cv = chafa_canvas_new(cc);
	chafa_canvas_config_unref(cc);
	return cv;
}

/* The cached canvas for a geometry, made when missing (least recently
 * used one replaced). */
static ChafaCanvas *
canvas_get(int mode, int W, int H, int cols, int rows, int tc, int sext)
{
	int i, old = 0;

	for (i = 0; i < CANVAS_CACHE; i++) {
		struct canvas_slot *s = &slots[i];
		if (s->cv && s->mode == mode && s->W == W && s->H == H && s->cols == cols &&
		    s->rows == rows && s->tc == tc && s->sext == sext) {
			s->used = ++slot_clock;
			return s->cv;
		}
		if (slots[i].used < slots[old].used)
			old = i;
	}
	if (slots[old].cv)
		chafa_canvas_unref(slots[old].cv);
	slots[old] = (struct canvas_slot){ canvas_new(mode, W, H, cols, rows, tc, sext), mode, W, H,
					   cols, rows, tc, sext, ++slot_clock };
	return slots[old].cv;
}

/* chafa's full sequence table (the fallback entry knows every protocol). */
static ChafaTermInfo *
term_get(void)
{
	if (!term_info)
		term_info = chafa_term_db_get_fallback_info(chafa_term_db_get_default());   /* new, owned */
	return term_info;
}

/* Appends n bytes as base64. */
static void
base64(struct px_buf *out, const uint8_t *p, size_t n)
{
	static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char q[4];
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		q[0] = t[v >> 18], q[1] = t[v >> 12 & 63], q[2] = t[v >> 6 & 63], q[3] = t[v & 63];
		px_buf_add(out, q, 4);
	}
	if (i < n) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0);
		q[0] = t[v >> 18], q[1] = t[v >> 12 & 63];
		q[2] = i + 1 < n ? t[v >> 6 & 63] : '=', q[3] = '=';
		px_buf_add(out, q, 4);
	}
}

/* The kitty graphics protocol, written here: chafa 1.12 sends kitty
 * images through its scaler even at 1:1, which perturbs the alpha of one
 * pixel in 128. RGBA deflated (o=z: an upscaled image is mostly runs, so
 * a tenth of the bytes or less), in chunks of 4096 base64 characters, the
 * first carrying the keys: id, q=2 (no replies), C=1 (the cursor stays). */
static void
kitty_encode(const uint8_t *rgba, int W, int H, int cols, int rows, unsigned id, struct px_buf *out)
{
	static uint8_t *z;
	static uLongf zcap;
	uLong n = (uLong)W * H * 4;
	uLongf zn = compressBound(n);
	size_t off = 0, k;

	if (zn > zcap)
		z = xrealloc(z, zcap = zn);
	if (compress2(z, &zn, rgba, n, 1) != Z_OK)
		return;
	px_buf_printf(out, "\033_Ga=T,q=2,C=1,i=%u,f=32,o=z,s=%d,v=%d,c=%d,r=%d,", id, W, H, cols, rows);
	do {
		k = zn - off > 3072 ? 3072 : zn - off;
		if (off)
			px_buf_add(out, "\033_G", 3);
		px_buf_add(out, off + k < zn ? "m=1;" : "m=0;", 4);
		base64(out, z + off, k);
		px_buf_add(out, "\033\\", 2);
		off += k;
	} while (off < zn);
}

void
px_encode(enum px_mode m, const uint8_t *rgba, int W, int H, int cols, int rows, unsigned id,
	  struct px_buf *out)
{
	ChafaCanvas *cv;
	GString *s;

	if (W < 1 || H < 1 || cols < 1 || rows < 1 || !px_is_graphics(m))
		return;
	if (m == PX_KITTY) {
		kitty_encode(rgba, W, H, cols, rows, id, out);
		return;
	}
	cv = canvas_get(m, W, H, cols, rows, 1, 0);
	chafa_canvas_draw_all_pixels(cv, CHAFA_PIXEL_RGBA8_UNASSOCIATED, rgba, W, H, W * 4);
	s = chafa_canvas_print(cv, term_get());
	px_buf_add(out, s->str, s->len);
	g_string_free(s, TRUE);
}

void
px_kitty_delete(unsigned id, struct px_buf *out)
{
	px_buf_printf(out, "\033_Ga=d,d=I,i=%u,q=2\033\\", id);
}

void
px_tmux_wrap(struct px_buf *out, size_t from)
{
	struct px_buf w = { 0 };
	size_t i;

	px_buf_add(&w, "\033Ptmux;", 7);
	for (i = from; i < out->n; i++) {
		if (out->s[i] == '\033')
			px_buf_add(&w, "\033", 1);
		px_buf_add(&w, out->s + i, 1);
	}
	px_buf_add(&w, "\033\\", 2);
	out->n = from;
	px_buf_add(out, w.s, w.n);
	px_buf_free(&w);
}

void
px_symbols(const uint8_t *rgba, int W, int H, int cols, int rows, int truecolor, int sextants,
	   uint32_t *ch, int *fg, int *bg)
{
	ChafaCanvas *cv = canvas_get(PX_SYMBOLS, 0, 0, cols, rows, truecolor, sextants);
	int y, x;

	chafa_canvas_draw_all_pixels(cv, CHAFA_PIXEL_RGBA8_UNASSOCIATED, rgba, W, H, W * 4);
	for (y = 0; y < rows; y++)
		for (x = 0; x < cols; x++) {
			int i = y * cols + x;
			ch[i] = chafa_canvas_get_char_at(cv, x, y);
			if (truecolor)
				chafa_canvas_get_colors_at(cv, x, y, &fg[i], &bg[i]);
			else
				chafa_canvas_get_raw_colors_at(cv, x, y, &fg[i], &bg[i]);
		}
}

void
px_threads(int n)
{
	chafa_set_n_threads(n < 1 ? -1 : n);
}

void
px_done(void)
{
	int i;

	for (i = 0; i < CANVAS_CACHE; i++)
		if (slots[i].cv)
			chafa_canvas_unref(slots[i].cv);
	memset(slots, 0, sizeof slots);
	if (term_info)
		chafa_term_info_unref(term_info);
	term_info = NULL;
}
