/*
 * session_frame.c: decoding a session's latents into images.
 *
 * Buffers are sized once per model (session_frame_alloc) and reused: the
 * frame holds the images of z and z0 (2, C*H*W); z0 is decoded again only
 * when it changed (z0_version), so a slider step is one decode of one
 * latent, the same call `linscope decode -z` makes. The strip buffers grow
 * to the largest n asked for; the strip is decoded again when its latents
 * differ from the ones it holds. With background on, frames of the
 * selected direction come from its exact path once ready (session_path.c).
 */
#include <stdlib.h>
#include <string.h>

#include "linscope/model.h"
#include "base/util.h"
#include "session_impl.h"

void
session_frame_alloc(struct ls_session *s)
{
	session_frame_free(s);
	s->zb = xreallocarray(NULL, 2 * (size_t)s->d, sizeof *s->zb);
	s->frame = xreallocarray(NULL, 2 * (size_t)s->od, sizeof *s->frame);
	s->frame_version = 0;
	s->z0_drawn = 0;
	s->strip_n = 0;
}

void
session_frame_free(struct ls_session *s)
{
	free(s->zb);
	free(s->frame);
	free(s->strip_z);
	free(s->strip);
	s->zb = s->frame = s->strip_z = s->strip = NULL;
	s->strip_cap = s->strip_n = 0;
}

/* Brings the frame up to date: z (and z0 when it changed) decoded as
 * batches of one, so the frame is bit for bit what `linscope decode -z`
 * computes for the same latent (BLAS may round a batch of 2 differently). */
static void
frame_update(struct ls_session *s)
{
	if (s->frame_version == s->version)
		return;
	memcpy(s->zb, s->z, (size_t)s->d * sizeof *s->zb);
	if (s->sel < 0 || session_path_frame(s, s->dirs[s->sel].alpha, s->frame) != 0)
		ls_model_decode(s->model, s->zb, 1, s->frame);
	if (s->z0_drawn != s->z0_version) {
		ls_model_decode(s->model, s->z0, 1, s->frame + s->od);
		s->z0_drawn = s->z0_version;
	}
	s->frame_version = s->version;
}

void
ls_session_frame(struct ls_session *s, const float **img, const float **img0)
{
	frame_update(s);
	if (img)
		*img = s->frame;
	if (img0)
		*img0 = s->frame + s->od;
}

/* Latent k of the strip into z (d): z0 + the other active directions at
 * their alpha + the selected one at alpha a (double accumulation, as in
 * session_update and `linscope traverse`). */
static void
strip_latent(const struct ls_session *s, double a, float *z)
{
	int i, k;

	for (k = 0; k < s->d; k++) {
		double v = s->z0[k];
		for (i = 0; i < s->ndirs; i++)
			if (i == s->sel)
				v += a * s->dirs[i].sigma * s->dirs[i].u[k];
			else if (s->dirs[i].active)
				v += s->dirs[i].alpha * s->dirs[i].sigma * s->dirs[i].u[k];
		z[k] = (float)v;
	}
}

/* Latents of the strip into zs (n, d). */
static void
strip_latents(const struct ls_session *s, int n, float *zs)
{
	const struct sdir *dd = s->sel >= 0 ? &s->dirs[s->sel] : NULL;
	int i;

	for (i = 0; i < n; i++) {
		float *z = zs + (size_t)i * (size_t)s->d;
		if (!dd)
			memcpy(z, s->z, (size_t)s->d * sizeof *z);
		else
			strip_latent(s, n == 1 ? dd->alpha : dd->lo + (dd->hi - dd->lo) * i / (n - 1), z);
	}
}

/* The strip from the exact path (1), or 0 when it does not apply. */
static int
strip_path(struct ls_session *s, int n)
{
	const struct sdir *dd = s->sel >= 0 ? &s->dirs[s->sel] : NULL;
	int i;

	for (i = 0; dd && i < n; i++)
		if (session_path_frame(s, n == 1 ? dd->alpha : dd->lo + (dd->hi - dd->lo) * i / (n - 1),
				       s->strip + (size_t)i * (size_t)s->od) != 0)
			return 0;
	return dd != NULL;
}

/* The cache is keyed on the latents themselves (the selected direction,
 * its range, the others' alphas, z0), not on a version: selecting another
 * direction changes no version but changes the strip. */
const float *
ls_session_strip(struct ls_session *s, int n)
{
	size_t zn;
	float *zs;

	if (n < 1)
		n = 1;
	if (n > 1024)
		n = 1024;
	zn = (size_t)n * (size_t)s->d;
	zs = xreallocarray(NULL, zn, sizeof *zs);
	strip_latents(s, n, zs);
	if (s->strip_n == n && !memcmp(zs, s->strip_z, zn * sizeof *zs))
		goto out;
	if (n > s->strip_cap) {
		s->strip_z = xreallocarray(s->strip_z, zn, sizeof *s->strip_z);
		s->strip = xreallocarray(s->strip, (size_t)n * (size_t)s->od, sizeof *s->strip);
		s->strip_cap = n;
	}
	memcpy(s->strip_z, zs, zn * sizeof *zs);
	if (!strip_path(s, n))
		ls_model_decode(s->model, s->strip_z, n, s->strip);
	s->strip_n = n;
out:
	free(zs);
	return s->strip;
}
