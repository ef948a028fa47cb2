/*
 * vmath_kern.h: the kernels of vmath.c for one vector width, included once
 * per width. The includer defines VB (lanes), VF and VI (float and int32
 * vector types of VB lanes) and K(name) (the name with the width's
 * suffix), and the target pragma of the width.
 */

/* m ? a : b, m all ones or all zeros per lane. */
static inline VF
K(sel)(VI m, VF a, VF b)
{
	return (VF)((m & (VI)a) | (~m & (VI)b));
}

static inline VF
K(splat)(float f)
{
	VF z = { 0 };

	return z + f;
}

/* exp, lane by lane: x = n ln2 + r, exp(r) by Cephes's polynomial, 2^n in
 * two factors so that subnormal and infinite results round as expf's. */
static inline VF
K(exp)(VF v)
{
	VI ok = v == v;   /* NaN lanes are passed through at the end */
	VF x = K(sel)(ok, v, K(splat)(0)), t, nf, z, q;
	VI n, h;

	x = K(sel)(x < -104.0f, K(splat)(-104.0f), x);
	x = K(sel)(x > 89.0f, K(splat)(89.0f), x);
	t = x * 1.44269504088896341f + 12582912.0f;   /* round(x log2 e) + 1.5 2^23 */
	n = (VI)t - 0x4b400000;                       /* that integer, in [-150, 128] */
	h = n / 2;
	nf = t - 12582912.0f;
	x = x - nf * 0.693359375f;
	x = x - nf * -2.12194440e-4f;
	z = x * x;
	q = K(splat)(1.9875691500e-4f);
	q = q * x + 1.3981999507e-3f;
	q = q * x + 8.3334519073e-3f;
	q = q * x + 4.1665795894e-2f;
	q = q * x + 1.6666665459e-1f;
	q = q * x + 5.0000001201e-1f;
	q = (q * z + x + 1.0f) * (VF)((h + 127) << 23) * (VF)((n - h + 127) << 23);
	return K(sel)(ok, q, v);
}

static inline VF
K(sigmoid)(VF v)
{
	VF e = K(exp)(K(sel)(v < 0, v, -v)), q;   /* exp(-|v|); NaN stays NaN */

	q = 1.0f / (1.0f + e);
	return K(sel)(v >= 0, q, e * q);
}

static inline VF
K(tanh)(VF v)
{
	VI neg = v < 0;
	VF a = K(sel)(neg, -v, v), z = v * v, s, big;

	s = K(splat)(-5.70498872745e-3f);
	s = s * z + 2.06390887954e-2f;
	s = s * z - 5.37397155531e-2f;
	s = s * z + 1.33314422036e-1f;
	s = s * z - 3.33332819422e-1f;
	s = s * z * v + v;
	big = 1.0f - 2.0f / (K(exp)(a + a) + 1.0f);
	big = K(sel)(neg, -big, big);
	return K(sel)(a < 0.625f, s, K(sel)(v == v, big, v));
}

static inline VF
K(relu)(VF v)
{
	return K(sel)(v > 0, v, K(splat)(0));
}

/* y[i] = EXPR(x[i]) over n values, VB at a time. */
#undef VRUN
#define VRUN(x, n, y, EXPR)                                                    \
	do {                                                                   \
		VF in_, out_;                                                 \
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

static void
K(exp_run)(const float *x, long n, float *y)
{
	VRUN(x, n, y, K(exp)(in_));
}

static void
K(sigmoid_run)(const float *x, long n, float *y)
{
	VRUN(x, n, y, K(sigmoid)(in_));
}

static void
K(tanh_run)(const float *x, long n, float *y)
{
	VRUN(x, n, y, K(tanh)(in_));
}

static void
K(relu_run)(const float *x, long n, float *y)
{
	VRUN(x, n, y, K(relu)(in_));
}

static void
K(leaky_run)(const float *x, long n, float slope, float *y)
{
	VRUN(x, n, y, K(sel)(in_ > 0, in_, in_ * slope));
}
