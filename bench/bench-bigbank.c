/*
 * bench-bigbank.c: the explorer's start on a 1M x 64 bank, through the calls
 * the TUI makes (ls_session_open with background gauges, the first frame,
 * the first gauges, then ls_session_gauges_step slices until the k-NN gauge
 * is ready), against reading the bank once (ls_npy_open and a float32 pass)
 * measured in the same run. Targets (issue 11): first frame < 0.5 s, gauges
 * ready < 5 s, peak memory < 2x the bank.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linscope/linscope.h"
#include "base/util.h"

#define ROWS 1000000L
#define D 64

static double
rss_mb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024.0;
}

static unsigned
lcg(unsigned *s)
{
	return *s = *s * 1664525u + 1013904223u;
}

/* Latents: an uneven Gaussian (scales 1 .. 0.1 per axis). */
static void
write_inputs(const char *dir, char *model, char *bank)
{
	static float w1[256 * D], w2[784 * 256];
	struct ls_st_out t[2] = { { "a.weight", 2, { 256, D }, w1 }, { "b.weight", 2, { 784, 256 }, w2 } };
	const char *meta[] = { "linscope.decoder", "a relu b sigmoid", "linscope.image", "28x28x1" };
	int64_t shape[2] = { ROWS, D };
	char err[LS_ERR_MAX];
	float *z = xmalloc((size_t)ROWS * D * sizeof *z);
	unsigned s = 5;
	long i;

	for (i = 0; i < 256 * D; i++)
		w1[i] = ((lcg(&s) >> 8) / 16777216.0f - 0.5f) * 0.3f;
	for (i = 0; i < 784 * 256; i++)
		w2[i] = ((lcg(&s) >> 8) / 16777216.0f - 0.5f) * 0.1f;
	for (i = 0; i < ROWS * D; i++) {
		double u1 = ((lcg(&s) >> 8) + 1) / 16777217.0, u2 = (lcg(&s) >> 8) / 16777216.0;
		z[i] = (float)(sqrt(-2 * log(u1)) * cos(2 * M_PI * u2) * (1.0 - 0.9 * (i % D) / D));
	}
	snprintf(model, 512, "%s/m.safetensors", dir);
	snprintf(bank, 512, "%s/bank.npy", dir);
	if (ls_st_write(model, t, 2, meta, 2, err) || ls_npy_write_f32(bank, z, 2, shape, err))
		ls_fatal("%s", err);
	free(z);
}

int
main(void)
{
	char dir[] = "/tmp/bench-bigbank-XXXXXX", model[512], bank[512], err[LS_ERR_MAX], cmd[600];
	struct ls_session *s;
	struct ls_npy *npy;
	struct ls_where w;
	const float *img, *img0;
	double t0, t_read, t_frame, t_where, t_ready, rss0, p = 0, sum = 0;
	float *buf;
	long i;

	pid_t pid;
	int st;

	if (!mkdtemp(dir))
		ls_fatal("mkdtemp");
	if ((pid = fork()) == 0) {      /* the inputs, in a child: its memory is not ours */
		write_inputs(dir, model, bank);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		ls_fatal("writing the inputs failed");
	snprintf(model, 512, "%s/m.safetensors", dir);
	snprintf(bank, 512, "%s/bank.npy", dir);
	rss0 = rss_mb();
	t0 = ls_now();          /* reference: read the bank once */
	if (ls_npy_open(bank, &npy, err))
		ls_fatal("%s", err);
	buf = xmalloc(65536 * sizeof *buf);
	for (i = 0; i < ROWS * D; i += 65536) {
		ls_npy_read_f32(npy, i, ROWS * D - i < 65536 ? ROWS * D - i : 65536, buf);
		sum += buf[7];
	}
	ls_npy_free(npy);
	free(buf);
	t_read = ls_now() - t0;
	t0 = ls_now();
	if (ls_session_open(model, bank, NULL, &s, err))
		ls_fatal("%s", err);
	ls_session_set_background(s, 1);
	ls_session_frame(s, &img, &img0);
	t_frame = ls_now() - t0;
	if (ls_session_where(s, &w, err))
		ls_fatal("%s", err);
	t_where = ls_now() - t0;
	while (p >= 0 && p < 1)
		p = ls_session_gauges_step(s, 0.012);
	ls_session_where(s, &w, err);
	t_ready = ls_now() - t0;
	printf("bank %ld x %d float32 (%.0f MB); reading it once: %.3f s (checksum %g)\n", ROWS, D,
	       ROWS * D * 4 / 1e6, t_read, sum);
	printf("  first frame:  %.3f s (%.2fx the read; target < 0.5 s)\n", t_frame, t_frame / t_read);
	printf("  first gauges: %.3f s (k-NN pending)\n", t_where);
	printf("  gauges ready: %.3f s (%.2fx the read; target < 5 s), k-NN distance %.3f, pct %.1f\n",
	       t_ready, t_ready / t_read, w.knn, w.knn_pct);
	printf("  peak memory of the session: %.0f MB (%.2fx the bank; target < 2)\n",
	       rss_mb() - rss0, (rss_mb() - rss0) / (ROWS * D * 4 / 1048576.0));
	ls_session_free(s);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) != 0;
}
