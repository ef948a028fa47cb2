/*
 * bench-pixels.c: a slider step with the explorer's image backends, from
 * the key to the bytes written: the step command, the frame decoded, the
 * images drawn through ui/render/ (z and z0 in the preview pane, the
 * strip's thumbnails, as draw_preview.c lays them out on a 120x40
 * terminal), the curses refresh and the graphics flush, all written to
 * /dev/null. Modes: half blocks (the reference), chafa symbols, sixel and
 * kitty (cells of 10x20 pixels, so z is 300x300). The strip does not
 * change on alpha steps, so its encodings are reused (only z is encoded
 * again); the first frame of each mode sends everything and is left out.
 * Target: p99 under 16 ms for sixel and kitty on the bundled model. A
 * bare decode (the step command and the frame, nothing drawn) is measured
 * in the same run: each mode's p99 is also given as a ratio to it.
 * BENCH_CHAFA_THREADS=N sets chafa's thread count (default: one a core).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/linscope.h"
#include "base/blas.h"
#include "base/util.h"
#include "ui/render/render.h"

#define STEPS 300
#define NSTRIP 7

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
pct(const double *v, int n, double q)
{
	int i = (int)ceil(q * n) - 1;

	return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

/* One frame: the preview pane and the strip, refreshed and flushed. */
static size_t
frame(struct ls_session *s, const float *strip, FILE *out)
{
	const float *img, *img0;
	int c, h, w, k;
	float lo, hi;

	ls_session_image(s, &c, &h, &w);
	ls_session_range(s, &lo, &hi);
	ls_session_frame(s, &img, &img0);
	render_begin();
	erase();
	render_image(stdscr, 1, 57, 27, 30, img, c, h, w, lo, hi);
	render_image(stdscr, 1, 89, 27, 30, img0, c, h, w, lo, hi);
	render_image(stdscr, 32, 1, 6, 10, img0, c, h, w, lo, hi);
	for (k = 0; k < NSTRIP; k++)
		render_image(stdscr, 32, 13 + 12 * k, 6, 10, strip + (size_t)k * c * h * w, c, h, w, lo, hi);
	render_prepare();
	refresh();
	return render_flush(out);
}

/* STEPS steps decoded, nothing drawn; t sorted (ms). */
static void
pass_decode(struct ls_session *s, double *t)
{
	const float *img, *img0;
	char msg[LS_MSG_MAX];
	int i;

	for (i = 0; i < STEPS; i++) {
		double t0 = ls_now();
		ls_cmd_exec(s, (i / 20) % 2 ? "step -fine" : "step +fine", msg);
		ls_session_frame(s, &img, &img0);
		t[i] = (ls_now() - t0) * 1e3;
	}
	qsort(t, STEPS, sizeof *t, cmp_d);
	printf("  %-10s p50 %7.3f ms  p99 %7.3f ms  (the step and the decode alone)\n", "decode",
	       pct(t, STEPS, .5), pct(t, STEPS, .99));
}

/* STEPS steps in one mode; t sorted (ms). */
static void
pass(struct ls_session *s, const char *mode, const float *strip, FILE *out, double *t)
{
	char msg[LS_MSG_MAX];
	size_t bytes = 0;
	int i;

	render_set(mode, msg, sizeof msg);
	frame(s, strip, out);
	for (i = 0; i < STEPS; i++) {
		double t0 = ls_now();
		ls_cmd_exec(s, (i / 20) % 2 ? "step -fine" : "step +fine", msg);
		bytes += frame(s, strip, out);
		t[i] = (ls_now() - t0) * 1e3;
	}
	qsort(t, STEPS, sizeof *t, cmp_d);
	printf("  %-10s p50 %7.3f ms  p99 %7.3f ms  %7.1f KB graphics a step", mode, pct(t, STEPS, .5),
	       pct(t, STEPS, .99), bytes / 1024.0 / STEPS);
}

int
main(void)
{
	static double ref[STEPS], t[STEPS], dec[STEPS];
	static const char *modes[] = { "symbols", "sixel", "kitty" };
	char err[LS_MSG_MAX];
	struct ls_session *s;
	FILE *out = fopen("/dev/null", "w");
	SCREEN *scr;
	float *strip;
	int c, h, w, k;

	ls_blas_init(0);
	if (getenv("BENCH_CHAFA_THREADS"))
		px_threads(atoi(getenv("BENCH_CHAFA_THREADS")));
	setenv("LINES", "40", 1);
	setenv("COLUMNS", "120", 1);
	if (!out || ls_session_open("digits", NULL, NULL, &s, err) != LS_OK ||
	    ls_cmd_exec(s, "dir rows 3 7", err) != LS_OK) {
		fprintf(stderr, "bench-pixels: %s\n", out ? err : "/dev/null");
		return 1;
	}
	ls_session_set_preview(s, NULL, 0);
	if (!(scr = newterm("xterm-256color", out, stdin))) {
		fprintf(stderr, "bench-pixels: no xterm-256color terminfo\n");
		return 1;
	}
	set_term(scr);
	start_color();
	use_default_colors();
	render_init(1);
	ls_session_image(s, &c, &h, &w);
	strip = xmalloc((size_t)NSTRIP * c * h * w * sizeof *strip);
	memcpy(strip, ls_session_strip(s, NSTRIP), (size_t)NSTRIP * c * h * w * sizeof *strip);
	printf("digits (bundled), %d steps, 120x40 cells, graphics at 10x20 px a cell\n", STEPS);
	pass_decode(s, dec);
	pass(s, "half", strip, out, ref);
	printf("  (the reference)  p99 %.2fx the bare decode\n", pct(ref, STEPS, .99) / pct(dec, STEPS, .99));
	for (k = 0; k < 3; k++) {
		pass(s, modes[k], strip, out, t);
		printf("  %.2fx half blocks, p99 %.2fx the bare decode", pct(t, STEPS, .5) / pct(ref, STEPS, .5),
		       pct(t, STEPS, .99) / pct(dec, STEPS, .99));
		if (k > 0 && pct(t, STEPS, .99) < 16)
			printf("  target p99 < 16 ms: met");
		else if (k > 0)   /* a busy machine shows in the reference too */
			printf("  target p99 < 16 ms: MISSED (half blocks' own p99: %.1f ms)",
			       pct(ref, STEPS, .99));
		printf("\n");
	}
	endwin();
	delscreen(scr);
	render_done();
	free(strip);
	ls_session_free(s);
	fclose(out);
	return 0;
}
