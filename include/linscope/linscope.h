/* linscope.h: the whole core API. */
#ifndef LINSCOPE_H
#define LINSCOPE_H
#include "linscope/status.h"
#include "linscope/st.h"
#include "linscope/npy.h"
#include "linscope/png.h"
#include "linscope/model.h"
#include "linscope/labels.h"
#include "linscope/factors.h"
#include "linscope/bank.h"
#include "linscope/assets.h"
#include "linscope/progress.h"
#include "linscope/session.h"
#include "linscope/cmd.h"
#include "linscope/dirs.h"
#include "linscope/dirfile.h"
#include "linscope/regions.h"
#include "linscope/path.h"
#include "linscope/linearity.h"
#endif
