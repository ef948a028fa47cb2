/*
 * cli_tropical.h: `linscope tropical`, and the --all forms of `regions` and
 * `regionmap` (cli_tropical.c), called from cli_regions.c.
 */
#ifndef LINSCOPE_CLI_TROPICAL_H
#define LINSCOPE_CLI_TROPICAL_H

/* Is "--all" among argv[1..argc-1]? */
int cli_has_all(int argc, char **argv);
int cli_regions_all(int argc, char **argv);
int cli_regionmap_all(int argc, char **argv);

#endif
