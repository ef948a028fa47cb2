/*
 * vmath.c: vectorised float32 exp, sigmoid, tanh, relu and leaky relu (see
 * vmath.h), written with GCC's vector extensions (also in clang) on four
 * floats at a time, so the code is vector code at any optimisation level
 * and on any target (one SSE register on x86-64, one NEON register on
 * arm64); selections are bit masks, never branches. A
 * tail shorter than four is padded.
 */
#include <stdint.h>
#include <string.h>

#include "base/vmath.h"

typedef float v4f __attribute__((vector_size(16)));
typedef int32_t v4i __attribute__((vector_size(16)));

#define VB 4

/* m ? a : b, m all ones or all zeros per lane. */
static inline v4f
sel(v4i m, v4f a, v4f b)
{
	return (v4f)((m & (v4i)a) | (~m & (v4i)b));
}

static inline v4f
splat(float f)
{
	v4f v = { f, f, f, f };
	return v;
}

/* exp, lane by lane: x = n ln2 + r, exp(r) by Cephes's polynomial, 2^n in
 * two factors so that subnormal and infinite results round as expf's. */
static inline v4f
exp4(v4f v)
{
	v4i ok = v == v;   /* NaN lanes are passed through at the end */
	v4f x = sel(ok, v, splat(0)), t, nf, z, q;
	v4i n, h;

	x = sel(x < -104.0f, splat(-104.0f), x);
	x = sel(x > 89.0f, splat(89.0f), x);
	t = x * 1.44269504088896341f + 12582912.0f;   /* round(x log2 e) + 1.5 2^23 */
	n = (v4i)t - 0x4b400000;                       /* that integer, in [-150, 128] */
	h = n / 2;
	nf = t - 12582912.0f;
	x = x - nf * 0.693359375f;
	x = x - nf * -2.12194440e-4f;
	z = x * x;
	q = 1.9875691500e-4f + 0 * x;
	q = q * x + 1.3981999507e-3f;
	q = q * x + 8.3334519073e-3f;
	q = q * x + 4.1665795894e-2f;
	q = q * x + 1.6666665459e-1f;
	q = q * x + 5.0000001201e-1f;
	q = (q * z + x + 1.0f) * (v4f)((h + 127) << 23) * (v4f)((n - h + 127) << 23);
	return sel(ok, q, v);
}

static inline v4f
sigmoid4(v4f v)
{
	v4f e = exp4(sel(v < 0, v, -v)), q;   /* exp(-|v|); NaN stays NaN */

	q = 1.0f / (1.0f + e);
	return sel(v >= 0, q, e * q);
}

static inline v4f
tanh4(v4f v)
{
	v4i neg = v < 0;
	v4f a = sel(neg, -v, v), z = v * v, s, big;

	s = -5.70498872745e-3f + 0 * z;
	s = s * z + 2.06390887954e-2f;
	s = s * z - 5.37397155531e-2f;
	s = s * z + 1.33314422036e-1f;
	s = s * z - 3.33332819422e-1f;
	s = s * z * v + v;
	big = 1.0f - 2.0f / (exp4(a + a) + 1.0f);
	big = sel(neg, -big, big);
	return sel(a < 0.625f, s, sel(v == v, big, v));
}

static inline v4f
relu4(v4f v)
{
	return sel(v > 0, v, splat(0));
}

/* y[i] = EXPR(x[i]) over n values, four at a time. */
#define VRUN(x, n, y, EXPR)                                                    \
	do {                                                                   \
		v4f in_, out_;                                                 \
		long i_ = 0;                                                   \
		for (; i_ + VB <= (n); i_ += VB) {                             \
			memcpy(&in_, (x) + i_, sizeof in_);                    \
			out_ = EXPR;                                           \
			memcpy((y) + i_, &out_, sizeof out_);                  \
		}                                                              \
		if (i_ < (n)) {                                                \
			memset(&in_, 0, sizeof in_);                           \
			memcpy(&in_, (x) + i_, (size_t)((n) - i_) * sizeof(float)); \
			out_ = EXPR;                                           \
			memcpy((y) + i_, &out_, (size_t)((n) - i_) * sizeof(float)); \
		}                                                              \
	} while (0)

void
ls_vexpf(const float *x, long n, float *y)
{
	VRUN(x, n, y, exp4(in_));
}

void
ls_vsigmoidf(const float *x, long n, float *y)
{
	VRUN(x, n, y, sigmoid4(in_));
}

void
ls_vtanhf(const float *x, long n, float *y)
{
	VRUN(x, n, y, tanh4(in_));
}

void
ls_vreluf(const float *x, long n, float *y)
{
	VRUN(x, n, y, relu4(in_));
}

void
ls_vleakyf(const float *x, long n, float slope, float *y)
{
	VRUN(x, n, y, sel(in_ > 0, in_, in_ * slope));
}
