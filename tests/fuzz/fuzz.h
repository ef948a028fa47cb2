/*
 * fuzz.h: helpers shared by the libFuzzer harnesses (header only).
 *
 * Each harness defines LLVMFuzzerTestOneInput(data, size); it must return 0,
 * never crash, leak or hang, whatever the bytes. The parsers that take a
 * path get the bytes through a file in a private scratch folder (created on
 * first use, under $TMPDIR, removed at exit).
 */
#ifndef LINSCOPE_FUZZ_H
#define LINSCOPE_FUZZ_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linscope/status.h"
#include "base/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_dir[256];

/* Removes the scratch folder and the files the harness left in it (the
 * harnesses write no subfolders). */
static __attribute__((unused)) void
fuzz_cleanup(void)
{
	char path[600];
	struct dirent *e;
	DIR *d;

	if (!fuzz_dir[0] || !(d = opendir(fuzz_dir)))
		return;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", fuzz_dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(fuzz_dir);
}

/* The private scratch folder, created on first call. */
static __attribute__((unused)) const char *
fuzz_scratch(void)
{
	const char *t = getenv("TMPDIR");

	if (fuzz_dir[0])
		return fuzz_dir;
	snprintf(fuzz_dir, sizeof fuzz_dir, "%s/linscope-fuzz-XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(fuzz_dir)) {
		perror("fuzz: mkdtemp");
		abort();
	}
	atexit(fuzz_cleanup);
	return fuzz_dir;
}

/* Writes data to SCRATCH/name and returns its path (a static buffer). */
static __attribute__((unused)) const char *
fuzz_file(const char *name, const uint8_t *data, size_t size)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", fuzz_scratch(), name);
	if (!(f = fopen(path, "wb")) || (size && fwrite(data, 1, size, f) != size) ||
	    fclose(f) != 0) {
		perror(path);
		abort();
	}
	return path;
}

/* An error message must be one non-empty line that names its subject. */
static __attribute__((unused)) void
fuzz_check_err(enum ls_status s, const char *err)
{
	if (s == LS_OK)
		return;
	if (!err[0] || strchr(err, '\n') || !strchr(err, ':')) {
		fprintf(stderr, "fuzz: bad error message for status %d: '%s'\n", (int)s, err);
		abort();
	}
}

#endif
