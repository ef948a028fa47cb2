/*
 * session.h: the explorer's state, independent of any terminal.
 *
 * A session holds a model (always), a bank and labels (optional), a start
 * latent z0, and a list of directions. The latent shown is
 *
 *     z = z0 + sum over active directions i of alpha_i * sigma_i * u_i
 *
 * with u_i a unit vector (d) and sigma_i the standard deviation of the
 * bank's projections on u_i (ls_bank_sigma; 1 when there is no bank), so
 * alpha is in sigma units (see linscope(1)). The raw latent distance moved by
 * one direction is alpha_i * sigma_i.
 *
 * Everything the explorer does is a call here (or a command line given to
 * ls_cmd_exec, see cmd.h): the TUI only draws what the getters return. No
 * function prints, exits, or touches a terminal. Files are written
 * atomically (util.h).
 *
 * Undo: every change of z0, of an alpha/active flag/range, or of the
 * direction list pushes the state before it (z0, its bank row, the whole
 * direction list with alphas) on the undo stack (at most
 * LS_SESSION_UNDO_MAX entries; the oldest are dropped) and clears the redo
 * stack. One call is one undo step (each slider step is its own step).
 * Selection, marks, bookmarks and preview settings are not undone.
 *
 * Frames: ls_session_frame() decodes z and z0 (each alone) into buffers
 * owned by the session, recomputed only when the state changed since the
 * last call (ls_session_version() tells when). Scratch is allocated once per
 * model; sliding never allocates.
 *
 * Preview: each state change marks the preview dirty; ls_session_tick()
 * writes the frame of z to the preview path (default "linscope-preview.png"
 * in the working directory) when it is dirty, enabled, and at least the
 * debounce interval has passed since the last write; ls_session_flush()
 * writes it now if dirty. The PNG is the image of z alone, upscaled by the
 * preview scale (default 2) with a 2-pixel gutter of gray 40: byte for
 * byte what `linscope decode -z Z -o FILE` writes for the same z.
 *
 * Ownership: pointers returned by getters belong to the session and stay
 * valid until the next call that changes the session (any non-const call).
 */
#ifndef LINSCOPE_SESSION_H
#define LINSCOPE_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "linscope/dirs.h"
#include "linscope/linearity.h"
#include "linscope/status.h"

#define LS_SESSION_UNDO_MAX 1000
#define LS_SESSION_MAX_DIRS 256
#define LS_SESSION_MAX_MARKS 64
#define LS_SESSION_NAME_MAX 128          /* = LS_DIRNAME_MAX, with the NUL */
#define LS_SESSION_PREVIEW "linscope-preview.png"
#define LS_SESSION_DEBOUNCE 0.1          /* seconds between preview writes */
#define LS_SESSION_STEP_FINE 0.1         /* alpha step of h/l */
#define LS_SESSION_STEP_COARSE 0.5       /* alpha step of H/L */
#define LS_SESSION_RANGE 3.0             /* default alpha range -3..3 */
#define LS_SESSION_STRIP_N 9             /* default thumbnails in a strip */
#define LS_SESSION_LIVE_PARAMS 4000000L  /* live analysis up to this decoder size */
#define LS_SESSION_METER_ALPHA 1.0       /* linearity meter step, sigma units */
#define LS_SESSION_DATA_Q 0.99           /* edge of the data: this quantile of
					    the bank's Mahalanobis distances */
#define LS_SESSION_KNN_K 5               /* the k of the k-NN gauge (as `where`) */
#define LS_SESSION_KNN_SAMPLE 2000       /* bank rows sampled for its percentile */

struct ls_model;
struct ls_bank;
struct ls_labels;
struct ls_session;

/* A read-only view of one direction (see ls_session_dir()). */
struct ls_session_dir {
	const char *name;       /* unique within the session */
	const char *source;     /* how it was made: "rows:12-40", "axis:3",
				   "file:dirs.safetensors:smile", "pca:1", ... */
	const char *method;     /* "rows", "axis", "file", "diff", "pca", ... */
	const float *u;         /* (d), unit length */
	double sigma;           /* bank sigma along u (1 without a bank) */
	double alpha;           /* slider position, sigma units */
	double lo, hi;          /* slider range, lo < hi (default -3..3) */
	int active;             /* contributes to z */
	int saved;              /* saved to a directions file since last change */
	/* quality of a learned direction, NAN when unknown: held-out accuracy
	   of the probe, ROC AUC of pos vs neg along u, and the share of the
	   bank's variance along u (var(z.u) / tr Cov; every direction, with a
	   bank) */
	double accuracy, auc, var_share;
	/* a direction from two rows (diff): the alpha at which the slider
	   reaches the second row, NAN otherwise */
	double target;
	/* ground truth (factors.h, with the bank's factors): the factor it
	   moves most, its Pearson r and the leak into the others (see
	   ls_dirs_score); -1, NULL and NAN without factors */
	int truth;
	const char *truth_name;
	double truth_r, truth_leak;
};

/* ---- life cycle ------------------------------------------------------- */

/*
 * Opens a session. model is a .safetensors path or a bundled name
 * ("digits", "digits2d"); NULL is "digits". bank and labels are paths;
 * NULL picks the bundled bank/labels of a bundled model, and none for a
 * model given by path. Labels need a bank. z0 starts at bank row 0 (zero
 * without a bank). Free with ls_session_free().
 */
enum ls_status ls_session_open(const char *model, const char *bank, const char *labels,
			       struct ls_session **s, char *err);
/* Flushes nothing: call ls_session_flush() first to write a pending
 * preview/record. NULL is a no-op. */
void ls_session_free(struct ls_session *s);

/* Replace the model (spec as above): a bundled name brings its bank and
 * labels, a path keeps the bank if its width fits (else drops it); z0
 * becomes bank row 0 (or zero); when d changes, directions, bookmarks and
 * undo are cleared; marks are cleared whenever the bank changes.
 * Labels and factors given by a bare file name that is not here are looked
 * up among the bundled assets ("faces-glasses.txt").
 * Replace the bank (must have the model's d; drops labels and marks;
 * recomputes every sigma) or the labels (must match the bank's rows).
 * On error the session is unchanged. */
enum ls_status ls_session_set_model(struct ls_session *s, const char *spec, char *err);
struct ls_model_opts;
/* The same with the options of the model's command line (--encoder,
 * --image, --range; NULL: the process defaults, ls_model_set_defaults()). */
enum ls_status ls_session_set_model_opts(struct ls_session *s, const char *spec,
					 const struct ls_model_opts *o, char *err);
/* The options the current model was opened with (its encoder path
 * absolute); what a saved session writes beside the model. */
const struct ls_model_opts *ls_session_model_opts(const struct ls_session *s);
enum ls_status ls_session_set_bank(struct ls_session *s, const char *path, char *err);
enum ls_status ls_session_set_labels(struct ls_session *s, const char *path, char *err);

/* Ground-truth factors of the bank (factors.h): the bundled model's come
 * with its bundled bank; a bank set later drops them. set_factors loads a
 * file with the bank's rows (LS_EINVAL without a bank; the file's errors
 * otherwise) and rescores every direction. */
struct ls_factors;
struct ls_score;
enum ls_status ls_session_set_factors(struct ls_session *s, const char *path, char *err);
const struct ls_factors *ls_session_factors(const struct ls_session *s);   /* or NULL */
/* The path given to set_factors, or NULL (bundled or none). */
const char *ls_session_factors_spec(const struct ls_session *s);
/* The full score of direction i against the factors (LS_EINVAL without
 * factors or for a bad index). */
enum ls_status ls_session_score(const struct ls_session *s, int i, struct ls_score *sc,
				char *err);

/* Erases the concept along direction i from the bank (LEACE for one
 * direction: z <- z - u (u^T C^-1 (z - mu)) / (u^T C^-1 u), C and mu the
 * bank's covariance and mean; with a meandiff direction the two classes'
 * means agree afterwards). The bank is replaced in memory, labels and
 * factors kept; sigmas recomputed; z0 follows its bank row. Not undone.
 * ls_session_erased(): erasures since the bank was loaded (savestate
 * does not replay them). */
enum ls_status ls_session_erase(struct ls_session *s, int i, char *err);
int ls_session_erased(const struct ls_session *s);

/* ---- getters ---------------------------------------------------------- */

struct ls_model *ls_session_model(const struct ls_session *s);
struct ls_bank *ls_session_bank(const struct ls_session *s);       /* or NULL */
struct ls_labels *ls_session_labels(const struct ls_session *s);   /* or NULL */
const char *ls_session_model_spec(const struct ls_session *s);     /* as given */
int ls_session_dim(const struct ls_session *s);
/* Label of bank row i, or NULL (no labels / out of range). */
const char *ls_session_label(const struct ls_session *s, long i);

const float *ls_session_z0(const struct ls_session *s);            /* (d) */
/* Bank row z0 came from, or -1 (a -z latent, an image, a bookmark). */
long ls_session_z0_row(const struct ls_session *s);
/* The current latent z (d), kept up to date by every change. */
const float *ls_session_z(const struct ls_session *s);
/* |z - z0| (Euclidean). */
double ls_session_distance(const struct ls_session *s);

int ls_session_ndirs(const struct ls_session *s);
/* Direction i (0..ndirs-1) into *out; 0 on success, -1 if out of range. */
int ls_session_dir(const struct ls_session *s, int i, struct ls_session_dir *out);
/* Index of the direction called name, or -1. */
int ls_session_find(const struct ls_session *s, const char *name);
/* Selected direction index, or -1 when there are none. */
int ls_session_selected(const struct ls_session *s);

/* Increases on every change that alters z, z0 or the direction list (the
 * UI redraws / recomputes when it differs from what it drew). */
unsigned long ls_session_version(const struct ls_session *s);
/* Are there directions not saved to a file (the UI asks before quit)? */
int ls_session_unsaved(const struct ls_session *s);
/* Has a `quit` command been executed? */
int ls_session_quit_requested(const struct ls_session *s);
void ls_session_request_quit(struct ls_session *s);

/* ---- start latent ----------------------------------------------------- */

/* z0 = bank row i (LS_EINVAL without a bank or out of range). */
enum ls_status ls_session_set_row(struct ls_session *s, long i, char *err);
/* z0 = z (d values, copied); row -1. */
enum ls_status ls_session_set_z0(struct ls_session *s, const float *z, char *err);
/* z0 = the encoder's mean for a PNG of the model's size (RGB converted to
 * gray for one-channel models, 0..255 mapped onto the model's range).
 * LS_EINVAL if the model has no encoder. */
enum ls_status ls_session_open_image(struct ls_session *s, const char *png, char *err);
/* The same for a PNG of any size (resized to the model's by area
 * averaging), inverted (v -> 1 - v) when invert; note (LS_ERR_MAX) gets
 * "resized from WxH to wxh" and a hint when the image is mostly light
 * (a dark drawing on white: try invert), or "". */
enum ls_status ls_session_open_image_opts(struct ls_session *s, const char *png, int invert,
					  char *note, char *err);
/* The image opened last (C*H*W, the model's range) while z0 is still its
 * encoding, else NULL. */
const float *ls_session_input(const struct ls_session *s);

/* ---- directions ------------------------------------------------------- */

/*
 * Adds a direction u (d values, normalised here; zero length is LS_EINVAL)
 * named name (NULL or "": a name derived from method, made unique with a
 * numeric suffix; an explicit name already in use is LS_EINVAL). It
 * becomes active with alpha 0 and range -3..3, and is selected. source and
 * method are free text (method NULL: "custom"). Returns its index in *idx
 * (may be NULL).
 */
enum ls_status ls_session_add_dir(struct ls_session *s, const char *name, const float *u,
				  const char *method, const char *source, int *idx,
				  char *err);
/* Adds direction spec: "axis:K", "rows:I-J", or "FILE:NAME" (a directions
 * file, linscope-files(5)). name as for ls_session_add_dir(). */
enum ls_status ls_session_add_spec(struct ls_session *s, const char *spec, const char *name,
				   char *err);
/* Adds every direction of a directions file (names kept, made unique). */
enum ls_status ls_session_load_dirs(struct ls_session *s, const char *path, char *err);
/* Removes direction i; the selection moves to a neighbour. */
enum ls_status ls_session_remove(struct ls_session *s, int i, char *err);
/* Selects direction i (not undone). */
enum ls_status ls_session_select(struct ls_session *s, int i, char *err);
/* Active flag of direction i: on = 0, 1, or -1 to toggle. */
enum ls_status ls_session_set_active(struct ls_session *s, int i, int on, char *err);
/* alpha of direction i. Values outside the range are allowed and kept
 * (the slider clamps only what it draws); must be finite. Setting the
 * alpha it has already is no undo step. */
enum ls_status ls_session_set_alpha(struct ls_session *s, int i, double alpha, char *err);
/* alpha += delta on the selected direction (LS_EINVAL if none), clamped to
 * the end of its range it moves towards (an alpha already past that end
 * stays; a step back from it moves by delta): the slider keys. A step
 * that changes nothing is no undo step. */
enum ls_status ls_session_step(struct ls_session *s, double delta, char *err);
/* Slider range of direction i, lo < hi, both finite. */
enum ls_status ls_session_set_range(struct ls_session *s, int i, double lo, double hi,
				    char *err);
/* alpha = 0 for every direction (one undo step). */
enum ls_status ls_session_reset_all(struct ls_session *s, char *err);
/* Groups several changes into one undo step: between begin and end only
 * the first change is recorded for undo. end(s, 0) rolls the session back
 * to its state at begin (for a command that fails half way); end(s, 1)
 * keeps the changes. Groups do not nest. */
void ls_session_group_begin(struct ls_session *s);
void ls_session_group_end(struct ls_session *s, int keep);
/* Gram-Schmidt: direction i minus its projections on the other active
 * directions (in list order, orthonormalised first), renormalised; sigma
 * recomputed. LS_EINVAL if nothing is left. */
enum ls_status ls_session_ortho(struct ls_session *s, int i, char *err);

/* ---- marks (bank rows; not undone) ----------------------------------- */

/* Marks row i (kept in marking order; marking a marked row is a no-op). */
enum ls_status ls_session_mark(struct ls_session *s, long i, char *err);
enum ls_status ls_session_unmark(struct ls_session *s, long i, char *err);
int ls_session_nmarks(const struct ls_session *s);
long ls_session_markrow(const struct ls_session *s, int k);   /* k-th mark */
int ls_session_is_marked(const struct ls_session *s, long i);
void ls_session_clear_marks(struct ls_session *s);
/* Direction bank[second] - bank[first] of the last two marks, named
 * "diff_I_J" unless name is given; LS_EINVAL with fewer than 2 marks. */
enum ls_status ls_session_diff(struct ls_session *s, const char *name, char *err);

/* ---- bookmarks (named latents; not undone) ---------------------------- */

/* Stores the current z under name (NULL/"": "b1", "b2", ...; an existing
 * name is replaced). The name used is copied to used (LS_SESSION_NAME_MAX)
 * when used is not NULL. */
enum ls_status ls_session_bookmark(struct ls_session *s, const char *name, char *used,
				   char *err);
/* The same for a given latent z (d) instead of the current one. */
enum ls_status ls_session_bookmark_at(struct ls_session *s, const char *name, const float *z,
				      char *used, char *err);
/* z0 = the bookmark; all alphas reset to 0 (undoable). */
enum ls_status ls_session_goto(struct ls_session *s, const char *name, char *err);
int ls_session_nbookmarks(const struct ls_session *s);
const char *ls_session_bookmark_name(const struct ls_session *s, int k);
const float *ls_session_bookmark_z(const struct ls_session *s, int k);   /* (d) */
/* How bookmark k was made, for a list: "row 1500 (1), diff_1500_7300
 * +2.5" (z0's bank row and label, the active directions' nonzero alphas)
 * for the current latent, "a latent" for one given as values. */
#define LS_SESSION_NOTE_MAX 160
const char *ls_session_bookmark_note(const struct ls_session *s, int k);

/* ---- undo ------------------------------------------------------------- */

/* LS_EINVAL ("nothing to undo/redo") when the stack is empty. */
enum ls_status ls_session_undo(struct ls_session *s, char *err);
enum ls_status ls_session_redo(struct ls_session *s, char *err);
int ls_session_can_undo(const struct ls_session *s);
int ls_session_can_redo(const struct ls_session *s);

/* ---- frames ----------------------------------------------------------- */

/* Image shape (c, h, w) and output range of the model. */
void ls_session_image(const struct ls_session *s, int *c, int *h, int *w);
void ls_session_range(const struct ls_session *s, float *lo, float *hi);
/* Decoded z and z0, each (C*H*W) floats in CHW order in the model's range;
 * either pointer may be NULL. Recomputed only if the version changed. */
void ls_session_frame(struct ls_session *s, const float **img, const float **img0);
/* n thumbnails (n, C*H*W) along the selected direction: the other active
 * directions held at their alpha, the selected one at alpha = lo + (hi -
 * lo) * k / (n - 1), k = 0..n-1 (n = 1: its current alpha). Without a
 * selected direction, n copies of the frame of z. n in 1..1024. Cached
 * until the version or n changes. */
const float *ls_session_strip(struct ls_session *s, int n);

/* ---- files ------------------------------------------------------------ */

/* Preview: path (NULL keeps it), enabled (0/1, -1 keeps it). */
void ls_session_set_preview(struct ls_session *s, const char *path, int enabled);
const char *ls_session_preview_path(const struct ls_session *s);
int ls_session_preview_enabled(const struct ls_session *s);
/* Debounce interval in seconds (>= 0). */
void ls_session_set_debounce(struct ls_session *s, double seconds);
/* Preview pixel scale 1..64 (default 2). */
void ls_session_set_preview_scale(struct ls_session *s, int scale);
/* Path of the last PNG written (preview, snapshot or strip), or NULL. */
const char *ls_session_last_png(const struct ls_session *s);

/* Called by the UI loop with ls_now(): writes the preview if dirty,
 * enabled and the interval passed since the last write, and the record
 * file if it has unwritten commands. *wrote (may be NULL) is set to 1 when
 * the preview was written. */
enum ls_status ls_session_tick(struct ls_session *s, double now, int *wrote, char *err);
/* Writes a pending preview and record now (on quit, at the end of run). */
enum ls_status ls_session_flush(struct ls_session *s, char *err);

/* Writes the frame of z to the next free "linscope-NNNN.png" (NNNN from
 * 0001, in the working directory) without ever replacing a file; the path
 * written is copied to path (PATH_MAX bytes) when not NULL. */
enum ls_status ls_session_snapshot(struct ls_session *s, char *path, char *err);
/* The same at an integer scale (0: the session's, 2). */
enum ls_status ls_session_snapshot_at(struct ls_session *s, int scale, char *path, char *err);
/* Writes the strip of n images (ls_session_strip) as one PNG row. file
 * NULL: the next free "linscope-strip-NNNN.png"; else file is replaced
 * atomically. The path written goes to path (PATH_MAX) when not NULL. */
enum ls_status ls_session_write_strip(struct ls_session *s, const char *file, int n,
				      char *path, char *err);
/* The same at an integer scale (0: the session's, 2) and, when labels is
 * nonzero and a direction is selected, each image's alpha written under
 * it ("-1.5σ", "0") in a tiny bitmap font: a strip ready for a slide. */
#define LS_SESSION_SCALE_MAX 32
enum ls_status ls_session_write_strip_at(struct ls_session *s, const char *file, int n,
					 int scale, int labels, char *path, char *err);
/* Writes the n images (2..64) on the path from bank row i to bank row j,
 * straight (lerp) or along the great circle (slerp, ls_dirs_slerp), as one
 * labelled row at scale 3, each image's latent norm |z| under it. file
 * NULL: the next free "linscope-interp-NNNN.png". */
enum ls_status ls_session_write_interp(struct ls_session *s, long i, long j, int n, int slerp,
				       const char *file, char *path, char *err);
/* Saves every direction (or only those named, when names != NULL, n of
 * them) into a directions file: an existing file is updated (other
 * directions in it kept); a name already in the file with the same vector
 * is left as it is (saving again is no error; a file that would not change
 * is not rewritten), with another vector it is LS_EINVAL unless force.
 * Marks the saved directions saved. */
enum ls_status ls_session_save_dirs(struct ls_session *s, const char *path,
				    const char *const *names, int n, int force, char *err);

/* ---- analysis (regions, linearity, the data, readouts) ----------------- */

/*
 * Everything below reads the current state and caches its result until
 * the state it depends on changes (z, z0, a direction, the bank); none of
 * it changes what is undone or recorded, except ls_session_paint() (adds a
 * direction) and ls_session_set_units().
 */

/* Is the decoder small enough (<= LS_SESSION_LIVE_PARAMS parameters) for
 * the UI to redo the analysis on every change? Commands always compute. */
int ls_session_analysis_live(const struct ls_session *s);

/* The linear region of the current z (regions.h): *id = ls_region_id(dec,
 * z), *flips = units (ReLUs) whose on/off state differs between z0 and z,
 * *units = all units (any pointer may be NULL). One forward pass when z
 * changes, one when z0 changes. LS_EINVAL for a decoder that is not
 * piecewise linear (a smooth activation before its last affine layer). */
enum ls_status ls_session_region(struct ls_session *s, uint64_t *id, int *flips, int *units,
				 char *err);

/* Linearity meter (linearity.h) at z along the selected direction u with
 * a step of alpha sigma units (h = alpha sigma_u); v is the first active
 * direction other than the selected one (k = alpha sigma_v), its index in
 * *vi (may be NULL), -1 and additivity NAN when there is none. LS_EINVAL
 * without a selected direction or for a non-finite alpha. */
enum ls_status ls_session_linearity(struct ls_session *s, double alpha, struct ls_linearity *l,
				    int *vi, char *err);

/* How far z is from the data (ls_where_at: the mean distance to the
 * LS_SESSION_KNN_K nearest bank latents and its percentile among the
 * bank's own, estimated on a seeded sample of LS_SESSION_KNN_SAMPLE rows,
 * NAN for a bank of fewer than K + 1 rows; Mahalanobis distance and
 * percentile; norm percentile; round-trip drift when the model has an
 * encoder). When z is a bank row (z0 = row I and the directions add
 * nothing) that row is left out of its own k-NN, as `linscope where --row
 * I` does. LS_EINVAL without a bank. */
enum ls_status ls_session_where(struct ls_session *s, struct ls_where *w, char *err);
/* The k-NN gauge of a large bank takes seconds to build (linearity.h,
 * ls_knn_begin: at most LS_KNN_REF reference rows). By default
 * ls_session_where() builds it when first asked; with background on (the
 * explorer) it never does: the caller builds it with
 * ls_session_gauges_step() between key presses (about seconds of work per
 * call) and, until it is ready, ls_session_where() gives a NAN k-NN
 * distance and percentile. Both return the progress 0..1 (1: ready), or -1
 * when there is no k-NN gauge (no bank, or too few rows). */
void ls_session_set_background(struct ls_session *s, int on);
double ls_session_gauges_progress(struct ls_session *s);
double ls_session_gauges_step(struct ls_session *s, double seconds);
/*
 * The exact path of the selected direction (path.h): its breakpoints and
 * cached pre-tail outputs over the direction's range, for the base latent
 * (z0 and the other active directions at their alpha). It is rebuilt
 * when z0, another direction's alpha or active flag, the selection, the
 * range, sigma or the model changes (not when the selected alpha moves),
 * by a worker thread: ls_session_path_poll() never blocks; it collects a
 * finished build and starts the one the current state needs.
 * ls_session_path_wait() blocks until that build is done.
 *
 * With background on (the explorer), ls_session_frame() and
 * ls_session_strip() take the frames of the selected direction from the
 * path once it is ready and alpha is inside the range (float32 rounding
 * away from a direct decode, see path.h), and decode directly until then
 * or when the path does not apply; with background off they always decode
 * directly (bit for bit `linscope decode`). A build whose state went
 * stale is cancelled; freeing the session or changing the model cancels
 * a running build and waits for it to stop (between layers or pieces).
 */
enum ls_session_path {
	LS_SESSION_PATH_NONE,      /* not asked yet */
	LS_SESSION_PATH_BUILDING,
	LS_SESSION_PATH_READY,
	LS_SESSION_PATH_DIRECT     /* no path: direct decodes (reason in the text) */
};
enum ls_session_path ls_session_path_poll(struct ls_session *s);
enum ls_session_path ls_session_path_wait(struct ls_session *s);
/* "exact path", "building path" or "direct decode (REASON)" into buf. */
const char *ls_session_path_text(struct ls_session *s, char *buf, size_t n);
/* The breakpoints of a ready path in alpha units (*alpha, owned by the
 * session) and its linear pieces; returns their count, or -1 when the
 * path is not ready. */
long ls_session_path_breaks(struct ls_session *s, const double **alpha, int *nlinear);
/* Bytes of cached outputs a path may take (<= 0: LS_PATH_BUDGET). */
void ls_session_set_path_budget(struct ls_session *s, long long bytes);
/* The edge of the data: the LS_SESSION_DATA_Q quantile of the bank's
 * Mahalanobis distances (NAN without a bank). */
double ls_session_data_edge(struct ls_session *s);
/* The alphas of direction i (the other directions as they are) whose
 * latent is on the data (Mahalanobis <= the edge): that set is one
 * interval [*a1, *a2] because the squared distance is a convex quadratic
 * in alpha (computed exactly from it). Returns 1 with the interval, 0 when
 * no alpha is on the data, -1 without a bank or for a bad index. */
int ls_session_data_interval(struct ls_session *s, int i, double *a1, double *a2);

/* Histogram (dirs.h ls_dirs_hist, per label when there are labels) of the
 * bank's projections on direction i in nbins (1..1024) bins, and *zp the
 * projection z . u of the current latent, into *h. Owned by the session,
 * valid until the next call that changes the session; kept while direction
 * i's vector, the bank, the labels and nbins stay. LS_EINVAL without a bank
 * or for a bad index/nbins, with err filled. */
enum ls_status ls_session_hist(struct ls_session *s, int i, int nbins, const struct ls_hist **h,
				double *zp, char *err);

/* Cosines of the active directions: *m gets their count, idx (ndirs)
 * their indices in list order, cos (ndirs * ndirs) the m x m matrix
 * (row-major, m columns). Returns the number of pairs with |cos| >=
 * LS_DIRS_PARALLEL; *wi, *wj (may be NULL) get the indices of the most
 * parallel such pair (-1 when none). */
int ls_session_cosines(const struct ls_session *s, int *m, int *idx, double *cos, int *wi,
		       int *wj);

/* Sets the quality figures of direction i (NAN: unknown). */
enum ls_status ls_session_set_quality(struct ls_session *s, int i, double accuracy, double auc,
				char *err);

/* Slider units (dirs.h): what the explorer shows for alpha. Commands keep
 * taking alpha in sigma units whatever the units. */
enum ls_units ls_session_units(const struct ls_session *s);
void ls_session_set_units(struct ls_session *s, enum ls_units u);
/* alpha of direction i in the session's units: sigma: alpha; raw: alpha
 * sigma (the latent distance); percentile: the percentile rank (0..100)
 * among the bank's projections on u of the projection of z with direction
 * i at alpha (the others as they are; NAN without a bank). */
double ls_session_in_units(struct ls_session *s, int i, double alpha);

/* Paint-to-direction at the current z (ls_paint_direction): the unit
 * direction that changes the pixels x0 <= x < x1, y0 <= y < y1 of the
 * image the most. Added as name (NULL or "": "paint", made unique) with
 * method "paint" and source "paint:X0,Y0,X1,Y1", active at alpha 0 and
 * selected; one undo step. *gain (may be NULL): the top singular value. */
enum ls_status ls_session_paint(struct ls_session *s, int x0, int y0, int x1, int y1,
				const char *name, double *gain, char *err);

/* The plane regionmap uses by default: the selected direction if active
 * and the first other active one; else the selected one and the next in
 * the list. Returns 0 with *i, *j, or -1 when there are fewer than two. */
int ls_session_plane_dirs(const struct ls_session *s, int *i, int *j);

/* Exact region map (regions.h ls_regions_2d) of the plane z_b + s u_i +
 * t u_j, z_b the current z without the parts of directions i and j, for s
 * and t across their slider ranges in raw units (lo sigma .. hi sigma):
 * box gets {s0, s1, t0, t1}. Written as a PNG 512 pixels wide (regions
 * filled, boundaries dark) with the slider path of i at j's alpha drawn in
 * white and the current latent ticked. file NULL: the next free
 * "linscope-regionmap-NNNN.png" (never replaces a file); else file is
 * replaced atomically. path (PATH_MAX, may be NULL) gets the file written;
 * *regions and *linear the counts. */
enum ls_status ls_session_regionmap(struct ls_session *s, int i, int j, const char *file,
				    char *path, long *regions, long *linear, double box[4],
				    char *err);
/* The same over the sub-box sub = {X0, X1, Y0, Y1} in alpha (sigma)
 * units of i and j (NULL: their slider ranges): a zoom. The PNG is framed
 * with axes (ticks at the ends and at 0, labelled in sigma), the two
 * directions' names and a legend. */
enum ls_status ls_session_regionmap_in(struct ls_session *s, int i, int j, const double *sub,
				       const char *file, char *path, long *regions, long *linear,
				       double box[4], char *err);

/* ---- record and state ------------------------------------------------- */

/* From now on, every command line ls_cmd_exec() runs successfully is kept:
 * path is written atomically with the current state, then each line is
 * appended (after each command, or at the next tick/flush for slider
 * steps) and synced at most every second and at every flush. */
enum ls_status ls_session_record_open(struct ls_session *s, const char *path, char *err);
/* Appends one executed command line (cmd.c calls it; commands that change
 * nothing, like help or print, are not recorded). */
void ls_session_record_line(struct ls_session *s, const char *line, int urgent);

/* ---- the explorer's pixel views (session_views.c) --------------------- */

struct ls_raster;

/* The region map of ls_session_regionmap (slider ranges, path and tick)
 * as w x h RGB pixels, undecorated, for the explorer's map view (key M);
 * *regions the count. Free r with ls_raster_free(). */
enum ls_status ls_session_regionmap_raster(struct ls_session *s, int i, int j, int w, int h,
					   struct ls_raster *r, long *regions, char *err);

/* The tropical map's output unit: the pixel `tropmap X Y` chose (channel
 * 0), else the image's centre pixel. */
int ls_session_tropical_output(const struct ls_session *s);
enum ls_status ls_session_set_tropical_pixel(struct ls_session *s, int x, int y, char *err);

struct ls_session_tropinfo {
	int output, x, y;      /* the unit and its pixel */
	double box[4];         /* {z1 lo, z1 hi, z2 lo, z2 hi} */
	long nf, ng;           /* maximising monomials of F, G met */
	double seconds;
};
/* d = 2: the tropical hypersurfaces of F and G of the output unit's logit
 * (tropical.h ls_tropical_map) over the latent plane, w x h RGB pixels
 * across the bank's extent widened by 5% ([-3, 3]^2 without a bank).
 * Free r with ls_raster_free(). It does not depend on z: */
enum ls_status ls_session_tropmap_raster(struct ls_session *s, int w, int h, struct ls_raster *r,
					 struct ls_session_tropinfo *info, char *err);
/* the current latent marked on such a map with a white cross. */
void ls_session_tropmap_mark(const struct ls_session *s, const struct ls_session_tropinfo *info,
			     struct ls_raster *r);
/* The same map 512 pixels wide, marked, written as a PNG: file NULL is the next
 * free "linscope-tropmap-NNNN.png"; path (PATH_MAX, may be NULL) gets it. */
enum ls_status ls_session_tropmap(struct ls_session *s, const char *file, char *path,
				  struct ls_session_tropinfo *info, char *err);
/* The histogram of direction i (ls_session_hist with w / 2 bins) as w x h
 * RGB pixels: one band of bars per label, each scaled to its own top, the
 * current latent's bin a white column. */
enum ls_status ls_session_hist_raster(struct ls_session *s, int i, int w, int h,
				      struct ls_raster *r, char *err);

#endif
