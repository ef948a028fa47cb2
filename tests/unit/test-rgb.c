/*
 * test-rgb.c: colour models end to end against numpy (fixtures made by
 * tools/make_rgb_fixtures.py with the float64 graph evaluator of
 * tools/onnx_regions_ref.py): the bundled faces encoder (64x64x3, ONNX)
 * encodes an RGB PNG, the same pixels as RGBA and as a palette PNG, to
 * the reference mean; paint on the 32x32x3 DCGAN fixture gives the
 * reference's top singular direction of a rectangle's Jacobian rows (all
 * channels) and its gain; the linearity meter there (one latent and
 * batched) gives the reference's three numbers; SeFa on the 64x64x3
 * DCGAN (its first ConvTranspose from 1x1 as a matrix) gives numpy's
 * eigenpairs.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/linscope.h"
#include "linscope/dirs.h"
#include "linscope/linearity.h"
#include "tap.h"

static double
maxdiff(const float *a, json_t *b, int n, double *scale)
{
	double m = 0;
	int i;

	*scale = 0;
	for (i = 0; i < n; i++) {
		double v = json_number_value(json_array_get(b, (size_t)i));
		m = fmax(m, fabs(a[i] - v));
		*scale = fmax(*scale, fabs(v));
	}
	return m;
}

static void
check_encoder(json_t *j)
{
	static const char *const files[3] = { "onnx/rgb64.png", "onnx/rgb64-rgba.png", "onnx/rgb64-pal.png" };
	char err[LS_ERR_MAX];
	struct ls_session *s;
	float z[3][32];
	double d, sc;
	int k, c, h, w;

	if (!ok(ls_session_open("faces", NULL, NULL, &s, err) == LS_OK, "the bundled faces model opens")) {
		diag("%s", err);
		return;
	}
	ls_session_image(s, &c, &h, &w);
	ok(c == 3 && h == 64 && w == 64 && ls_session_dim(s) == 32, "faces: 64x64x3, d = 32");
	for (k = 0; k < 3; k++) {
		if (!ok(ls_session_open_image(s, fixture(files[k]), err) == LS_OK, "%s encodes", files[k])) {
			diag("%s", err);
			memset(z[k], 0, sizeof z[k]);
			continue;
		}
		memcpy(z[k], ls_session_z0(s), sizeof z[k]);
		d = maxdiff(z[k], json_object_get(j, "mu"), 32, &sc);
		ok(d <= 1e-4 * fmax(1, sc), "%s: the encoder's mean = numpy float64 (max diff %.2g, |mu| %.3g)",
		   files[k], d, sc);
	}
	ok(!memcmp(z[0], z[1], sizeof z[0]) && !memcmp(z[0], z[2], sizeof z[0]),
	   "RGB, RGBA (opaque) and palette PNGs of the same pixels encode alike");
	ls_session_free(s);
}

static void
check_paint(json_t *j)
{
	json_t *p = json_object_get(j, "paint");
	char err[LS_ERR_MAX];
	struct ls_model *m;
	float z[8], u[8];
	int r[4], k;
	double gain, d, sc, want = json_number_value(json_object_get(p, "gain"));

	if (!ok(ls_model_open(fixture("onnx/dcgan32.onnx"), &m, err) == LS_OK, "dcgan32 opens")) {
		diag("%s", err);
		return;
	}
	for (k = 0; k < 8; k++)
		z[k] = (float)json_number_value(json_array_get(json_object_get(p, "z"), (size_t)k));
	for (k = 0; k < 4; k++)
		r[k] = (int)json_integer_value(json_array_get(json_object_get(p, "rect"), (size_t)k));
	if (ok(ls_paint_direction(m, z, r[0], r[1], r[2], r[3], u, &gain, err) == LS_OK,
	       "paint on a colour conv decoder")) {
		d = maxdiff(u, json_object_get(p, "u"), 8, &sc);
		ok(d < 1e-4, "paint: the direction = numpy's top singular vector of the rectangle's "
		   "Jacobian rows, all channels (max diff %.2g)", d);
		ok(fabs(gain - want) <= 1e-4 * want, "paint: gain %.6g = numpy's %.6g", gain, want);
	} else {
		diag("%s", err);
	}
	ls_model_free(m);
}

static void
check_linearity(json_t *j)
{
	static const char *const key[3] = { "homogeneity", "additivity", "first_order" };
	json_t *l = json_object_get(j, "linearity"), *p = json_object_get(j, "paint");
	char err[LS_ERR_MAX];
	struct ls_model *m;
	struct ls_linearity a, b[3];
	float z[3 * 8], u[8], v[8];
	double h = json_number_value(json_object_get(l, "h")), k = json_number_value(json_object_get(l, "k"));
	int i, q;

	if (ls_model_open(fixture("onnx/dcgan32.onnx"), &m, err) != LS_OK) {
		ok(0, "dcgan32: %s", err);
		return;
	}
	for (i = 0; i < 8; i++) {
		z[i] = z[8 + i] = z[16 + i] = (float)json_number_value(json_array_get(json_object_get(p, "z"), (size_t)i));
		u[i] = (float)json_number_value(json_array_get(json_object_get(l, "u"), (size_t)i));
		v[i] = (float)json_number_value(json_array_get(json_object_get(l, "v"), (size_t)i));
	}
	ls_linearity_at(ls_model_decoder(m), z, u, h, v, k, &a);
	ls_linearity_batch(ls_model_decoder(m), z, 3, u, h, v, k, b);
	for (q = 0; q < 3; q++) {
		double want = json_number_value(json_object_get(l, key[q]));
		double got = q == 0 ? a.homogeneity : q == 1 ? a.additivity : a.first_order;
		double gb = q == 0 ? b[2].homogeneity : q == 1 ? b[2].additivity : b[2].first_order;
		ok(fabs(got - want) <= 1e-6 * fmax(1e-3, fabs(want)) && fabs(gb - want) <= 1e-6 * fmax(1e-3, fabs(want)),
		   "linearity on a colour conv decoder: %s %.9g (batched %.9g) = numpy's %.9g", key[q], got, gb, want);
	}
	ls_model_free(m);
}

static void
check_sefa(json_t *j)
{
	json_t *f = json_object_get(j, "sefa");
	char err[LS_ERR_MAX], path[256];
	struct ls_model *m;
	float u[3 * 16];
	double ev[3], worst = 0, ew = 0;
	int i, q;

	snprintf(path, sizeof path, "onnx/%s", json_string_value(json_object_get(f, "model")));
	if (ls_model_open(fixture(path), &m, err) != LS_OK) {
		ok(0, "%s: %s", path, err);
		return;
	}
	if (!ok(ls_model_dim(m) == 16 && ls_dirs_sefa(ls_model_decoder(m), 3, u, ev, err) == LS_OK,
		"sefa on a DCGAN 64x64x3 generator")) {
		diag("%s", err);
		ls_model_free(m);
		return;
	}
	for (q = 0; q < 3; q++) {
		json_t *w = json_array_get(json_object_get(f, "u"), (size_t)q);
		double dot = 0, want = json_number_value(json_array_get(json_object_get(f, "ev"), (size_t)q));
		for (i = 0; i < 16; i++)
			dot += u[q * 16 + i] * json_number_value(json_array_get(w, (size_t)i));
		worst = fmax(worst, 1 - fabs(dot));
		ew = fmax(ew, fabs(ev[q] - want) / want);
	}
	ok(worst < 1e-5 && ew < 1e-5, "sefa: the top 3 eigenvectors (up to sign; 1 - |cos| %.2g) and "
	   "eigenvalues (rel %.2g) of W W^T = numpy's", worst, ew);
	ls_model_free(m);
}

int
main(void)
{
	json_error_t je;
	json_t *j = json_load_file(fixture("onnx/rgb-fixtures.json"), 0, &je);

	if (!ok(j != NULL, "rgb-fixtures.json loads"))
		return done_testing();
	check_encoder(j);
	check_paint(j);
	check_linearity(j);
	check_sefa(j);
	json_decref(j);
	return done_testing();
}
