/*
 * status.h: error codes and messages shared by the whole core.
 *
 * Every fallible core function returns an enum ls_status and, on failure,
 * writes a one-line message "SUBJECT: what is wrong" (no trailing newline,
 * at most LS_ERR_MAX bytes with the NUL) into a buffer the caller owns.
 * The command line prints it as "linscope: SUBJECT: what is wrong".
 */
#ifndef LINSCOPE_STATUS_H
#define LINSCOPE_STATUS_H

#include <stddef.h>

#define LS_ERR_MAX 512

enum ls_status {
	LS_OK = 0,
	LS_EIO,       /* cannot open, read or write a file */
	LS_EFORMAT,   /* a file is not of the expected format or is corrupt */
	LS_EINVAL,    /* bad user input: shapes, names, ranges, options */
	LS_ENOMEM,    /* a size beyond the resource limits */
	LS_EINTERNAL, /* a broken invariant */
	LS_EEXIST     /* a name or file exists and replacing it was not asked
		       * for (the caller says how to ask: --force, save --force) */
};

/* Formats a message into err (may be NULL); returns code for tail calls. */
enum ls_status ls_err(char *err, enum ls_status code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Exit status for a status: 0 ok, 2 bad input, 1 internal failure. */
int ls_status_exit(enum ls_status st);

#endif
