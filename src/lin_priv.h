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

#endif
