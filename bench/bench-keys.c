/*
 * bench-keys.c: slider step -> bytes written, in a pty (forkpty, no tmux).
 *
 * Runs `linscope tui -m MODEL` on a pseudo-terminal of 160x48 (TERM
 * xterm-256color, --pixels text), adds the direction rows:3-7, waits until
 * the status line says "exact path" (or WAIT seconds pass), then presses l
 * and h alternately KEYS times. For each key: the time from writing the key
 * to the last byte of the redraw it causes (the output goes quiet for
 * QUIET ms; that quiet time is not counted), p50 / p99 / max. When the
 * path is not ready at first, the same keys are measured while it is built
 * (direct decodes) and again once it is: two figures from one run.
 *
 * Usage: bench-keys LINSCOPE [MODEL [KEYS [WAIT]]]   (defaults: digits 200 120)
 * The explorer runs in a temporary folder (its HOME and working directory).
 */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define QUIET_MS 40
#define TAIL 4096

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The last TAIL bytes of output (for the ready check). */
static char tail[TAIL + 1];
static size_t tail_n;

/* Which of the status line's path states was written last: 1 exact path,
 * 0 another (building path, direct decode), -1 none yet. */
static int path_state = -1;

/* Notes the path states written in the tail's last n bytes (plus the 16
 * before them, for a state split between two reads). */
static void
tail_scan(size_t n)
{
	static const char *const states[] = { "exact path", "building path", "direct decode" };
	size_t from = tail_n > n + 16 ? tail_n - n - 16 : 0;
	const char *best = NULL, *q;
	int k;

	for (k = 0; k < 3; k++)
		for (q = tail + from; (q = strstr(q, states[k])); q++)
			if (!best || q > best)
				best = q, path_state = k == 0;
}

static void
tail_add(const char *b, size_t n)
{
	if (n >= TAIL) {
		memcpy(tail, b + n - TAIL, TAIL);
		tail_n = TAIL;
	} else {
		if (tail_n + n > TAIL) {
			memmove(tail, tail + (tail_n + n - TAIL), TAIL - n);
			tail_n = TAIL - n;
		}
		memcpy(tail + tail_n, b, n);
		tail_n += n;
	}
	tail[tail_n] = 0;
	tail_scan(n < TAIL ? n : TAIL);
}

/* Reads what arrives until the output has been quiet for quiet_ms (or
 * max_s passed); returns the time of the last byte (0 if none). */
static double
drain(int fd, int quiet_ms, double max_s)
{
	double t0 = now(), last = 0;
	char buf[65536];
	struct pollfd p = { fd, POLLIN, 0 };
	ssize_t n;

	while (now() - t0 < max_s && poll(&p, 1, quiet_ms) > 0) {
		ssize_t o;
		if ((n = read(fd, buf, sizeof buf)) <= 0)
			break;
		last = now();
		for (o = 0; o < n; o += TAIL / 2)   /* chunks that keep the scan's overlap */
			tail_add(buf + o, (size_t)(n - o < TAIL / 2 ? n - o : TAIL / 2));
	}
	return last;
}

/* Waits up to max_s for output to arrive (not read); 1 if it did. */
static int
wait_byte(int fd, double max_s)
{
	struct pollfd p = { fd, POLLIN, 0 };

	return poll(&p, 1, (int)(max_s * 1e3)) > 0;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Waits up to wait_s for "exact path" on the screen; 1 if seen. */
static int
wait_ready(int fd, double wait_s)
{
	double t0 = now();

	while (now() - t0 < wait_s) {
		drain(fd, 100, 0.5);
		if (path_state == 1)
			return 1;
	}
	return 0;
}

/* Presses l and h alternately n times; prints p50 / p99 / max of key ->
 * last byte, labelled with the path state at the end. */
static void
measure(int fd, const char *model, int n)
{
	double *lat = calloc((size_t)n, sizeof *lat);
	int i;

	for (i = 0; i < n; i++) {
		char k = (i / 10) % 2 ? 'h' : 'l';
		double t0, t1;
		drain(fd, QUIET_MS, 5);   /* nothing pending before the key */
		t0 = now();
		if (write(fd, &k, 1) != 1)
			break;
		t1 = wait_byte(fd, 10) ? drain(fd, QUIET_MS, 10) : 0;
		lat[i] = t1 > 0 ? t1 - t0 : 0;
	}
	qsort(lat, (size_t)i, sizeof *lat, cmp);
	if (i > 0)
		printf("%s: %d slider keys, %s: key -> last byte p50 %.2f ms  p99 %.2f ms  max %.2f ms\n",
		       model, i, path_state == 1 ? "exact path" : "path not ready (direct decodes)",
		       1e3 * lat[i / 2], 1e3 * lat[i * 99 / 100], 1e3 * lat[i - 1]);
	fflush(stdout);
	free(lat);
}

int
main(int argc, char **argv)
{
	const char *ls = argc > 1 ? argv[1] : "./linscope", *model = argc > 2 ? argv[2] : "digits";
	int keys = argc > 3 ? atoi(argv[3]) : 200, fd, status;
	double wait_s = argc > 4 ? atof(argv[4]) : 120;
	struct winsize ws = { 48, 160, 0, 0 };
	const char *cmd = ":dir rows 3 7 r\r";
	char dir[] = "/tmp/bench-keys-XXXXXX", rm[64];
	pid_t pid;

	if (keys < 1)
		keys = 1;
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	if ((pid = forkpty(&fd, NULL, NULL, &ws)) < 0) {
		perror("forkpty");
		return 1;
	}
	if (pid == 0) {
		setenv("TERM", "xterm-256color", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
		setenv("ESCDELAY", "25", 1);
		setenv("HOME", dir, 1);   /* recovery state and the preview PNG stay there */
		setenv("XDG_STATE_HOME", dir, 1);
		if (chdir(dir) != 0)
			_exit(127);
		execl(ls, ls, "tui", "-m", model, "--no-restore", "--pixels", "text", (char *)NULL);
		_exit(127);
	}
	drain(fd, 500, 30);
	if (write(fd, cmd, strlen(cmd)) < 0)
		return 1;
	drain(fd, 300, 5);
	if (path_state != 1)   /* the same keys while the path is built, then with it */
		measure(fd, model, keys);
	if (wait_ready(fd, wait_s))
		measure(fd, model, keys);
	else
		printf("%s: no exact path within %g s\n", model, wait_s);
	if (write(fd, "qy", 2) < 0)
		perror("write");
	drain(fd, 200, 5);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
	if (system(rm) != 0)
		fprintf(stderr, "bench-keys: could not remove %s\n", dir);
	return 0;
}
