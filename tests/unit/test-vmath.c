/*
 * test-vmath.c: the vectorised float32 exp, sigmoid, tanh, relu and leaky
 * relu (src/base/vmath.c) against double-precision libm rounded to float
 * (the correctly rounded value but for ties at the 2^-29 level), over a
 * dense sweep of bit patterns across each function's whole range: the
 * largest error in ulps is printed beside libm's own float functions' on
 * the same points and bounded. Special values and the array handling
 * (in place, every tail length) by hand. Both the four-lane kernels and
 * the widest the processor runs (eight lanes with AVX2) are measured.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/vmath.h"
#include "../lib/tap.h"

#define STEP 997   /* bit patterns between two points of the sweep */

static int32_t
ordered(float f)
{
	int32_t i;

	memcpy(&i, &f, sizeof i);
	return i < 0 ? (int32_t)(INT32_MIN - i) : i;   /* monotone in f, -0 == +0 */
}

static double
ulps(float got, float want)
{
	if (isnan(got) || isnan(want))
		return isnan(got) && isnan(want) ? 0 : 1e9;
	return fabs((double)ordered(got) - (double)ordered(want));
}

static double ref_exp(double x) { return exp(x); }
static double ref_sig(double x) { return 1 / (1 + exp(-x)); }
static float libm_sig(float x) { float e = expf(-fabsf(x)); return x >= 0 ? 1 / (1 + e) : e / (1 + e); }

/* Largest ulp error of f against ref over floats in [lo, hi]; *libm gets
 * that of g (libm's float function) on the same points. */
static double
sweep(void (*f)(const float *, long, float *), double (*ref)(double), float (*g)(float),
      float lo, float hi, double *libm)
{
	long cap = 1 << 20, n = 0, i;
	float *x = malloc((size_t)cap * sizeof *x), *y = malloc((size_t)cap * sizeof *y);
	double worst = 0;
	int32_t a = ordered(lo), b = ordered(hi), k;

	*libm = 0;
	for (k = a;; k += STEP) {
		int32_t bits = k < 0 ? (int32_t)(INT32_MIN - k) : k;
		if (k > b || n == cap) {
			f(x, n, y);
			for (i = 0; i < n; i++) {
				float want = (float)ref((double)x[i]);
				worst = fmax(worst, ulps(y[i], want));
				*libm = fmax(*libm, ulps(g(x[i]), want));
			}
			n = 0;
			if (k > b)
				break;
		}
		memcpy(&x[n++], &bits, sizeof bits);
	}
	free(x);
	free(y);
	return worst;
}

static void
one(void (*f)(const float *, long, float *), float x, float *y)
{
	f(&x, 1, y);
}

/* Every check on the kernels in use (w: their name). */
static void
check_all(const char *lanes)
{
	double e, l;
	float y, v[37], w[37];
	int n, i, bad;

	e = sweep(ls_vexpf, ref_exp, expf, -110.0f, 90.0f, &l);
	diag("%s: exp over [-110, 90]: max %.0f ulp (libm expf: %.0f)", lanes, e, l);
	ok(e <= 2, "%s: exp within 2 ulp of the rounded exp (%.0f)", lanes, e);
	e = sweep(ls_vsigmoidf, ref_sig, libm_sig, -110.0f, 110.0f, &l);
	diag("%s: sigmoid over [-110, 110]: max %.0f ulp (with libm expf: %.0f)", lanes, e, l);
	ok(e <= 3, "%s: sigmoid within 3 ulp (%.0f)", lanes, e);
	e = sweep(ls_vtanhf, tanh, tanhf, -20.0f, 20.0f, &l);
	diag("%s: tanh over [-20, 20]: max %.0f ulp (libm tanhf: %.0f)", lanes, e, l);
	ok(e <= 3, "%s: tanh within 3 ulp (%.0f)", lanes, e);

	one(ls_vexpf, INFINITY, &y);
	ok(isinf(y) && y > 0, "exp(inf) = inf");
	one(ls_vexpf, -INFINITY, &y);
	ok(y == 0, "exp(-inf) = 0");
	one(ls_vexpf, 89.0f, &y);
	ok(isinf(y), "exp(89) overflows to inf, as expf");
	one(ls_vexpf, -103.5f, &y);
	ok(y == expf(-103.5f) && y > 0, "exp(-103.5) the subnormal expf gives (%g)", (double)y);
	one(ls_vexpf, NAN, &y);
	ok(isnan(y), "exp(NaN) = NaN");
	one(ls_vsigmoidf, INFINITY, &y);
	ok(y == 1, "sigmoid(inf) = 1");
	one(ls_vsigmoidf, -INFINITY, &y);
	ok(y == 0, "sigmoid(-inf) = 0");
	one(ls_vsigmoidf, NAN, &y);
	ok(isnan(y), "sigmoid(NaN) = NaN");
	one(ls_vtanhf, -INFINITY, &y);
	ok(y == -1, "tanh(-inf) = -1");
	one(ls_vtanhf, 0.0f, &y);
	ok(y == 0, "tanh(0) = 0");
	one(ls_vtanhf, NAN, &y);
	ok(isnan(y), "tanh(NaN) = NaN");

	/* every length up to two blocks and more, in place and not */
	for (n = 0, bad = 0; n <= 37; n++) {
		for (i = 0; i < 37; i++)
			v[i] = w[i] = (float)(i - 18) * 0.75f;
		ls_vreluf(v, n, v);
		ls_vleakyf(w, n, 0.1f, w);
		for (i = 0; i < 37; i++) {
			float x = (float)(i - 18) * 0.75f;
			bad |= v[i] != (i < n ? (x > 0 ? x : 0) : x);
			bad |= w[i] != (i < n ? (x > 0 ? x : 0.1f * x) : x);
		}
		for (i = 0; i < 37; i++)
			v[i] = (float)(i - 18) * 0.75f, w[i] = -7;
		ls_vexpf(v, n, w);
		for (i = 0; i < 37; i++)
			bad |= i < n ? ulps(w[i], (float)exp((double)v[i])) > 2 : w[i] != -7;
	}
	ok(!bad, "%s: relu, leaky relu and exp over lengths 0..37, in place and not, touch only n values", lanes);
}

int
main(void)
{
	ls_vmath_generic(1);
	check_all("four lanes");
	ls_vmath_generic(0);
	check_all("the widest lanes here");
	return done_testing();
}
