/*
 * cmd_table.c: every command of the explorer's language, its arguments and
 * a line of help: the text of `help`, of the TUI's help screen and of the
 * COMMANDS section of linscope(1). Each entry has a handler of the same
 * name in cmd_ops.c (tests/test-cmd checks both ways).
 */
#include "linscope/cmd.h"

static const struct ls_cmd_info table[] = {
	{ "model", "PATH|NAME", "load a model (.safetensors or bundled: digits, digits2d)", LS_ARG_FILE, "digits digits2d" },
	{ "bank", "PATH", "load a latent bank (.npy, (N, d))", LS_ARG_FILE, NULL },
	{ "labels", "PATH", "load labels for the bank (text, one per line, or integer .npy)", LS_ARG_FILE, NULL },
	{ "dirs", "FILE", "load every direction of a directions file (inactive)", LS_ARG_FILE, NULL },
	{ "row", "I", "start latent z0 = bank row I", LS_ARG_NONE, NULL },
	{ "z", "V1,V2,...", "start latent z0 = the d values given", LS_ARG_NONE, NULL },
	{ "open", "IMAGE.png", "encode an image with the model's encoder and start from it", LS_ARG_FILE, NULL },
	{ "dir", "rows I J|axis K|FILE:NAME|vec NAME V1,... [NAME]", "add a direction: bank[J]-bank[I], latent axis K, from a directions file, or given", LS_ARG_WORD, "rows axis vec" },
	{ "pca", "[K]", "add the top K principal directions of the bank (default 3)", LS_ARG_NONE, NULL },
	{ "sefa", "[K]", "add the top K SeFa directions of the decoder's first layer (default 3)", LS_ARG_NONE, NULL },
	{ "meandiff", "POS NEG [NAME]", "add mean(label in POS) - mean(label in NEG); sets like 1,7", LS_ARG_NONE, NULL },
	{ "probe", "POS NEG [NAME]", "add a logistic-regression probe direction, NEG towards POS", LS_ARG_NONE, NULL },
	{ "lda", "POS NEG [NAME]", "add a Fisher LDA direction, NEG towards POS", LS_ARG_NONE, NULL },
	{ "random", "SEED [NAME]", "add a seeded random unit direction", LS_ARG_NONE, NULL },
	{ "select", "NAME|INDEX", "select a direction (the slider acts on it)", LS_ARG_DIR, NULL },
	{ "activate", "[NAME]", "make a direction contribute to z (default: selected)", LS_ARG_DIR, NULL },
	{ "deactivate", "[NAME]", "stop a direction contributing to z", LS_ARG_DIR, NULL },
	{ "toggle", "[NAME]", "switch a direction on or off", LS_ARG_DIR, NULL },
	{ "alpha", "[NAME] VALUE", "set alpha (sigma units) of a direction (default: selected)", LS_ARG_DIR, NULL },
	{ "step", "[+|-](fine|coarse)|DELTA", "move the selected slider: fine 0.1, coarse 0.5, or by DELTA (clamped to its range)", LS_ARG_WORD, "+fine -fine +coarse -coarse" },
	{ "reset", "[NAME|all]", "set alpha to 0 (default: selected)", LS_ARG_DIR, NULL },
	{ "range", "[NAME] LO HI", "set the slider range of a direction (default -3 3)", LS_ARG_DIR, NULL },
	{ "mark", "I", "mark bank row I", LS_ARG_NONE, NULL },
	{ "unmark", "I|all", "unmark bank row I, or every row", LS_ARG_NONE, NULL },
	{ "marks", "", "list the marked rows", LS_ARG_NONE, NULL },
	{ "diff", "[NAME]", "add the direction from the last two marked rows (second - first)", LS_ARG_NONE, NULL },
	{ "ortho", "[NAME]", "orthogonalise a direction against the other active ones", LS_ARG_DIR, NULL },
	{ "rm", "NAME", "remove a direction", LS_ARG_DIR, NULL },
	{ "bookmark", "[NAME]", "remember the current latent z under NAME (default b1, b2, ...)", LS_ARG_NONE, NULL },
	{ "goto", "NAME", "start from a bookmarked latent (alphas reset to 0)", LS_ARG_BOOKMARK, NULL },
	{ "bookmarks", "", "list the bookmarks", LS_ARG_NONE, NULL },
	{ "undo", "", "undo the last change of z0, alpha or the directions", LS_ARG_NONE, NULL },
	{ "redo", "", "redo what undo undid", LS_ARG_NONE, NULL },
	{ "region", "", "the linear region of z (id) and how many ReLUs flip between z0 and z", LS_ARG_NONE, NULL },
	{ "linearity", "[ALPHA]", "linearity meter at z along the selected direction (and the next active one), step ALPHA sigma (default 1)", LS_ARG_NONE, NULL },
	{ "where", "", "how far z is from the data: Mahalanobis, norm percentile, round-trip drift; the slider's on-data range", LS_ARG_NONE, NULL },
	{ "hist", "[NAME] [BINS]", "per-label histogram of the bank's projections on a direction (default: selected, 10 bins)", LS_ARG_DIR, NULL },
	{ "cos", "", "cosine matrix of the active directions; warns about nearly parallel pairs", LS_ARG_NONE, NULL },
	{ "units", "[sigma|raw|pct]", "show alpha in sigma units, raw latent distance or bank percentiles", LS_ARG_WORD, "sigma raw pct" },
	{ "paint", "X0 Y0 X1 Y1 [NAME]", "add the direction changing image pixels X0<=x<X1, Y0<=y<Y1 the most at z", LS_ARG_NONE, NULL },
	{ "regionmap", "[FILE]", "PNG of the exact linear regions over the plane of two directions, slider path drawn", LS_ARG_FILE, NULL },
	{ "snapshot", "", "write the current image to the next free linscope-NNNN.png", LS_ARG_NONE, NULL },
	{ "strip", "[FILE] [N]", "write N images (default 9) along the selected direction's range", LS_ARG_FILE, NULL },
	{ "preview", "[on|off|PATH]", "switch the live preview PNG on or off, or set its path", LS_ARG_FILE, "on off" },
	{ "pixels", "[auto|kitty|sixel|iterm|symbols|half|text|smooth|crisp]", "how the explorer draws images (a setting of the screen: scripts ignore it)", LS_ARG_WORD, "auto kitty sixel iterm symbols half text smooth crisp" },
	{ "save", "FILE [--force] [NAME...]", "save directions to a directions file (--force replaces names in it)", LS_ARG_FILE, NULL },
	{ "savestate", "FILE", "write the session (data, z0, directions, bookmarks) as a script", LS_ARG_FILE, NULL },
	{ "print", "[z|z0|dirs|alpha|state]", "show the latents, directions and alphas", LS_ARG_WORD, "z z0 dirs alpha state" },
	{ "echo", "TEXT...", "print TEXT", LS_ARG_NONE, NULL },
	{ "help", "[COMMAND]", "list the commands, or describe one", LS_ARG_COMMAND, NULL },
	{ "quit", "", "leave (the explorer asks first if directions are unsaved)", LS_ARG_NONE, NULL },
};

const struct ls_cmd_info *
ls_cmd_table(int *n)
{
	*n = (int)(sizeof table / sizeof table[0]);
	return table;
}
