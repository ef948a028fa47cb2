/*
 * text.c: the terminal-safe form of strings from files (text.h).
 *
 * A scanner walks src one UTF-8 sequence at a time (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF); a valid sequence of an
 * allowed character is copied, anything else becomes one '?' per byte of
 * an invalid sequence or per disallowed character. The output is never
 * longer than the input, which is what lets dst be src.
 */
#include <string.h>

#include "base/text.h"

/* Length of the valid UTF-8 sequence at s and its code point, 0 if invalid. */
static int
utf8_seq(const unsigned char *s, unsigned long *cp)
{
	int n, i;
	unsigned long c;

	if (s[0] < 0x80)
		return *cp = s[0], 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return *cp = c, n;
}

/* May code point c reach a terminal? */
static int
cp_ok(unsigned long c)
{
	if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
		return 0;
	if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x2028 ||
	    c == 0x2029)
		return 0;
	return 1;
}

char *
ls_text_safe(char *dst, size_t dstsz, const char *src, size_t max)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0, chars = 0;
	unsigned long cp;
	int n;

	while (*s) {
		n = utf8_seq(s, &cp);
		if ((max && chars == max) || o + (n ? n : 1) + 4 > dstsz) {
			if (o + 4 <= dstsz)
				memcpy(dst + o, "...", 3), o += 3;
			break;
		}
		if (n && cp_ok(cp))
			memmove(dst + o, s, (size_t)n), o += (size_t)n;
		else
			dst[o++] = '?';
		s += n ? n : 1;
		chars++;
	}
	dst[o] = 0;
	return dst;
}

const char *
ls_safe(const char *s)
{
	static _Thread_local char buf[8][LS_SAFE_MAX];
	static _Thread_local int next;
	char *b = buf[next++ & 7];

	return ls_text_safe(b, LS_SAFE_MAX, s ? s : "(null)", LS_SAFE_COLS);
}

int
ls_text_is_safe(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;
	int n;

	for (; *p; p += n)
		if (!(n = utf8_seq(p, &cp)) || !cp_ok(cp))
			return 0;
	return 1;
}

int
ls_fputs_safe(const char *s, FILE *fp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;
	int n;

	for (; *p; p += n ? n : 1) {
		n = utf8_seq(p, &cp);
		if (n && (cp_ok(cp) || cp == '\n' || cp == '\t'))
			fwrite(p, 1, (size_t)n, fp);
		else
			putc('?', fp);
	}
	return ferror(fp) ? EOF : 0;
}
