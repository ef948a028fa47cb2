/*
 * bytes.h: little-endian byte helpers shared by the file formats. Files
 * linscope reads and writes are little-endian whatever the host; these are
 * the only places that know it.
 */
#ifndef LINSCOPE_BYTES_H
#define LINSCOPE_BYTES_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* An unsigned little-endian integer of size (1..8) bytes. */
static inline uint64_t
ls_load_le(const unsigned char *p, int size)
{
	uint64_t u = 0;
	int i;

	for (i = 0; i < size; i++)
		u |= (uint64_t)p[i] << (8 * i);
	return u;
}

/* A signed (two's complement) little-endian integer of size bytes. */
static inline int64_t
ls_load_sint(const unsigned char *p, int size)
{
	uint64_t u = ls_load_le(p, size), sign = (uint64_t)1 << (8 * size - 1);
	int64_t v;

	if (size == 8) {
		memcpy(&v, &u, 8);
		return v;
	}
	return (u & sign) ? (int64_t)u - ((int64_t)1 << (8 * size)) : (int64_t)u;
}

/* Writes n floats as little-endian float32. Returns 0 on success. */
static inline int
ls_write_f32_le(FILE *fp, const float *x, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return n && fwrite(x, 4, n, fp) != n ? -1 : 0;
#else
	unsigned char b[4];
	size_t i;

	for (i = 0; i < n; i++) {
		uint32_t u;
		memcpy(&u, &x[i], 4);
		b[0] = (unsigned char)u;
		b[1] = (unsigned char)(u >> 8);
		b[2] = (unsigned char)(u >> 16);
		b[3] = (unsigned char)(u >> 24);
		if (fwrite(b, 1, 4, fp) != 4)
			return -1;
	}
	return 0;
#endif
}

#endif
