/*
 * assets.h: finding the bundled models, banks and labels.
 *
 * Search order: $LINSCOPE_DATADIR, assets/ beside the executable (build
 * tree), the source tree's assets/ (out-of-tree build), $(pkgdatadir).
 */
#ifndef LINSCOPE_ASSETS_H
#define LINSCOPE_ASSETS_H

/* Returns a malloc'd path to the asset file name, or NULL if not found. */
char *ls_asset_path(const char *name);
/* The directory searched first that exists, malloc'd, or NULL. */
char *ls_asset_dir(void);

#endif
