/*
 * lin_priv.h: internals shared by jacobian.c, linearity.c and paint.c.
 */
#ifndef LINSCOPE_LIN_PRIV_H
#define LINSCOPE_LIN_PRIV_H

struct ls_net;

/* Double forward pass of point z (net->in) with k tangents t (k, in):
 * y (net->out) and jt (k, net->out) = J(z) t_i. */
void lin_forward(struct ls_net *net, const double *z, const double *t, int k, double *y,
		 double *jt);

/* A double copy of a net's affine weights and scratch for batched passes.
 * Init with lin_dnet_init(), free with lin_dnet_free(). */
struct lin_dnet {
	struct ls_net *net;
	double **w;       /* (nlayers): (out, in) of affine layers, else NULL */
	double *a, *b;    /* scratch, cap doubles each */
	long cap;
};
void lin_dnet_init(struct lin_dnet *d, struct ls_net *net);
void lin_dnet_free(struct lin_dnet *d);
/* Forward pass of np point rows followed by nt <= np tangent rows, x
 * ((np + nt), net->in): tangent row i is multiplied by the derivatives at
 * point row i (so it becomes J(x_i) t_i). Returns ((np + nt), net->out)
 * values inside d's scratch, valid until the next call. */
const double *lin_dnet_forward(struct lin_dnet *d, const double *x, long np, long nt);

#endif
