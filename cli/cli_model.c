/*
 * cli_model.c: the model subcommands: info, decode, encode, traverse.
 * Each parses its options, validates every input before writing anything,
 * and writes its output atomically.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "linscope/dir.h"

/* ---- info ---------------------------------------------------------- */

static const char info_help[] =
	"usage: linscope info [MODEL]\n"
	"\n"
	"Describe a model: its layers, parameter count, dtype, latent dimension d,\n"
	"image shape and output range, and whether it has an encoder.\n"
	"MODEL is a .safetensors or .onnx file (recognised by content) or a bundled\n"
	"name (digits, digits2d, faces). Every command takes --encoder ENCODER.onnx,\n"
	"--image HxWxC (a flat ONNX output) and --range LO,HI (the output range;\n"
	"also --out-range; a --range A:B stays a command's segment);\n"
	"default: digits.\n";

static void
info_net(const char *what, const struct ls_net *net)
{
	int i;

	if (!net->nlayers) {
		char line[256];
		printf("%s nodes (%d -> %d values, %ld parameters, %s):\n", what, net->in, net->out,
		       ls_net_params(net), ls_net_pl_text(net));
		for (i = 0; i < ls_net_nodes(net); i++) {
			ls_net_node_text(net, i, line, sizeof line);
			printf("  %s\n", line);
		}
		return;
	}
	printf("%s layers (%d -> %d, %ld parameters):\n", what, net->in, net->out, ls_net_params(net));
	for (i = 0; i < net->nlayers; i++) {
		const struct ls_layer *l = &net->layers[i];
		if (l->kind == LS_LAYER_AFFINE)
			printf("  %-14s affine %d -> %d%s\n", ls_safe(l->name), l->in, l->out,
			       l->b ? "" : " (no bias)");
		else if (l->kind == LS_LAYER_LEAKY_RELU)
			printf("  %-14s leaky_relu slope %g\n", ls_safe(l->name), (double)l->slope);
		else
			printf("  %-14s %s\n", ls_safe(l->name), ls_layer_kind_name(l->kind));
	}
}

static void
info_print(struct ls_model *m)
{
	struct ls_net *dec = ls_model_decoder(m), *enc = ls_model_encoder(m);
	long params = ls_net_params(dec) + (enc ? ls_net_params(enc) : 0);
	int c, h, w;
	float lo, hi;

	ls_model_image(m, &c, &h, &w);
	ls_model_range(m, &lo, &hi);
	printf("model: %s\n", ls_safe(ls_model_path(m)));
	printf("hash: %s\n", ls_model_hash(m));
	printf("dtype: %s\n", ls_safe(ls_model_dtype(m)));
	printf("parameters: %ld\n", params);
	printf("latent dimension d: %d\n", ls_model_dim(m));
	printf("image: %dx%dx%d (HxWxC), %d values\n", h, w, c, ls_model_out_dim(m));
	printf("range: %g,%g\n", (double)lo, (double)hi);
	printf("encoder: %s\n", enc ? (ls_model_encoder_vae(m) ? "yes (VAE: mean, log-variance)" : "yes") : "no");
	printf("decoder: %s\n", ls_pl_kind_text(dec));
	info_net("decoder", dec);
	if (enc)
		info_net("encoder", enc);
}

int
cmd_info(int argc, char **argv)
{
	char err[LS_ERR_MAX];
	struct ls_model *m;
	enum ls_status s;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return cli_help(info_help);
	if (argc > 2)
		return cli_usage("info", "takes one MODEL");
	if (argc == 2 && argv[1][0] == '-')
		return cli_usage("info", "unknown option '%s'", argv[1]);
	if ((s = cli_model_open_lazy(argc > 1 ? argv[1] : NULL, 1, &m, err)) != LS_OK)
		return cli_fail(s, err);
	info_print(m);
	cli_info_extra(m);
	ls_model_free(m);
	return 0;
}

/* ---- decode -------------------------------------------------------- */

static const char decode_help[] =
	"usage: linscope decode [-m MODEL] (-b BANK.npy [--rows A:B] | -z \"v1,v2,...\"...)\n"
	"                       (--npy OUT.npy | -o OUT.png) [--cols N] [--scale S] [--gutter G]\n"
	"\n"
	"Decode latents with the model's decoder.\n"
	"  -m MODEL       .safetensors or .onnx file, or bundled name (default: digits)\n"
	"  -b BANK.npy    a bank of latents (N, d); --rows A:B selects rows A..B-1\n"
	"                 (Python-style; negative counts from the end; default all)\n"
	"  -z V           one latent as d comma-separated numbers, or FILE:NAME of a\n"
	"                 directions file; repeat for several\n"
	"  --npy OUT.npy  raw decoder outputs, float32 (rows, C*H*W), C order\n"
	"  -o OUT.png     a PNG grid of the decoded images\n"
	"  --cols N       grid columns (default: near-square); --scale S pixel\n"
	"                 upscaling (default 2); --gutter G pixels between images (2)\n";

struct decode_opts {
	const char *model, *bank, *rows, *npy, *png;
	char **z;
	int nz, cols, scale, gutter;
};

/* Parses --scale/--cols/--gutter values, shared by decode and traverse. */
static int
int_opt(const char *cmd, const char *name, const char *v, int lo, int hi, int *out)
{
	long x;

	if (ls_parse_long(v, &x) || x < lo || x > hi)
		return cli_usage(cmd, "%s wants an integer in %d..%d, not '%s'", name, lo, hi, v);
	*out = (int)x;
	return 0;
}

static int
decode_parse(int argc, char **argv, struct decode_opts *o)
{
	static const struct option lo[] = {
		{ "help", no_argument, 0, 'h' }, { "npy", required_argument, 0, OPT_NPY },
		{ "rows", required_argument, 0, OPT_ROWS }, { "cols", required_argument, 0, OPT_COLS },
		{ "scale", required_argument, 0, OPT_SCALE }, { "gutter", required_argument, 0, OPT_GUTTER },
		{ 0, 0, 0, 0 } };
	int c, r = 0;

	o->z = xcalloc((size_t)argc, sizeof *o->z);
	while (r == 0 && (c = getopt_long(argc, argv, "hm:b:z:o:", lo, NULL)) != -1) {
		switch (c) {
		case 'h': return -1;
		case 'm': o->model = optarg; break;
		case 'b': o->bank = optarg; break;
		case 'z': o->z[o->nz++] = optarg; break;
		case 'o': o->png = optarg; break;
		case OPT_NPY: o->npy = optarg; break;
		case OPT_ROWS: o->rows = optarg; break;
		case OPT_COLS: r = int_opt("decode", "--cols", optarg, 1, 4096, &o->cols); break;
		case OPT_SCALE: r = int_opt("decode", "--scale", optarg, 1, 64, &o->scale); break;
		case OPT_GUTTER: r = int_opt("decode", "--gutter", optarg, 0, 64, &o->gutter); break;
		default: return 2;
		}
	}
	if (r)
		return r;
	if (optind < argc)
		return cli_usage("decode", "unexpected argument '%s'", argv[optind]);
	if (!o->bank == !o->nz)
		return cli_usage("decode", "give either -b BANK or -z LATENT");
	if (o->rows && !o->bank)
		return cli_usage("decode", "--rows needs -b BANK");
	if (!o->npy == !o->png)
		return cli_usage("decode", "give exactly one of --npy OUT.npy and -o OUT.png");
	return 0;
}

/* Resolves Python-style A:B against n rows into [*a, *b). */
static enum ls_status
rows_resolve(const char *spec, long n, long *a, long *b, char *err)
{
	int ha, hb;

	*a = 0;
	*b = n;
	if (!spec)
		return LS_OK;
	if (ls_parse_range_i(spec, a, b, &ha, &hb))
		return ls_err(err, LS_EINVAL, "--rows %s: want A:B (Python-style)", spec);
	if (!ha)
		*a = 0;
	if (!hb)
		*b = n;
	if (*a < 0)
		*a += n;
	if (*b < 0)
		*b += n;
	if (*a < 0 || *b > n || *a >= *b)
		return ls_err(err, LS_EINVAL, "--rows %s: out of range for a bank of %ld rows", spec, n);
	return LS_OK;
}

/* Fills z (n, d) from the -z arguments. */
static enum ls_status
latents_from_args(char **zs, int nz, int d, float *z, char *err)
{
	int i;

	for (i = 0; i < nz; i++) {
		float *v;
		long n = ls_parse_floats(zs[i], &v);
		if (n < 0 && strchr(zs[i], ':'))
			n = ls_dir_resolve(zs[i], NULL, d, z + (long)i * d, err) == LS_OK ? d : -2;
		else if (n >= 0)
			memcpy(z + (long)i * d, v, (size_t)(n < d ? n : d) * sizeof *z);
		free(n >= 0 ? v : NULL);
		if (n == -2)
			return LS_EINVAL;
		if (n < 0)
			return ls_err(err, LS_EINVAL, "-z %s: want %d comma-separated numbers", zs[i], d);
		if (n != d)
			return ls_err(err, LS_EINVAL, "-z %s: %ld values but the latent dimension is %d",
				      zs[i], n, d);
	}
	return LS_OK;
}

/* Gathers the latents to decode: bank rows or -z values. */
static enum ls_status
decode_latents(const struct decode_opts *o, struct ls_model *m, float **z, long *n, char *err)
{
	int d = ls_model_dim(m);
	struct ls_bank *b;
	enum ls_status s;
	long a, e;

	if (o->nz) {
		*n = o->nz;
		*z = xreallocarray(NULL, (size_t)o->nz * (size_t)d, sizeof **z);
		return latents_from_args(o->z, o->nz, d, *z, err);
	}
	if ((s = cli_bank_open(o->bank, o->model, d, &b, err)) != LS_OK)
		return s;
	if ((s = rows_resolve(o->rows, ls_bank_rows(b), &a, &e, err)) == LS_OK &&
	    (s = cli_batch_check("decode", e - a, d, ls_model_out_dim(m), err)) == LS_OK) {
		*n = e - a;
		*z = xreallocarray(NULL, (size_t)(*n * d), sizeof **z);
		memcpy(*z, ls_bank_row(b, a), (size_t)(*n * d) * sizeof **z);
	}
	ls_bank_free(b);
	return s;
}

/* Writes y (n, out) as .npy or a PNG grid. */
static enum ls_status
write_outputs(const char *npy, const char *png, struct ls_model *m, const float *y,
	      long n, int cols, int scale, int gutter, char *err)
{
	int64_t shape[2] = { n, ls_model_out_dim(m) };

	if (npy)
		return ls_npy_write_f32(npy, y, 2, shape, err);
	return cli_write_grid(png, m, y, n, cols, scale, gutter, err);
}

int
cmd_decode(int argc, char **argv)
{
	struct decode_opts o = { .scale = 2, .gutter = 2 };
	char err[LS_ERR_MAX];
	struct ls_model *m = NULL;
	float *z = NULL, *y = NULL;
	enum ls_status s;
	long n = 0;
	int r;

	if ((r = decode_parse(argc, argv, &o)) != 0) {
		free(o.z);
		return r < 0 ? cli_help(decode_help) : r;
	}
	if ((s = cli_model_open(o.model, &m, err)) == LS_OK &&
	    (s = decode_latents(&o, m, &z, &n, err)) == LS_OK &&
	    (o.npy || (s = cli_grid_check(o.png, m, n, o.cols, o.scale, o.gutter, err)) == LS_OK)) {
		y = xreallocarray(NULL, (size_t)n * (size_t)ls_model_out_dim(m), sizeof *y);
		ls_model_decode(m, z, n, y);
		s = write_outputs(o.npy, o.png, m, y, n, o.cols, o.scale, o.gutter, err);
	}
	free(o.z);
	free(z);
	free(y);
	ls_model_free(m);
	return s == LS_OK ? 0 : cli_fail(s, err);
}

/* ---- encode -------------------------------------------------------- */

static const char encode_help[] =
	"usage: linscope encode [-m MODEL] -o BANK.npy IMAGE.png...\n"
	"\n"
	"Encode PNG images with the model's encoder (a VAE's mean) into a bank.\n"
	"Each image must have the model's size; RGB is converted to gray when the\n"
	"model has one channel. Pixel values 0..255 map onto the model's range.\n"
	"Images are read and encoded 256 at a time; on a terminal a progress line\n"
	"shows on stderr.\n";

/* Reads one PNG into x (C*H*W, CHW) in the model's range. */
static enum ls_status
image_load(struct ls_model *m, const char *path, float *x, char *err)
{
	struct ls_raster r;
	enum ls_status s;
	int c, h, w, i, k;
	float lo, hi;

	ls_model_image(m, &c, &h, &w);
	ls_model_range(m, &lo, &hi);
	if (c != 1 && c != 3)
		return ls_err(err, LS_EINVAL, "%s: the model has %d channels; only 1 or 3 can be read from PNG", path, c);
	if ((s = ls_png_read(path, c, &r, err)) != LS_OK)
		return s;
	if (r.w != w || r.h != h) {
		s = ls_err(err, LS_EINVAL, "%s: image is %dx%d but the model takes %dx%d (WxH)",
			   path, r.w, r.h, w, h);
		ls_raster_free(&r);   /* after the message: it clears r.w, r.h */
		return s;
	}
	for (k = 0; k < c; k++)
		for (i = 0; i < w * h; i++)
			x[k * w * h + i] = lo + (hi - lo) * (float)r.px[i * c + k] / 255.0f;
	ls_raster_free(&r);
	return LS_OK;
}

/* Images read and encoded at a time: memory is this many images plus the
 * bank, whatever the number of files. */
#define ENCODE_CHUNK 256

/* Encodes the n files into the bank out, ENCODE_CHUNK at a time, with a
 * progress line on a terminal. */
static enum ls_status
encode_files(struct ls_model *m, const char *const *files, long n, const char *out, char *err)
{
	long od = ls_model_out_dim(m), d = ls_model_dim(m), i, j, k;
	long chunk = n < ENCODE_CHUNK ? n : ENCODE_CHUNK;
	float *x = xreallocarray(NULL, (size_t)(chunk * od), sizeof *x);
	float *z = xreallocarray(NULL, (size_t)(n * d), sizeof *z);
	const struct ls_progress *p;
	struct cli_progress pr;
	enum ls_status s = LS_OK;

	p = cli_progress_start(&pr, "encode");
	for (i = 0; i < n && s == LS_OK; i += k) {
		k = n - i < chunk ? n - i : chunk;
		for (j = 0; j < k && s == LS_OK; j++)
			s = image_load(m, files[i + j], x + j * od, err);
		if (s == LS_OK)
			s = ls_model_encode(m, x, k, z + i * d, err);
		ls_progress_report(p, (double)(i + k), (double)n);
	}
	cli_progress_end(&pr);
	if (s == LS_OK) {
		int64_t shape[2] = { n, d };
		s = ls_npy_write_f32(out, z, 2, shape, err);
	}
	free(x);
	free(z);
	return s;
}

int
cmd_encode(int argc, char **argv)
{
	static const struct option lo[] = { { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
	const char *model = NULL, *out = NULL;
	char err[LS_ERR_MAX];
	struct ls_model *m = NULL;
	enum ls_status s;
	long n;
	int c;

	while ((c = getopt_long(argc, argv, "hm:o:", lo, NULL)) != -1) {
		if (c == 'h')
			return cli_help(encode_help);
		else if (c == 'm')
			model = optarg;
		else if (c == 'o')
			out = optarg;
		else
			return 2;
	}
	if (!out || optind >= argc)
		return cli_usage("encode", "needs -o BANK.npy and at least one IMAGE.png");
	if ((s = cli_model_open(model, &m, err)) != LS_OK)
		return cli_fail(s, err);
	if (!ls_model_encoder(m)) {
		ls_err(err, LS_EINVAL, "%s: the model has no encoder (metadata 'linscope.encoder')",
		       ls_model_path(m));
		ls_model_free(m);
		return cli_fail(LS_EINVAL, err);
	}
	n = argc - optind;
	s = encode_files(m, (const char *const *)argv + optind, n, out, err);
	ls_model_free(m);
	return s == LS_OK ? 0 : cli_fail(s, err);
}
