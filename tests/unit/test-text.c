/*
 * test-text.c: the terminal-safe form of strings from files (base/text.h),
 * against hand-written expectations: C0, DEL and C1 controls, bidi
 * overrides, every kind of invalid UTF-8 (stray continuation bytes,
 * overlong forms, surrogates, code points past U+10FFFF, truncated
 * sequences) become '?'; valid text (ASCII, accents, CJK, emoji) is kept
 * byte for byte; long values are cut at a character with "...".
 */
#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "base/util.h"
#include "../lib/tap.h"

/* ls_safe(in) == want */
static void
check(const char *in, const char *want, const char *what)
{
	const char *got = ls_safe(in);

	if (!ok(strcmp(got, want) == 0, "%s", what))
		diag("got '%s', want '%s'", got, want);
}

/* Has s any byte < 0x20, 0x7f or a C1 control as UTF-8 (c2 80..9f)? */
static int
has_control(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return 1;
	return 0;
}

static void
test_controls(void)
{
	check("\x1b]0;pwn\x07\x1b[2J", "?]0;pwn??[2J", "ESC, BEL: each one '?'");
	check("a\tb\nc\rd", "a?b?c?d", "tab, newline, CR: '?' (one line)");
	check("del\x7f", "del?", "DEL: '?'");
	check("x\xc2\x9b" "2J", "x?2J", "C1 CSI as UTF-8 (U+009B): '?'");
	check("x\xc2\x85y", "x?y", "C1 NEL (U+0085): '?'");
	check("a\xe2\x80\xae" "b", "a?b", "bidi override U+202E: '?'");
	check("a\xe2\x81\xa6" "b", "a?b", "bidi isolate U+2066: '?'");
	check("a\xe2\x80\xa8" "b", "a?b", "line separator U+2028: '?'");
}

static void
test_utf8(void)
{
	check("caf\xc3\xa9 \xe6\xbc\xa2 \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe6\xbc\xa2 \xf0\x9f\x98\x80",
	      "valid UTF-8 (2, 3 and 4 bytes) kept");
	check("a\x9b" "b", "a?b", "a raw 0x9b (8-bit CSI) byte: '?'");
	check("a\x80\xbf" "b", "a??b", "stray continuation bytes: one '?' each");
	check("\xc0\xaf", "??", "overlong 2-byte form (C0 AF): '?' per byte");
	check("\xe0\x80\xaf", "???", "overlong 3-byte form: '?' per byte");
	check("\xed\xa0\x80", "???", "a UTF-16 surrogate (U+D800): '?' per byte");
	check("\xf4\x90\x80\x80", "????", "past U+10FFFF: '?' per byte");
	check("ab\xe6\xbc", "ab??", "a sequence cut by the end of the string");
	check("\xff\xfe", "??", "FF, FE: '?'");
	check(NULL, "(null)", "NULL gives (null)");
}

static void
test_cut(void)
{
	char big[3000], buf[32], want[LS_SAFE_MAX];
	const char *got;

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	got = ls_safe(big);
	memset(want, 'x', LS_SAFE_COLS);
	strcpy(want + LS_SAFE_COLS, "...");
	ok(strcmp(got, want) == 0, "a 2999-byte value is cut to %d characters and '...'", LS_SAFE_COLS);
	ls_text_safe(buf, sizeof buf, "\xe6\xbc\xa2\xe6\xbc\xa2\xe6\xbc\xa2", 2);
	ok(strcmp(buf, "\xe6\xbc\xa2\xe6\xbc\xa2...") == 0, "the cut is at a character, not a byte");
	ls_text_safe(buf, 8, "abcdefghijkl", 0);
	ok(strcmp(buf, "abcd...") == 0 && strlen(buf) < 8, "a small buffer cuts too: '%s'", buf);
	strcpy(buf, "in\x1bplace\xc2\x9b");
	ls_text_safe(buf, sizeof buf, buf, 0);
	ok(strcmp(buf, "in?place?") == 0, "in place (dst == src): '%s'", buf);
}

/* Every byte string of length 1..3 (all 2^24 of length 3 would be slow:
 * every first byte with a few followers) gives output without controls. */
static void
test_exhaustive(void)
{
	static const unsigned char tails[] = { 0x00, 0x1b, 0x41, 0x80, 0x9b, 0xbf, 0xc2, 0xe2 };
	char in[4], b[32];
	int a, i, j, bad = 0, safe = 0;

	for (a = 1; a < 256; a++)
		for (i = 0; i < 8; i++)
			for (j = 0; j < 8; j++) {
				in[0] = (char)a, in[1] = (char)tails[i], in[2] = (char)tails[j], in[3] = 0;
				ls_text_safe(b, sizeof b, in, 0);
				bad += has_control(b) || strlen(b) > strlen(in);
				safe += ls_text_is_safe(b);
			}
	ok(bad == 0, "255 x 64 short strings: no control byte and never longer (%d bad)", bad);
	ok(safe == 255 * 64, "... and each output is itself safe (%d of %d)", safe, 255 * 64);
}

static void
test_fputs(void)
{
	char out[64] = "";
	FILE *f = fmemopen(out, sizeof out, "w");

	ls_fputs_safe("a\tb\nc\x1b[2J\xc2\x9b", f);
	fclose(f);
	ok(strcmp(out, "a\tb\nc?[2J?") == 0, "ls_fputs_safe keeps tabs and newlines only");
}

int
main(void)
{
	char err[LS_ERR_MAX];

	test_controls();
	test_utf8();
	test_cut();
	test_exhaustive();
	test_fputs();
	ls_err(err, LS_EINVAL, "%s: bad", "x\xc2\x9b" "2J\x9b");
	ok(strcmp(err, "x?2J?: bad") == 0, "error messages are safe too (C1, raw 0x9b): '%s'", err);
	return done_testing();
}
