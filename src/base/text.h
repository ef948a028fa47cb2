/*
 * text.h: strings from files made safe for a terminal.
 *
 * One rule for every string that came from a file (tensor names, metadata,
 * labels, layer-program tokens, ONNX names, script text): when it is
 * printed to a terminal or drawn by curses it goes through ls_text_safe()
 * or ls_safe() first. Files linscope writes keep the exact bytes; JSON
 * output escapes as JSON does.
 *
 * The safe form: valid UTF-8 is kept, except C1 controls (U+0080..U+009F),
 * bidirectional overrides and isolates (U+202A..U+202E, U+2066..U+2069) and
 * line/paragraph separators (U+2028, U+2029); those, every C0 control
 * (tab and newline included), DEL and every byte of invalid UTF-8 become
 * '?'. A value longer than the limit is cut (at a character) and ends in
 * "...".
 */
#ifndef LINSCOPE_TEXT_H
#define LINSCOPE_TEXT_H

#include <stddef.h>
#include <stdio.h>

#define LS_SAFE_COLS 200                 /* ls_safe(): characters kept */
#define LS_SAFE_MAX (4 * LS_SAFE_COLS + 4) /* its buffers, in bytes */

/* Writes the safe form of src into dst (dstsz >= 8 bytes), keeping at most
 * max characters (0: as many as dst holds), and returns dst. dst may be
 * src when max is 0 (the safe form is never longer). */
char *ls_text_safe(char *dst, size_t dstsz, const char *src, size_t max);

/* The safe form of s (NULL gives "(null)"), at most LS_SAFE_COLS
 * characters, in one of 8 rotating thread-local buffers: for printf
 * arguments, at most 8 in one call; valid until the 8th next call. */
const char *ls_safe(const char *s);

/* Writes text of several lines to fp in the safe form, keeping newlines
 * and tabs and not cutting; EOF on a write error. */
int ls_fputs_safe(const char *s, FILE *fp);

/* Does s need no change (no control, valid UTF-8)? */
int ls_text_is_safe(const char *s);

#endif
