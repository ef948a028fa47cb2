/*
 * bench-frame.c: the explorer's slider latency, through the code path the
 * TUI uses: a step command (ls_cmd_exec "step"), the frame decoded
 * (ls_session_frame) and the preview PNG written (ls_session_tick with no
 * debounce), timed over a few hundred steps. Reports p50 and p99 for the
 * bundled digits model and a synthetic ~20M-parameter decoder, each with
 * the ratio to a bare decode of one latent measured in the same run.
 * Target: p99 under 16 ms for the bundled model. With a model file as
 * argv[1], that model only.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linscope/linscope.h"
#include "base/blas.h"
#include "base/util.h"

#define STEPS 300

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Percentile q (0..1) of n sorted values. */
static double
pct(const double *v, int n, double q)
{
	int i = (int)ceil(q * n) - 1;

	return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

/* Times STEPS slider steps through ls_cmd_exec, the frame, and a tick
 * with the given debounce (< 0: preview off) into t (sorted, ms). */
static void
pass(struct ls_session *s, double debounce, double *t)
{
	char msg[LS_MSG_MAX];
	const float *img;
	int i, wrote;

	ls_session_set_preview(s, NULL, debounce >= 0);
	ls_session_set_debounce(s, debounce >= 0 ? debounce : 0);
	for (i = 0; i < STEPS; i++) {
		double t0 = ls_now();
		ls_cmd_exec(s, (i / 20) % 2 ? "step -fine" : "step +fine", msg);
		ls_session_frame(s, &img, NULL);
		ls_session_tick(s, ls_now(), &wrote, msg);
		t[i] = (ls_now() - t0) * 1e3;
	}
	qsort(t, STEPS, sizeof *t, cmp_d);
}

/* Bare decodes of one latent (the reference), sorted ms. */
static void
pass_decode(struct ls_session *s, double *t)
{
	float *y = malloc((size_t)ls_model_out_dim(ls_session_model(s)) * sizeof *y);
	int i;

	for (i = 0; i < STEPS; i++) {
		double t0 = ls_now();
		ls_model_decode(ls_session_model(s), ls_session_z(s), 1, y);
		t[i] = (ls_now() - t0) * 1e3;
	}
	qsort(t, STEPS, sizeof *t, cmp_d);
	free(y);
}

static void
report(const char *what, const double *t, const double *ref)
{
	printf("  %-34s p50 %8.3f ms  p99 %8.3f ms  (p50 %.2fx a bare decode)\n", what,
	       pct(t, STEPS, .5), pct(t, STEPS, .99), pct(t, STEPS, .5) / pct(ref, STEPS, .5));
}

/* The three figures for one model. */
static int
bench(const char *label, const char *model, int bundled)
{
	static double ref[STEPS], t[STEPS];
	char err[LS_MSG_MAX];
	struct ls_session *s;

	if (ls_session_open(model, NULL, NULL, &s, err) != LS_OK ||
	    ls_cmd_exec(s, bundled ? "dir rows 3 7" : "dir axis 0", err) != LS_OK) {
		fprintf(stderr, "bench-frame: %s\n", err);
		return 1;
	}
	ls_session_set_preview(s, "bench-preview.png", 1);
	printf("%s (%d steps)\n", label, STEPS);
	pass_decode(s, ref);
	report("bare decode of one latent", ref, ref);
	pass(s, -1, t);
	report("step -> frame", t, ref);
	pass(s, LS_SESSION_DEBOUNCE, t);
	report("step -> frame, debounced preview", t, ref);
	pass(s, 0, t);
	report("step -> frame -> preview PNG", t, ref);
	printf("  target p99 < 16 ms (step -> frame -> PNG): %s\n",
		       pct(t, STEPS, .99) < 16 ? "met" : "MISSED");
	ls_session_free(s);
	unlink("bench-preview.png");
	return 0;
}

/* A random affine layer (out, in) scaled 1/sqrt(in), seeded. */
static float *
rand_w(long n, int in, unsigned *seed)
{
	float *w = malloc((size_t)n * sizeof *w);
	long i;

	for (i = 0; i < n; i++)
		w[i] = (float)(((double)rand_r(seed) / RAND_MAX * 2 - 1) * sqrt(3.0 / in));
	return w;
}

/* Writes a synthetic decoder 128 -> 2048 -> 4096 -> 3072 (32x32x3). */
static int
write_big(const char *path)
{
	static const int wd[4] = { 128, 2048, 4096, 3072 };
	static const char *names[3][2] = { { "dec.0.weight", "dec.0.bias" },
		{ "dec.2.weight", "dec.2.bias" }, { "dec.4.weight", "dec.4.bias" } };
	const char *meta[] = { "linscope.decoder", "dec.0 relu dec.2 relu dec.4 sigmoid",
			       "linscope.image", "32x32x3" };
	struct ls_st_out t[6];
	char err[LS_ERR_MAX];
	unsigned seed = 1;
	long params = 0;
	int i, rc;

	for (i = 0; i < 3; i++) {
		t[2 * i] = (struct ls_st_out){ names[i][0], 2, { wd[i + 1], wd[i] },
			rand_w((long)wd[i + 1] * wd[i], wd[i], &seed) };
		t[2 * i + 1] = (struct ls_st_out){ names[i][1], 1, { wd[i + 1] },
			rand_w(wd[i + 1], wd[i], &seed) };
		params += (long)wd[i + 1] * (wd[i] + 1);
	}
	rc = ls_st_write(path, t, 6, meta, 2, err) != LS_OK;
	if (rc)
		fprintf(stderr, "bench-frame: %s\n", err);
	for (i = 0; i < 6; i++)
		free((void *)t[i].data);
	printf("synthetic decoder: %ld parameters\n", params);
	return rc;
}

int
main(int argc, char **argv)
{
	char dir[32] = "/tmp/bench-frame-XXXXXX", path[64];
	const char *where = getenv("BENCH_DIR");
	int rc;

	ls_blas_init(0);
	if (argc > 1)   /* one model given (bench-graph.sh: the DCGAN 64x64x3) */
		return bench(argv[1], argv[1], 0);
	if (where)   /* where the preview is written: its file system counts */
		snprintf(dir, sizeof dir, "%.10s/bf-XXXXXX", where);
	if (!mkdtemp(dir) || chdir(dir) != 0)
		return 1;
	snprintf(path, sizeof path, "%s/big.safetensors", dir);
	rc = bench("digits (bundled)", "digits", 1) ||
	     write_big(path) || bench("synthetic 20M", path, 0);
	unlink(path);
	rmdir(dir);
	return rc;
}
