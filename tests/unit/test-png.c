/*
 * test-png.c: PNG reading and writing, and grid composition.
 *
 * Rasters round-trip exactly; PNG flavours linscope does not write (16-bit,
 * 1-bit, palette, alpha) are built by hand here (zlib stored blocks, so no
 * compressor is needed) to check the conversions; broken files give errors.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linscope/png.h"
#include "base/util.h"
#include "../lib/tap.h"

/* --- a minimal PNG encoder: stored deflate blocks, no filtering --- */

struct buf {
	unsigned char *p;
	size_t n;
};

static void
put(struct buf *b, const void *d, size_t n)
{
	b->p = xrealloc(b->p, b->n + n + 1);
	memcpy(b->p + b->n, d, n);
	b->n += n;
}

static void
put32(struct buf *b, uint32_t v)
{
	unsigned char x[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 8), (unsigned char)v };

	put(b, x, 4);
}

static uint32_t
crc32(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		c ^= p[i];
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return c ^ 0xffffffffu;
}

static void
chunk(struct buf *b, const char *type, const void *d, size_t n)
{
	struct buf t = { NULL, 0 };

	put(&t, type, 4);
	if (n)
		put(&t, d, n);
	put32(b, (uint32_t)n);
	put(b, t.p, t.n);
	put32(b, crc32(t.p, t.n));
	free(t.p);
}

/* A zlib stream of one stored block holding raw (n < 65536). */
static void
zstored(struct buf *z, const unsigned char *raw, size_t n)
{
	unsigned char h[7] = { 0x78, 0x01, 0x01, (unsigned char)n, (unsigned char)(n >> 8),
			       (unsigned char)~n, (unsigned char)(~n >> 8) };
	uint32_t a = 1, b = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		a = (a + raw[i]) % 65521;
		b = (b + a) % 65521;
	}
	put(z, h, 7);
	put(z, raw, n);
	put32(z, (b << 16) | a);
}

/* A PNG of h rows of rowlen bytes each (filter bytes are added here). */
static struct buf
mkpng(uint32_t w, uint32_t h, int depth, int ctype, const unsigned char *rows, size_t rowlen,
      const unsigned char *plte, size_t nplte)
{
	unsigned char ihdr[13] = { (unsigned char)(w >> 24), (unsigned char)(w >> 16),
				   (unsigned char)(w >> 8), (unsigned char)w,
				   (unsigned char)(h >> 24), (unsigned char)(h >> 16),
				   (unsigned char)(h >> 8), (unsigned char)h,
				   (unsigned char)depth, (unsigned char)ctype, 0, 0, 0 };
	struct buf png = { NULL, 0 }, raw = { NULL, 0 }, z = { NULL, 0 };
	unsigned char zero = 0;
	uint32_t y;

	put(&png, "\x89PNG\r\n\x1a\n", 8);
	chunk(&png, "IHDR", ihdr, 13);
	if (plte)
		chunk(&png, "PLTE", plte, nplte);
	for (y = 0; y < h; y++) {
		put(&raw, &zero, 1);
		put(&raw, rows + y * rowlen, rowlen);
	}
	zstored(&z, raw.p, raw.n);
	chunk(&png, "IDAT", z.p, z.n);
	chunk(&png, "IEND", NULL, 0);
	free(raw.p);
	free(z.p);
	return png;
}

/* Writes png to a file, reads it with want_c; returns the status. */
static enum ls_status
read_built(struct buf png, int want_c, struct ls_raster *r, char *err)
{
	enum ls_status rc;

	spit(tpath("built.png"), png.p, png.n);
	free(png.p);
	rc = ls_png_read(tpath("built.png"), want_c, r, err);
	unlink(tpath("built.png"));
	return rc;
}

/* Does r have shape w x h x c and these bytes? */
static int
raster_is(const struct ls_raster *r, int w, int h, int c, const unsigned char *px)
{
	return r->w == w && r->h == h && r->c == c && r->px &&
	       memcmp(r->px, px, (size_t)w * h * c) == 0;
}

static void
test_roundtrip(void)
{
	unsigned char g[5 * 3], rgb[4 * 3 * 3];
	struct ls_raster in, out;
	char err[LS_ERR_MAX] = "";
	size_t i;

	for (i = 0; i < sizeof g; i++)
		g[i] = (unsigned char)(i * 17 + 3);
	for (i = 0; i < sizeof rgb; i++)
		rgb[i] = (unsigned char)(i * 7 % 256);
	in = (struct ls_raster){ 5, 3, 1, g };
	ok(ls_png_write(tpath("g.png"), &in, err) == LS_OK, "write a gray 5x3 PNG");
	ok(ls_png_read(tpath("g.png"), 0, &out, err) == LS_OK && raster_is(&out, 5, 3, 1, g),
	   "gray reads back identical (want_c 0 keeps gray)");
	ls_raster_free(&out);
	ok(ls_png_read(tpath("g.png"), 1, &out, err) == LS_OK && raster_is(&out, 5, 3, 1, g),
	   "gray reads back identical as gray");
	ls_raster_free(&out);
	ok(ls_png_read(tpath("g.png"), 3, &out, err) == LS_OK && out.c == 3 &&
		   out.px[0] == g[0] && out.px[1] == g[0] && out.px[2] == g[0] &&
		   out.px[3 * 14 + 2] == g[14],
	   "gray read as RGB repeats the value");
	ls_raster_free(&out);
	ok(out.px == NULL && out.w == 0 && out.h == 0 && out.c == 0, "ls_raster_free zeroes");
	ls_raster_free(NULL);

	in = (struct ls_raster){ 4, 3, 3, rgb };
	ok(ls_png_write(tpath("c.png"), &in, err) == LS_OK, "write an RGB 4x3 PNG");
	ok(ls_png_read(tpath("c.png"), 0, &out, err) == LS_OK && raster_is(&out, 4, 3, 3, rgb),
	   "RGB reads back identical (want_c 0 keeps RGB)");
	ls_raster_free(&out);
	ok(ls_png_read(tpath("c.png"), 3, &out, err) == LS_OK && raster_is(&out, 4, 3, 3, rgb),
	   "RGB reads back identical as RGB");
	ls_raster_free(&out);
	in.c = 2;
	ok(ls_png_write(tpath("x.png"), &in, err) == LS_EINVAL, "2 channels refused: %s", err);
	in = (struct ls_raster){ 0, 3, 1, g };
	ok(ls_png_write(tpath("x.png"), &in, err) == LS_EINVAL, "width 0 refused");
	ok(access(tpath("x.png"), F_OK) != 0, "no file left by refused writes");
	unlink(tpath("g.png"));
	unlink(tpath("c.png"));
}

static void
test_to_gray(void)
{
	/* white, black, red, green, blue, mid gray */
	unsigned char rgb[6 * 3] = { 255, 255, 255, 0, 0, 0, 255, 0, 0,
				     0, 255, 0, 0, 0, 255, 128, 128, 128 };
	struct ls_raster in = { 6, 1, 3, rgb }, out;
	char err[LS_ERR_MAX] = "";
	const unsigned char *g;

	ok(ls_png_write(tpath("lum.png"), &in, err) == LS_OK, "write pure colours");
	if (!ok(ls_png_read(tpath("lum.png"), 1, &out, err) == LS_OK && out.c == 1 && out.w == 6,
		"read RGB as gray")) {
		diag("%s", err);
		return;
	}
	g = out.px;
	diag("gray of white black red green blue gray128: %d %d %d %d %d %d", g[0], g[1], g[2],
	     g[3], g[4], g[5]);
	ok(g[0] == 255 && g[1] == 0, "white -> 255, black -> 0");
	ok(g[5] >= 127 && g[5] <= 129, "gray 128 stays about 128");
	ok(g[3] > g[2] && g[2] > g[4] && g[4] > 0, "luminance: green > red > blue > 0");
	ls_raster_free(&out);
	unlink(tpath("lum.png"));
}

static void
test_conversions(void)
{
	const unsigned char g16[6] = { 0xff, 0xff, 0, 0, 0x80, 0x00 };
	const unsigned char ga[4] = { 200, 255, 200, 0 };
	const unsigned char idx[3] = { 0, 1, 2 }, plte[9] = { 255, 0, 0, 255, 255, 255, 0, 0, 255 };
	const unsigned char want_pal[9] = { 255, 0, 0, 255, 255, 255, 0, 0, 255 };
	const unsigned char rgba[8] = { 10, 20, 30, 255, 40, 50, 60, 0 };
	const unsigned char want_rgba[6] = { 10, 20, 30, 0, 0, 0 };
	const unsigned char bits[1] = { 0xa0 }, want_bits[8] = { 255, 0, 255, 0, 0, 0, 0, 0 };
	struct ls_raster r;
	char err[LS_ERR_MAX] = "";

	if (!ok(read_built(mkpng(3, 1, 16, 0, g16, 6, NULL, 0), 0, &r, err) == LS_OK && r.c == 1 &&
		   r.px[0] == 255 && r.px[1] == 0 && r.px[2] > 0 && r.px[2] < 255,
		"16-bit gray to 8 bits"))
		diag("%s", err);
	ls_raster_free(&r);
	if (!ok(read_built(mkpng(8, 1, 1, 0, bits, 1, NULL, 0), 0, &r, err) == LS_OK &&
		   raster_is(&r, 8, 1, 1, want_bits),
		"1-bit gray"))
		diag("%s", err);
	ls_raster_free(&r);
	if (!ok(read_built(mkpng(2, 1, 8, 4, ga, 4, NULL, 0), 0, &r, err) == LS_OK && r.c == 1 &&
		   r.px[0] == 200 && r.px[1] == 0,
		"gray+alpha composited onto black"))
		diag("%s", err);
	ls_raster_free(&r);
	if (!ok(read_built(mkpng(3, 1, 8, 3, idx, 3, plte, 9), 0, &r, err) == LS_OK &&
		   raster_is(&r, 3, 1, 3, want_pal),
		"palette to RGB"))
		diag("%s", err);
	ls_raster_free(&r);
	if (!ok(read_built(mkpng(2, 1, 8, 6, rgba, 8, NULL, 0), 0, &r, err) == LS_OK &&
		   raster_is(&r, 2, 1, 3, want_rgba),
		"RGBA to RGB, alpha onto black"))
		diag("%s", err);
	ls_raster_free(&r);
}

/* Expects path to be refused with LS_EFORMAT and a message containing want. */
static void
refuse(const char *path, const char *want, const char *what)
{
	struct ls_raster r = { 1, 1, 1, NULL };
	char err[LS_ERR_MAX] = "";
	enum ls_status rc = ls_png_read(path, 0, &r, err);

	if (!ok(rc == LS_EFORMAT && r.px == NULL && strncmp(err, path, strlen(path)) == 0 &&
			strstr(err, want),
		"refuses %s", what))
		diag("status %d, message: %s", rc, err);
	else
		diag("%s", err);
}

static void
test_bad_files(void)
{
	const unsigned char row[3] = { 1, 2, 3 };
	struct buf png;
	struct ls_raster r;
	char err[LS_ERR_MAX] = "";
	unsigned char g[4] = { 0, 64, 128, 255 };
	struct ls_raster in = { 2, 2, 1, g };
	FILE *f;
	long n;

	spit(tpath("b.png"), "", 0);
	refuse(tpath("b.png"), "not a PNG file", "an empty file");
	spit(tpath("b.png"), "GIF89a and so on", 16);
	refuse(tpath("b.png"), "not a PNG file", "a GIF");
	spit(tpath("b.png"), "\x89PNG\r\n\x1a\n", 8);
	refuse(tpath("b.png"), "corrupt PNG", "a bare signature");
	png = mkpng(LS_PNG_MAX_SIDE + 1, 1, 8, 0, row, 3, NULL, 0);
	spit(tpath("b.png"), png.p, png.n);
	refuse(tpath("b.png"), "above the limit", "a side above LS_PNG_MAX_SIDE");
	png.p[8 + 8 + 13] ^= 1; /* IHDR CRC */
	spit(tpath("b.png"), png.p, png.n);
	refuse(tpath("b.png"), "corrupt PNG", "a bad IHDR CRC");
	free(png.p);
	/* a good file cut short in the image data */
	ok(ls_png_write(tpath("t.png"), &in, err) == LS_OK, "write a PNG to truncate");
	f = fopen(tpath("t.png"), "rb");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fclose(f);
	ok(truncate(tpath("t.png"), n - 20) == 0, "truncate it");
	refuse(tpath("t.png"), "corrupt PNG", "a truncated PNG");
	ok(ls_png_read(tpath("missing.png"), 0, &r, err) == LS_EIO && strstr(err, "missing.png"),
	   "a missing file: %s", err);
	ok(ls_png_read(tpath("t.png"), 2, &r, err) == LS_EINVAL, "want_c 2 refused");
	unlink(tpath("b.png"));
	unlink(tpath("t.png"));
}

/* --- grid composition --- */

/* The documented mapping, in the same float arithmetic. */
static uint8_t
byte_of(float v, float lo, float hi)
{
	float t = (v - lo) / (hi - lo) * 255.0f + 0.5f;

	return v != v || t < 0 ? 0 : t >= 255 ? 255 : (uint8_t)t;
}

static void
test_grid_two(void)
{
	/* two 1x(2x3) images, scale 2, gutter 1, cols 0 -> 2 columns */
	const float im[2 * 6] = { 0, 1, 0.5f, -1, 2, NAN, 0.25f, 0.75f, 1, 0, 0.2f, 0.8f };
	struct ls_grid_opts o = { .cols = 0, .scale = 2, .gutter = 1, .bg = 77, .lo = 0, .hi = 1 };
	struct ls_raster r;
	int x, y, bad = 0;

	ls_grid_compose(im, 2, 1, 2, 3, &o, &r);
	ok(r.w == 2 * 6 + 3 && r.h == 4 + 2 && r.c == 1, "2 images: 15x6 gray (got %dx%dx%d)",
	   r.w, r.h, r.c);
	for (y = 0; y < r.h; y++)
		for (x = 0; x < r.w; x++) {
			int cx = x - 1, img = cx >= 7 ? 1 : 0, ix = (cx - img * 7) / 2, iy = (y - 1) / 2;
			int gut = y == 0 || y == 5 || x == 0 || x == 7 || x == 14;
			uint8_t want = gut ? 77 : byte_of(im[img * 6 + iy * 3 + ix], 0, 1);
			bad += r.px[y * r.w + x] != want;
		}
	ok(!bad, "every pixel in place (%d wrong)", bad);
	ok(r.px[1 * 15 + 1] == 0 && r.px[1 * 15 + 3] == 255 && r.px[2 * 15 + 4] == 255 &&
		   r.px[1 * 15 + 5] == 128 && r.px[3 * 15 + 1] == 0 && r.px[3 * 15 + 3] == 255 &&
		   r.px[3 * 15 + 5] == 0,
	   "0 -> 0, 1 -> 255, 0.5 -> 128, -1 and NaN -> 0, 2 -> 255");
	ok(r.px[1 * 15 + 8] == 64 && r.px[1 * 15 + 10] == 191 && r.px[4 * 15 + 13] == 204,
	   "second image starts at x = 8: 0.25 -> 64, 0.75 -> 191, 0.8 -> 204");
	ls_raster_free(&r);
	o.cols = 1;
	ls_grid_compose(im, 2, 1, 2, 3, &o, &r);
	ok(r.w == 6 + 2 && r.h == 2 * 4 + 3 && r.px[5 * 8 + 0] == 77 && r.px[6 * 8 + 1] == 64,
	   "cols 1: 8x11, second image starts at y = 6");
	ls_raster_free(&r);
	o.cols = 10;
	ls_grid_compose(im, 2, 1, 2, 3, &o, &r);
	ok(r.w == 15 && r.h == 6, "cols above n are clamped to n");
	ls_raster_free(&r);
}

static void
test_grid_layouts(void)
{
	float im[5 * 3 * 2 * 2], two[2 * 1 * 1];
	struct ls_grid_opts o = { .cols = 0, .scale = 1, .gutter = 0, .bg = 0, .lo = -1, .hi = 1 };
	struct ls_raster r;
	int i;

	for (i = 0; i < 5 * 12; i++)
		im[i] = (float)(i % 12) / 6.0f - 1.0f;
	ls_grid_compose(im, 5, 3, 2, 2, &o, &r);
	ok(r.w == 6 && r.h == 4 && r.c == 3, "5 RGB images: 3 columns, 2 rows (6x4x3)");
	/* image 0 pixel (y 1, x 0): R = im[2], G = im[4 + 2], B = im[8 + 2] */
	ok(r.px[(1 * 6 + 0) * 3 + 0] == byte_of(im[2], -1, 1) &&
		   r.px[(1 * 6 + 0) * 3 + 1] == byte_of(im[6], -1, 1) &&
		   r.px[(1 * 6 + 0) * 3 + 2] == byte_of(im[10], -1, 1),
	   "CHW planes become interleaved RGB");
	ok(r.px[(3 * 6 + 5) * 3] == 0, "the empty sixth cell is background");
	ls_raster_free(&r);
	ls_grid_compose(im, 2, 2, 3, 2, &o, &r);
	ok(r.c == 1 && r.w == 4 && r.h == 3 && r.px[0] == byte_of(im[0], -1, 1) &&
		   r.px[2] == byte_of(im[12], -1, 1),
	   "2 channels: gray from the first channel");
	ls_raster_free(&r);
	two[0] = 0.5f;
	two[1] = 0.49f;
	o.lo = o.hi = 0.5f;
	ls_grid_compose(two, 2, 1, 1, 1, &o, &r);
	ok(r.px[0] == 0 && r.px[1] == 0, "lo == hi: values at or below lo are 0");
	ls_raster_free(&r);
	ls_grid_compose(im, 0, 1, 2, 2, &o, &r);
	ok(r.w == 0 && r.h == 0 && r.px == NULL, "no images: an empty raster");
}

/* A composed grid survives a PNG round trip. */
static void
test_grid_png(void)
{
	float im[4 * 7 * 5];
	struct ls_grid_opts o = { .cols = 0, .scale = 3, .gutter = 2, .bg = 255, .lo = 0, .hi = 1 };
	struct ls_raster g, back;
	char err[LS_ERR_MAX] = "";
	int i;

	for (i = 0; i < 4 * 35; i++)
		im[i] = (float)((i * 37) % 101) / 100.0f;
	ls_grid_compose(im, 4, 1, 7, 5, &o, &g);
	ok(ls_png_write(tpath("grid.png"), &g, err) == LS_OK &&
		   ls_png_read(tpath("grid.png"), 0, &back, err) == LS_OK &&
		   raster_is(&back, g.w, g.h, 1, g.px),
	   "a %dx%d grid round-trips through PNG", g.w, g.h);
	ls_raster_free(&g);
	ls_raster_free(&back);
	unlink(tpath("grid.png"));
}

/* Labels: a band under each image with the text in the built-in font,
 * glyph pixels counted by hand ("1" is 8 pixels, "-" 3, "0" 12). */
static void
test_grid_labels(void)
{
	static float im[2 * 8 * 8];
	const char *lab[2] = { "1", "-0" };
	struct ls_grid_opts o = { .cols = 0, .scale = 7, .gutter = 0, .bg = 0, .lo = 0, .hi = 1,
				  .labels = lab };
	struct ls_raster r;
	long on[2] = { 0, 0 };
	int x, y;

	o.cols = 2;
	ls_grid_compose(im, 2, 1, 8, 8, &o, &r);   /* 56 pixels wide: font size 1 */
	ok(r.w == 112 && r.h == 56 + LS_FONT_H + 2, "a band of 7 rows under the images (%dx%d)", r.w, r.h);
	for (y = 0; y < r.h; y++)
		for (x = 0; x < r.w; x++)
			on[x / 56] += r.px[(size_t)y * r.w + x] == 255;
	ok(on[0] == 8 && on[1] == 15, "glyph pixels: '1' %ld (8), '-0' %ld (15)", on[0], on[1]);
	ok(r.px[(size_t)57 * r.w + 27] == 255 && r.px[(size_t)57 * r.w + 26] == 0,
	   "'1' centred: its top pixel at x 27, y 57");
	ok(ls_font_width("-0", 1) == 7 && ls_font_width("+1.5\xcf\x83", 2) == 2 * (3 + 1 + 3 + 1 + 1 + 1 + 3 + 1 + 4),
	   "widths: glyphs and one column between them");
	ls_raster_free(&r);
	o.scale = 14;
	ls_grid_compose(im, 1, 1, 8, 8, &o, &r);
	ok(r.h == 112 + 2 * (LS_FONT_H + 2), "font size 2 at 112 pixels wide (%d rows)", r.h);
	ls_raster_free(&r);
}

int
main(void)
{
	test_roundtrip();
	test_to_gray();
	test_conversions();
	test_bad_files();
	test_grid_two();
	test_grid_layouts();
	test_grid_png();
	test_grid_labels();
	rmdir(tmpdir());
	return done_testing();
}
