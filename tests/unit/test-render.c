/*
 * test-render.c: the explorer's pixel backends at the byte level
 * (ui/render/pixels.c, linked without curses).
 *
 * The reference image is what the explorer writes as its preview: the
 * float image through ls_grid_compose() and ls_png_write(), read back
 * with ls_png_read(). Each backend's bytes are decoded here by code of
 * the test's own (base64; the kitty graphics packets; the TIFF inside an
 * iTerm2 inline image; zlib's inflate for kitty's o=z; a sixel decoder: colour registers, repeats,
 * carriage returns and band feeds) and compared pixel by pixel with the
 * reference scaled by nearest neighbour to the geometry px_geom() gives,
 * which is checked against hand-computed cases first. Sixel colours go
 * through percent and a palette, so they are compared within 4/255.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "linscope/png.h"
#include "linscope/status.h"
#include "tests/lib/tap.h"
#include "ui/render/pixels.h"

/* ---- the reference ---- */

#define IH 5
#define IW 7

/* A colour image (3, IH, IW) in [0, 1] with a few distinct colours. */
static void
make_image(float *img)
{
	int k, y, x;

	for (k = 0; k < 3; k++)
		for (y = 0; y < IH; y++)
			for (x = 0; x < IW; x++)
				img[(k * IH + y) * IW + x] = (float)(((x + 2 * y + k) % 4) / 3.0);
}

/* The preview PNG of img, read back (IH, IW, 3). */
static struct ls_raster
reference(const float *img)
{
	struct ls_grid_opts o = { 1, 1, 0, 0, 0.0f, 1.0f, NULL };
	struct ls_raster r, back = { 0 };
	char err[LS_ERR_MAX], path[512];
	const char *dir = tmpdir();
	enum ls_status st;

	ls_grid_compose(img, 1, 3, IH, IW, &o, &r);
	snprintf(path, sizeof path, "%s/preview.png", dir);
	ok(ls_png_write(path, &r, err) == LS_OK, "the preview PNG is written");
	st = ls_png_read(path, 3, &back, err);
	ok(st == LS_OK && back.w == IW && back.h == IH, "and read back %dx%d", back.w, back.h);
	ls_raster_free(&r);
	unlink(path);
	rmdir(dir);
	return back;
}

/* ---- decoders of the test's own ---- */

static int
b64_val(int c)
{
	const char *t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(t, c) : NULL;

	return p ? (int)(p - t) : -1;
}

/* Appends the base64 text s[0..n) decoded to out; returns bytes added. */
static size_t
b64_decode(const char *s, size_t n, uint8_t *out)
{
	size_t i, o = 0;
	unsigned acc = 0;
	int bits = 0;

	for (i = 0; i < n && s[i] != '='; i++) {
		int v = b64_val((unsigned char)s[i]);
		if (v < 0)
			continue;
		acc = acc << 6 | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	return o;
}

/* Kitty: the keys of the first packet, then the payload of every packet
 * (m=1 on all but the last, m=0 on the last). */
static int
kitty_decode(const char *s, size_t n, int *W, int *H, int *cols, int *rows, unsigned *id,
	     uint8_t *out, size_t *outn)
{
	const char *p = s, *end = s + n;
	int f = 0, last = 0, np = 0;

	if (sscanf(s, "\033_Ga=T,q=2,C=1,i=%u,f=%d,o=z,s=%d,v=%d,c=%d,r=%d,", id, &f, W, H, cols, rows) != 6 ||
	    f != 32)
		return -1;
	*outn = 0;
	while (p < end && !last) {
		const char *m = strstr(p, "m="), *semi = m ? strchr(m, ';') : NULL;
		const char *e = semi ? strstr(semi, "\033\\") : NULL;
		if (strncmp(p, "\033_G", 3) || !e || (np && m != p + 3))
			return -1;
		last = m[2] == '0';
		*outn += b64_decode(semi + 1, (size_t)(e - semi - 1), out + *outn);
		p = e + 2;
		np++;
	}
	return last && p == end ? np : -1;
}

/* Inflates the zlib stream in[0..n) into out (cap bytes); its length. */
static size_t
inflate_all(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	uLongf on = cap;

	return uncompress(out, &on, in, n) == Z_OK ? on : 0;
}

static unsigned
le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static unsigned
le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (unsigned)p[3] << 24;
}

/* An uncompressed little-endian TIFF: its size, samples and pixels. */
static const uint8_t *
tiff_pixels(const uint8_t *t, size_t n, int *w, int *h, int *spp)
{
	unsigned ifd = le32(t + 4), k, cnt, off = 0, comp = 1;

	if (n < 8 || memcmp(t, "II*\0", 4) || ifd + 2 > n)
		return NULL;
	cnt = le16(t + ifd);
	for (k = 0; k < cnt && ifd + 2 + 12 * (k + 1) <= n; k++) {
		const uint8_t *e = t + ifd + 2 + 12 * k;
		unsigned tag = le16(e), type = le16(e + 2), v = type == 3 ? le16(e + 8) : le32(e + 8);
		if (tag == 256) *w = (int)v;
		if (tag == 257) *h = (int)v;
		if (tag == 259) comp = v;
		if (tag == 273) off = le32(e + 4) == 1 ? v : le32(t + v);
		if (tag == 277) *spp = (int)v;
	}
	return comp == 1 && off < n ? t + off : NULL;
}

/* Sixel: rgba (W, H, 4) with alpha 255 where a pixel was set. */
static int
sixel_decode(const char *s, size_t n, int *W, int *H, uint8_t **rgba)
{
	const char *p = strchr(s, 'q'), *end = s + n;
	int reg[256][3] = { { 0 } }, cur = 0, x = 0, band = 0, pan, pad;

	if (strncmp(s, "\033P", 2) || !p || sscanf(p + 1, "\"%d;%d;%d;%d", &pan, &pad, W, H) != 4)
		return -1;
	*rgba = calloc((size_t)*W * *H * 4, 1);
	for (p = strchr(p + 1, '#'); p && p < end && strncmp(p, "\033\\", 2); ) {
		int reps = 1, c, r, g, b, bit, u;
		if (*p == '#') {
			int m = sscanf(p + 1, "%d;%d;%d;%d;%d", &c, &u, &r, &g, &b);
			p++;
			while (*p >= '0' && *p <= '9') p++;
			if (m == 5) {
				reg[c][0] = (r * 255 + 50) / 100, reg[c][1] = (g * 255 + 50) / 100;
				reg[c][2] = (b * 255 + 50) / 100;
				while (*p == ';' || (*p >= '0' && *p <= '9'))
					p++;
			}
			cur = c;
			continue;
		}
		if (*p == '$') { x = 0; p++; continue; }
		if (*p == '-') { x = 0; band++; p++; continue; }
		if (*p == '!') {
			reps = atoi(p + 1);
			p++;
			while (*p >= '0' && *p <= '9') p++;
		}
		if (*p < '?' || *p > '~')
			return -1;
		for (; reps > 0; reps--, x++)
			for (bit = 0; bit < 6; bit++) {
				int y = band * 6 + bit;
				uint8_t *q;
				if (!((*p - '?') >> bit & 1) || y >= *H || x >= *W)
					continue;
				q = *rgba + ((size_t)y * *W + x) * 4;
				q[0] = (uint8_t)reg[cur][0], q[1] = (uint8_t)reg[cur][1];
				q[2] = (uint8_t)reg[cur][2], q[3] = 255;
			}
		p++;
	}
	return 0;
}

/* ---- comparisons ---- */

/* Max |difference| between a raster (W wide, 4 channels) and the
 * reference scaled by nearest neighbour to ow x oh; counts pixels of the
 * image area that are not opaque, and padding pixels that are not clear. */
static int
compare(const uint8_t *px, int W, int H, int ow, int oh, const struct ls_raster *ref, int *bad_alpha)
{
	int x, y, k, worst = 0;

	*bad_alpha = 0;
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++) {
			const uint8_t *p = px + ((size_t)y * W + x) * 4;
			const uint8_t *q;
			if (x >= ow || y >= oh) {
				*bad_alpha += p[3] != 0;
				continue;
			}
			*bad_alpha += p[3] != 255;
			q = ref->px + ((size_t)(y * ref->h / oh) * ref->w + x * ref->w / ow) * 3;
			for (k = 0; k < 3; k++) {
				int d = abs((int)p[k] - (int)q[k]);
				worst = d > worst ? d : worst;
			}
		}
	return worst;
}

static void
test_parse_geom(void)
{
	enum px_mode m = PX_AUTO;
	struct px_geom g;
	int smooth = 0;

	ok(!px_parse("sixel", &m, &smooth) && m == PX_SIXEL && !smooth, "parse: sixel");
	ok(!px_parse("kitty,smooth", &m, &smooth) && m == PX_KITTY && smooth, "parse: kitty,smooth");
	ok(!px_parse("crisp", &m, &smooth) && m == PX_KITTY && !smooth, "parse: crisp keeps the mode");
	ok(px_parse("sixels", &m, &smooth) == -1 && m == PX_KITTY, "parse: an unknown word fails, changes nothing");
	ok(!px_parse("auto", &m, &smooth) && m == PX_AUTO, "parse: auto");
	/* 28x28 in 30 x 14 cells of 6 x 13: width bound, 180 px = 30 cells. */
	px_geom(PX_KITTY, 28, 28, 14, 30, 6, 13, &g);
	ok(g.ow == 180 && g.oh == 180 && g.cols == 30 && g.rows == 14 && g.W == 180 && g.H == 182,
	   "geometry: 28x28 in 30x14 cells of 6x13 is 180x180 px in 30x14 cells (got %dx%d in %dx%d)",
	   g.ow, g.oh, g.cols, g.rows);
	/* Sixel: 14 rows of 13 px = 182, bands of 6 -> 180. */
	px_geom(PX_SIXEL, 28, 28, 14, 30, 6, 13, &g);
	ok(g.oh == 180 && g.H == 180, "sixel: the raster is 180 rows, a multiple of 6 (got %d)", g.H);
	/* Height bound: 28x28 in 40 x 5 cells of 8 x 16: 80 px, 10 cells wide. */
	px_geom(PX_KITTY, 28, 28, 5, 40, 8, 16, &g);
	ok(g.ow == 80 && g.oh == 80 && g.cols == 10 && g.rows == 5, "geometry: height bound, 80x80 in 10x5 cells");
	/* 4 rows of 13 = 52 px; 50 px tall fits but its cells give 48 for sixel. */
	px_geom(PX_SIXEL, 50, 50, 4, 40, 6, 13, &g);
	ok(g.H == 48 && g.oh == 48 && g.ow == 48, "sixel: the last band that does not fit shrinks the image, aspect kept");
}

static void
test_scale(void)
{
	const float img[4] = { 0, 1, 0.5f, 0.25f };   /* 1 x 2 x 2 gray */
	uint8_t px[8 * 7 * 4];
	int x, y, fails = 0;

	px_scale(img, 1, 2, 2, 0, 1, 0, px, 8, 7, 6, 6);
	for (y = 0; y < 7; y++)
		for (x = 0; x < 8; x++) {
			const uint8_t *p = px + (y * 8 + x) * 4;
			int in = x < 6 && y < 6;
			int want = in ? (int)(img[(y / 3) * 2 + x / 3] * 255 + 0.5f) : 0;
			fails += p[0] != want || p[1] != want || p[2] != want || p[3] != (in ? 255 : 0);
		}
	ok(!fails, "nearest neighbour x3: 3x3 blocks of each pixel, clear padding (%d wrong)", fails);
}

static void
test_kitty(const float *img, const struct ls_raster *ref)
{
	struct px_buf b = { 0 };
	struct px_geom g;
	uint8_t *scaled, *dec, *z;
	int W, H, cols, rows, bad, worst;
	unsigned id = 0;
	size_t n = 0;

	px_geom(PX_KITTY, IH, IW, 4, 9, 8, 16, &g);   /* 72 x 64 px */
	scaled = malloc((size_t)g.W * g.H * 4);
	px_scale(img, 3, IH, IW, 0, 1, 0, scaled, g.W, g.H, g.ow, g.oh);
	px_encode(PX_KITTY, scaled, g.W, g.H, g.cols, g.rows, 4242, &b);
	dec = malloc((size_t)g.W * g.H * 4 + 16);
	z = malloc(b.n);
	bad = kitty_decode(b.s, b.n, &W, &H, &cols, &rows, &id, z, &n) < 1;
	n = bad ? 0 : inflate_all(z, n, dec, (size_t)g.W * g.H * 4 + 16);
	ok(!bad,
	   "kitty: a=T with the id, no replies, cursor kept; chunks, the last m=0");
	ok(id == 4242 && W == g.W && H == g.H && cols == g.cols && rows == g.rows,
	   "kitty: id 4242, %dx%d px in %dx%d cells", W, H, cols, rows);
	ok(n == (size_t)g.W * g.H * 4, "kitty: the payload inflates (o=z) to %dx%d RGBA (%zu bytes)", g.W, g.H, n);
	worst = n == (size_t)g.W * g.H * 4 ? compare(dec, g.W, g.H, g.ow, g.oh, ref, &bad) : -1;
	ok(worst >= 0 && worst <= 1 && !bad,
	   "kitty: the payload is the preview PNG scaled (max diff %d, %d alpha wrong)", worst, bad);
	b.n = 0;
	px_kitty_delete(4242, &b);
	ok(!strcmp(b.s, "\033_Ga=d,d=I,i=4242,q=2\033\\"), "kitty: delete by id frees the image");
	free(scaled);
	free(dec);
	free(z);
	px_buf_free(&b);
}

/* An incompressible raster takes several chunks, all but the last m=1,
 * and comes back byte for byte. */
static void
test_kitty_chunks(void)
{
	enum { KW = 64, KH = 64 };
	static uint8_t px[KW * KH * 4], dec[KW * KH * 4 + 16];
	struct px_buf b = { 0 };
	unsigned seed = 7, id = 0;
	int W, H, cols, rows, np, i;
	uint8_t *z;
	size_t n = 0;

	for (i = 0; i < KW * KH * 4; i++)
		px[i] = (uint8_t)(rand_r(&seed) >> 7);
	px_encode(PX_KITTY, px, KW, KH, 8, 4, 9, &b);
	z = malloc(b.n);
	np = kitty_decode(b.s, b.n, &W, &H, &cols, &rows, &id, z, &n);
	n = np > 0 ? inflate_all(z, n, dec, sizeof dec) : 0;
	ok(np > 4 && n == sizeof px && !memcmp(dec, px, n),
	   "kitty: a noise raster takes %d chunks and comes back exactly", np);
	free(z);
	px_buf_free(&b);
}

static void
test_iterm(const float *img, const struct ls_raster *ref)
{
	struct px_buf b = { 0 };
	struct px_geom g;
	uint8_t *scaled, *tiff;
	const uint8_t *pix;
	int cols = 0, rows = 0, w = 0, h = 0, spp = 0, bad = 0, worst = -1, hdr = 0;
	const char *colon;
	size_t n;

	px_geom(PX_ITERM, IH, IW, 3, 20, 7, 15, &g);
	scaled = malloc((size_t)g.W * g.H * 4);
	px_scale(img, 3, IH, IW, 0, 1, 0, scaled, g.W, g.H, g.ow, g.oh);
	px_encode(PX_ITERM, scaled, g.W, g.H, g.cols, g.rows, 0, &b);
	hdr = sscanf(b.s, "\033]1337;File=inline=1;width=%d;height=%d;", &cols, &rows) == 2;
	ok(hdr && cols == g.cols && rows == g.rows, "iterm: OSC 1337 inline, %dx%d cells", cols, rows);
	colon = strchr(b.s, ':');
	tiff = malloc(b.n);
	n = colon ? b64_decode(colon + 1, b.n - (size_t)(colon + 1 - b.s), tiff) : 0;
	pix = tiff_pixels(tiff, n, &w, &h, &spp);
	ok(pix && w == g.W && h == g.H && spp == 4, "iterm: an uncompressed %dx%d TIFF, %d samples", w, h, spp);
	if (pix && spp == 4 && w == g.W && h == g.H)
		worst = compare(pix, w, h, g.ow, g.oh, ref, &bad);
	ok(worst >= 0 && worst <= 1 && !bad, "iterm: the image is the preview PNG scaled (max diff %d, %d alpha wrong)",
	   worst, bad);
	free(scaled);
	free(tiff);
	px_buf_free(&b);
}

static void
test_sixel(const float *img, const struct ls_raster *ref)
{
	struct px_buf b = { 0 };
	struct px_geom g;
	uint8_t *scaled, *dec = NULL;
	int W = 0, H = 0, bad = 0, worst = -1;

	px_geom(PX_SIXEL, IH, IW, 5, 12, 6, 13, &g);   /* 65 px tall -> 60 */
	ok(g.H % 6 == 0 && g.H <= 5 * 13, "sixel: raster %dx%d within the cells", g.W, g.H);
	scaled = malloc((size_t)g.W * g.H * 4);
	px_scale(img, 3, IH, IW, 0, 1, 0, scaled, g.W, g.H, g.ow, g.oh);
	px_encode(PX_SIXEL, scaled, g.W, g.H, g.cols, g.rows, 0, &b);
	ok(!strncmp(b.s, "\033P0;1;0q", 8), "sixel: DCS with transparent background (P2 = 1)");
	bad = sixel_decode(b.s, b.n, &W, &H, &dec);
	ok(bad == 0 && W == g.W && H == g.H,
	   "sixel: the stream parses, raster %dx%d", W, H);
	if (dec && W == g.W && H == g.H)
		worst = compare(dec, W, H, g.ow, g.oh, ref, &bad);
	ok(worst >= 0 && worst <= 4 && !bad,
	   "sixel: its raster is the preview PNG scaled (max diff %d of 255, %d pixels set wrong)", worst, bad);
	ok(b.n > 2 && !strcmp(b.s + b.n - 2, "\033\\"), "sixel: ends with ST");
	free(scaled);
	free(dec);
	px_buf_free(&b);
}

/* The replies of xterm -ti vt340 (cell size, DA1 with 4) with a key typed
 * in between, and kitty's answer to its query. */
static void
test_replies(void)
{
	static const char xt[] = "\033[6;13;6tj\033[?63;1;2;4;6;9;15;16;22;28c";
	static const char kt[] = "\033_Gi=31;OK\033\\\033[?62;c";
	static const char part[] = "\033[?62;4";
	struct px_term t;
	int done = 0;

	memset(&t, 0, sizeof t);
	px_replies(xt, (int)strlen(xt), &t, &done);
	ok(done && t.sixel && !t.kitty && t.cw == 6 && t.ch == 13,
	   "replies: DA1 with 4 is sixel, 16t gives 6x13 cells, DA1 ends the wait");
	ok(t.npending == 1 && t.pending[0] == 'j', "replies: a key typed meanwhile is kept for the UI");
	memset(&t, 0, sizeof t);
	done = 0;
	px_replies(kt, (int)strlen(kt), &t, &done);
	ok(done && t.kitty && !t.sixel && !t.npending, "replies: kitty's OK to the query, DA1 without 4");
	memset(&t, 0, sizeof t);
	done = 0;
	px_replies(part, (int)strlen(part), &t, &done);
	ok(!done && !t.sixel && !t.npending, "replies: a reply cut short waits for more, leaks nothing");
}

/* px_late_reply reads from this. */
static const char *late_src;

static int
late_get(void)
{
	return *late_src ? (unsigned char)*late_src++ : -1;
}

static void
test_late(void)
{
	int back[64], n;

	late_src = "[?62;4c";
	ok(px_late_reply(late_get, back, &n, 64) == 1 && !*late_src, "late: a DA1 reply after ESC is swallowed");
	late_src = "x";
	ok(px_late_reply(late_get, back, &n, 64) == 0 && n == 1 && back[0] == 'x',
	   "late: Alt-x (ESC x) is given back");
	late_src = "";
	ok(px_late_reply(late_get, back, &n, 64) == 0 && n == 0, "late: a lone Escape stays a key");
}

static void
test_tmux(void)
{
	struct px_buf b = { 0 };

	px_buf_add(&b, "ab", 2);
	px_buf_add(&b, "\033_Gx\033\\", 6);
	px_tmux_wrap(&b, 2);
	ok(b.n == 2 + 7 + 6 + 2 + 2 && !memcmp(b.s, "ab\033Ptmux;\033\033_Gx\033\033\\\033\\", b.n),
	   "tmux passthrough: wrapped from the offset, inner ESC doubled");
	px_buf_free(&b);
}

int
main(void)
{
	float img[3 * IH * IW];
	struct ls_raster ref;

	make_image(img);
	ref = reference(img);
	test_parse_geom();
	test_scale();
	if (ref.px) {
		test_kitty(img, &ref);
		test_kitty_chunks();
		test_iterm(img, &ref);
		test_sixel(img, &ref);
	}
	test_tmux();
	test_replies();
	test_late();
	ls_raster_free(&ref);
	px_done();
	return done_testing();
}
