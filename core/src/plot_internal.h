/* Shared by the plot*.c files: the figure struct and the guard around PLplot calls. */
#ifndef GYRUS_PLOT_INTERNAL_H
#define GYRUS_PLOT_INTERNAL_H

#include <setjmp.h>

#include <plplot/plplot.h>

#include "internal.h"
#include "gyrus/plot.h"

struct gy_plot {
  PLINT stream;
  PLINT errcode;     /* plsError target: PLplot's recoverable errors land here */
  char errmsg[2048]; /* PLplot sprintf's into this without a bound; keep it large */
  char *file;        /* final path (NULL for a window) */
  char *tmp;         /* the path PLplot writes, renamed to file on close */
  int alive;
  double base_chr;   /* character height in mm chosen at open */
  int ncol1;         /* entries in the colour map set by gy_plot_cmap (0: PLplot's) */
  int raster;        /* inside a gy_plot_raster block */
};

/* Makes fig's stream current and checks it can be drawn on. */
int gy_plot_begin_(gy_plot *fig);
/* Arms the landing point for PLplot's fatal errors (plexit). */
void gy_plot_arm_(jmp_buf *jb);
/* Disarms, and turns a recoverable PLplot error recorded on the stream into GY_ELIB. */
int gy_plot_leave_(gy_plot *fig);
/* After a fatal error: marks the figure dead and reports PLplot's message. */
int gy_plot_fatal_(gy_plot *fig);

/* Every public drawing function enters PLplot through this after validating its inputs
 * and leaves through gy_plot_leave_. PLplot's exit handler longjmps here instead of
 * letting PLplot call exit(); memory allocated between the two may leak on that path,
 * which only a PLplot-internal failure can reach. */
#define GY_PLOT_ENTER(fig)                                  \
  jmp_buf gy_plot_jb_;                                      \
  GY_TRY(gy_plot_begin_(fig));                              \
  if (setjmp(gy_plot_jb_)) return gy_plot_fatal_(fig);      \
  gy_plot_arm_(&gy_plot_jb_)

#endif
