/*
 * test-fuzz-replay.c: replays the committed fuzzing inputs without the
 * fuzzer runtime. Built once per harness with -DFUZZ_NAME="st" (etc.) and
 * linked with tests/fuzz/fuzz-NAME.c, it feeds every file of
 * $srcdir/tests/fuzz/corpus/NAME/ and $srcdir/tests/fuzz/regress/NAME/ to
 * LLVMFuzzerTestOneInput(), each in a child process with a time limit, so
 * a crash, a sanitizer report, a leak (under ASan) or a hang in one input
 * is reported by name and does not hide the others.
 *
 * TAP: one test per regression file (the crashers found so far), one per
 * corpus folder (all of its seeds pass), and one that the corpus exists.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/tap.h"

#ifndef FUZZ_NAME
#error "build with -DFUZZ_NAME='\"st\"' and the harness tests/fuzz/fuzz-NAME.c"
#endif

#define REPLAY_TIMEOUT 20  /* seconds per input: generous for sanitizers/valgrind */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs the harness on one file in a child; 0 if it returned normally. */
static int
replay_one(const char *path, char *why, size_t whylen)
{
	int status;
	pid_t pid;

	fflush(stdout);
	if ((pid = fork()) < 0) {
		snprintf(why, whylen, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		size_t n;
		uint8_t *buf = slurp(path, &n);

		if (!buf)
			_exit(3);
		alarm(REPLAY_TIMEOUT);
		LLVMFuzzerTestOneInput(buf, n);
		free(buf);
		exit(0);   /* exit, not _exit: LeakSanitizer runs at exit */
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		snprintf(why, whylen, "killed by signal %d%s", WTERMSIG(status),
			 WTERMSIG(status) == SIGALRM ? " (time limit)" : "");
	else
		snprintf(why, whylen, "exit status %d", WEXITSTATUS(status));
	return -1;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of dir, sorted (NULL-terminated, malloc'd); NULL if
 * the folder does not exist. */
static char **
list_dir(const char *dir, int *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat sb;
	char **v = NULL, *p;

	*n = 0;
	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		p = malloc(strlen(dir) + strlen(e->d_name) + 2);
		sprintf(p, "%s/%s", dir, e->d_name);
		if (stat(p, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			free(p);
			continue;
		}
		v = realloc(v, (size_t)(*n + 2) * sizeof *v);
		v[(*n)++] = p;
	}
	closedir(d);
	if (!v)
		v = calloc(1, sizeof *v);
	v[*n] = NULL;
	qsort(v, (size_t)*n, sizeof *v, cmp_str);
	return v;
}

static void
free_list(char **v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Replays the corpus folder: one test for all of it. Returns the count. */
static int
replay_corpus(const char *dir)
{
	char why[128];
	int n, i, bad = 0;
	char **v = list_dir(dir, &n);

	for (i = 0; i < n; i++) {
		if (replay_one(v[i], why, sizeof why) != 0) {
			diag("%s: %s", v[i], why);
			bad++;
		}
	}
	ok(bad == 0, "corpus %s: %d of %d inputs replay cleanly", FUZZ_NAME, n - bad, n);
	free_list(v, n);
	return n;
}

/* Replays the regression folder: one test per crasher. */
static void
replay_regress(const char *dir)
{
	char why[128];
	int n, i;
	char **v = list_dir(dir, &n);

	for (i = 0; i < n; i++) {
		int r = replay_one(v[i], why, sizeof why);
		const char *base = strrchr(v[i], '/') + 1;

		if (!ok(r == 0, "regress %s/%s", FUZZ_NAME, base))
			diag("%s", why);
	}
	free_list(v, n);
}

int
main(void)
{
	const char *srcdir = getenv("srcdir");
	char dir[4096];
	int n;

	if (!srcdir)
		srcdir = ".";
	snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", srcdir, FUZZ_NAME);
	n = replay_corpus(dir);
	ok(n > 0, "corpus %s has seeds", FUZZ_NAME);
	snprintf(dir, sizeof dir, "%s/tests/fuzz/regress/%s", srcdir, FUZZ_NAME);
	replay_regress(dir);
	return done_testing();
}
