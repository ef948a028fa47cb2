/*
 * vmath.h: float32 element-wise functions over arrays, four or eight
 * values at a time in vector registers (GCC vector extensions, see
 * vmath.c; each block is loaded into a local vector first, so x and y may
 * be the same array).
 *
 * ls_vexpf: exp by range reduction (x = n ln2 + r, |r| <= ln2/2, ln2 in two
 * parts) and Cephes's degree-6 polynomial, scaled by 2^n in two factors (so
 * results that underflow to subnormals or overflow to inf do so as expf's).
 * Within 2 ulp of the correctly rounded exp over the whole float range
 * (tests/unit/test-vmath measures it); NaN stays NaN.
 * ls_vsigmoidf: 1 / (1 + e) and e / (1 + e) with e = exp(-|x|).
 * ls_vtanhf: an odd polynomial below |x| 0.625 (Cephes), else
 * sign(x) (1 - 2 / (exp(2|x|) + 1)).
 * ls_vreluf, ls_vleakyf: max(x, 0) and x > 0 ? x : slope x.
 */
#ifndef LS_BASE_VMATH_H
#define LS_BASE_VMATH_H

void ls_vexpf(const float *x, long n, float *y);
void ls_vsigmoidf(const float *x, long n, float *y);
void ls_vtanhf(const float *x, long n, float *y);
void ls_vreluf(const float *x, long n, float *y);
void ls_vleakyf(const float *x, long n, float slope, float *y);
/* Nonzero: use the four-lane kernels even where the eight-lane (AVX2)
 * ones could run (the tests measure both). */
void ls_vmath_generic(int on);

#endif
