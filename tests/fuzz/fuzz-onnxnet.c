/*
 * fuzz-onnxnet.c: libFuzzer harness for the ONNX -> network builder
 * (ls_onnx_net: operator mapping, shape inference, constant folding) over
 * ONNX files parsed from memory. A net that builds runs a float forward of
 * two rows, a float64 forward with the linear part along one direction,
 * and the pattern of the first row. Seeds: small PyTorch exports from
 * tests/fixtures/onnx.
 */
#include <stdint.h>
#include <stdlib.h>

#include "analysis/regions_priv.h"
#include "base/util.h"
#include "linscope/model.h"
#include "linscope/onnx.h"
#include "linscope/regions.h"
#include "model/graph.h"
#include "fuzz.h"

/* Runs what a decoder is used for on a small net. */
static void
net_try(struct ls_net *net)
{
	double *xd, *dy;
	float *x, *y;
	uint8_t *bits;
	int i;

	if (net->in < 1 || net->out < 1 || (long)net->maxw * ls_net_nodes(net) > (1L << 20))
		return;
	x = xcalloc(2 * (size_t)net->in, sizeof *x);
	y = xcalloc(2 * (size_t)net->out, sizeof *y);
	xd = xcalloc(2 * (size_t)net->in, sizeof *xd);
	dy = xcalloc((size_t)net->out, sizeof *dy);
	for (i = 0; i < net->in; i++)
		x[i] = (float)(i % 5) - 2.0f, xd[i] = x[i], xd[net->in + i] = 1;
	ls_net_forward(net, x, 2, y);
	(void)graph_lin(ls_net_graph(net), xd, xd + net->in, 1, NULL, dy, NULL);
	bits = xcalloc((size_t)(ls_net_units(net) + 7) / 8 + 1, 1);
	ls_net_pattern(net, x, bits);
	(void)ls_net_params(net);
	(void)ls_net_pl_text(net);
	free(bits), free(x), free(y), free(xd), free(dy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[LS_ERR_MAX] = "";
	struct ls_onnx *o;
	struct ls_net *net = NULL;
	enum ls_status s;

	if (ls_onnx_parse(data, size, "fuzz.onnx", &o, err) != LS_OK)
		return 0;
	s = ls_onnx_net(o, &net, err);
	fuzz_check_err(s, err);
	if (s == LS_OK)
		net_try(net);
	ls_net_free(net);
	ls_onnx_free(o);
	return 0;
}
