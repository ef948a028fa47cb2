/*
 * png.c: PNG files through libpng's simplified API (png_image, libpng 1.6).
 *
 * Writing: an 8-bit gray or RGB raster, through an atomic file. Reading: the
 * file is mapped and its signature checked first, so a file that is not a
 * PNG gets a plain message; everything else (palette, 16-bit, gray+alpha,
 * RGBA, interlacing, gamma) is converted by libpng to 8-bit sRGB gray or
 * RGB. Alpha is composited onto black. libpng's own errors (its longjmp is
 * contained inside the png_image functions) become "corrupt PNG" messages.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "linscope/png.h"
#include "base/util.h"

void
ls_raster_free(struct ls_raster *r)
{
	if (!r)
		return;
	free(r->px);
	memset(r, 0, sizeof *r);
}

enum ls_status
ls_png_write(const char *path, const struct ls_raster *r, char *err)
{
	return ls_png_write_flags(path, r, 0, err);
}

enum ls_status
ls_png_write_flags(const char *path, const struct ls_raster *r, int flags, char *err)
{
	struct ls_afile *af;
	enum ls_status rc;
	png_image img;

	if (r->w < 1 || r->h < 1 || r->w > LS_PNG_MAX_SIDE || r->h > LS_PNG_MAX_SIDE ||
	    (r->c != 1 && r->c != 3) || !r->px)
		return ls_err(err, LS_EINVAL, "%s: cannot write a %dx%dx%d image as PNG", path,
			      r->w, r->h, r->c);
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	img.width = (png_uint_32)r->w;
	img.height = (png_uint_32)r->h;
	img.format = r->c == 3 ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
	if ((rc = ls_afile_open(path, &af, err)))
		return rc;
	errno = 0;   /* a failed write (disk full) leaves its reason in errno */
	if (!png_image_write_to_stdio(&img, ls_afile_fp(af), 0, r->px, 0, NULL)) {
		int e = errno;

		rc = ls_err(err, LS_EIO, "%s: cannot write PNG: %s%s%s", path, img.message,
			    e ? ": " : "", e ? strerror(e) : "");
		png_image_free(&img);
		ls_afile_abort(af);
		return rc;
	}
	return ls_afile_commit(af, flags, err);
}

/* Decodes a PNG held in memory into r. */
static enum ls_status
decode(const char *path, const void *buf, size_t len, int want_c, struct ls_raster *r,
       char *err)
{
	static const png_color black = { 0, 0, 0 };
	png_image img;

	if (len < 8 || png_sig_cmp((png_const_bytep)buf, 0, 8) != 0)
		return ls_err(err, LS_EFORMAT, "%s: not a PNG file", path);
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&img, buf, len))
		return ls_err(err, LS_EFORMAT, "%s: corrupt PNG: %s", path, img.message);
	if (img.width > LS_PNG_MAX_SIDE || img.height > LS_PNG_MAX_SIDE) {
		png_image_free(&img);
		return ls_err(err, LS_EFORMAT, "%s: image is %ux%u, above the limit of %d a side",
			      path, (unsigned)img.width, (unsigned)img.height, LS_PNG_MAX_SIDE);
	}
	/* deflate expands at most ~1032:1 and a pixel takes at least 1 bit, so a
	 * small file cannot honestly claim a huge image: refuse before allocating */
	if ((double)img.width * img.height > (double)len * 1032.0 * 8.0 + 65536.0 ||
	    (double)img.width * img.height > (double)LS_PNG_MAX_PIXELS) {
		png_image_free(&img);
		return ls_err(err, LS_EFORMAT, "%s: image claims %ux%u pixels, more than the file can hold or the limit of %ld",
			      path, (unsigned)img.width, (unsigned)img.height, (long)LS_PNG_MAX_PIXELS);
	}
	r->c = want_c ? want_c : (img.format & PNG_FORMAT_FLAG_COLOR) ? 3 : 1;
	img.format = r->c == 3 ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
	r->w = (int)img.width;
	r->h = (int)img.height;
	r->px = xcalloc((size_t)r->w * (size_t)r->h, (size_t)r->c);
	if (!png_image_finish_read(&img, &black, r->px, 0, NULL)) {
		ls_raster_free(r);
		return ls_err(err, LS_EFORMAT, "%s: corrupt PNG: %s", path, img.message);
	}
	return LS_OK;
}

enum ls_status
ls_png_read(const char *path, int want_c, struct ls_raster *r, char *err)
{
	const void *base;
	size_t len;
	enum ls_status rc;

	memset(r, 0, sizeof *r);
	if (want_c != 0 && want_c != 1 && want_c != 3)
		return ls_err(err, LS_EINVAL, "%s: cannot read a PNG as %d channels", path, want_c);
	if ((rc = ls_map_file(path, &base, &len, err)))
		return rc;
	rc = decode(path, base, len, want_c, r, err);
	ls_unmap(base, len);
	return rc;
}
