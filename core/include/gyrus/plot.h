/* gyrus: figures drawn with PLplot.
 *
 * A figure is one PLplot stream writing one page to a file (PNG, PDF or SVG, chosen by
 * the device) or to a window. The file is written under a temporary name beside the
 * target and renamed by gy_plot_close, so a failed figure never replaces a good file.
 * Panel layout, axes and colour bars are composed by the caller (lua/gyrus/plot.lua) from
 * the primitives below, all in normalised page coordinates (0..1, origin bottom left) for
 * viewports and in world coordinates of the current viewport for data.
 *
 * PLplot is not thread-safe: call these from one thread. Its recoverable errors become
 * GY_ELIB with PLplot's message; its fatal errors (which would end the process) are caught
 * and mark the figure dead, after which every call on it fails with GY_ELIB. Arguments
 * are validated first so that PLplot's fatal paths are not reached by bad input. */
#ifndef GYRUS_PLOT_H
#define GYRUS_PLOT_H

#include "mat.h"

typedef struct gy_plot gy_plot;

/* Where a text is anchored for gy_plot_mtext: sides of the current viewport. */
enum gy_plot_side {
  GY_PLOT_BOTTOM = 0,
  GY_PLOT_LEFT = 1,
  GY_PLOT_TOP = 2,
  GY_PLOT_RIGHT = 3
};

/* Orientation of gy_plot_mtext's text relative to its side. */
enum gy_plot_orient {
  GY_PLOT_PARALLEL = 0,
  GY_PLOT_PERPENDICULAR = 1
};

/* 1 if PLplot has a device of that name (file or interactive), 0 otherwise. */
int gy_plot_has_device(const char *device);

/* Opens a figure of width x height pixels. device: "pngcairo", "svg", "svgcairo",
 * "pdfcairo", "xcairo", ...; NULL picks it from the extension of file (.png, .svg, .pdf).
 * file: the output path (NULL for an interactive device). */
int gy_plot_open(gy_plot **out, const char *device, const char *file, int32_t width,
                 int32_t height);
/* Finishes the page, writes the file in place and frees the figure. NULL is ignored. */
int gy_plot_close(gy_plot *fig);
/* Frees the figure without writing its file (used on error paths and by the GC). */
void gy_plot_discard(gy_plot *fig);
/* 1 while the figure can be drawn on. */
int gy_plot_alive(const gy_plot *fig);

/* Page width and height and the current character height, all in millimetres, so a
 * layout can reserve room for text: size[0..2]. */
int gy_plot_page(gy_plot *fig, double *size);
/* Text size as a multiple of the figure's base size (1 = the default). */
int gy_plot_font(gy_plot *fig, double scale);
/* Drawing colour 0xRRGGBB with opacity alpha in [0, 1]. */
int gy_plot_color(gy_plot *fig, uint32_t rgb, double alpha);
/* Line width in device units (1 = thin) and dash style (0 solid, 1..8 PLplot patterns). */
int gy_plot_pen(gy_plot *fig, double width, int32_t style);

/* Viewport [x0, x1] x [y0, y1] of the page with world coordinates
 * [xmin, xmax] x [ymin, ymax]. */
int gy_plot_viewport(gy_plot *fig, double x0, double x1, double y0, double y1, double xmin,
                     double xmax, double ymin, double ymax);
/* Frame, ticks and numeric labels of the viewport (PLplot plbox option strings, e.g.
 * "bcnst"); tick = 0 lets PLplot choose the interval. */
int gy_plot_axes(gy_plot *fig, const char *xopt, double xtick, const char *yopt, double ytick);
/* Text at a side of the viewport, disp character heights outside it, at fraction pos
 * along the side, justified by just (0 left, 0.5 centre, 1 right). */
int gy_plot_mtext(gy_plot *fig, int32_t side, int32_t orient, double disp, double pos,
                  double just, const char *text);
/* Text at world (x, y), rotated by angle degrees, justified by just. */
int gy_plot_text(gy_plot *fig, double x, double y, double angle, double just, const char *text);

/* Polyline through n points; non-finite points break the line. */
int gy_plot_line(gy_plot *fig, int64_t n, const double *x, const double *y);
/* Filled circles of the given diameter in millimetres at n points (non-finite skipped). */
int gy_plot_points(gy_plot *fig, int64_t n, const double *x, const double *y, double size);
/* Filled polygon of n >= 3 vertices. */
int gy_plot_fill(gy_plot *fig, int64_t n, const double *x, const double *y);

/* Sets the colour map used by gy_plot_image: rgb is n x 3 (2 <= n <= 1024) in [0, 1]. */
int gy_plot_cmap(gy_plot *fig, const gy_mat *rgb);
/* Reads a colour map file: lines of "r g b" in [0, 1]; '#' starts a comment. */
int gy_plot_cmap_read(gy_mat *out, const char *path);
/* Heat map of Z (rows x cols): element (i, j) fills the cell [x0 + j dx, x0 + (j+1) dx] x
 * [y1 - (i+1) dy, y1 - i dy] (row 0 at the top, as a matrix is printed), with dx, dy the
 * cell sizes that make the image cover [x0, x1] x [y0, y1]. Values are clamped to
 * [vmin, vmax] and coloured by the colour map; NaN cells are left blank. */
int gy_plot_image(gy_plot *fig, const gy_mat *Z, double x0, double x1, double y0, double y1,
                  double vmin, double vmax);
/* Contour lines of Z at the given levels, with gy_plot_image's geometry (cell centres of
 * an image covering [x0, x1] x [y0, y1], row 0 at the top); Z must be finite, at least 2 x 2. */
int gy_plot_contour(gy_plot *fig, const gy_mat *Z, double x0, double x1, double y0, double y1,
                    const double *levels, int64_t n_levels);
/* Between gy_plot_raster(fig, 1) and gy_plot_raster(fig, 0) everything drawn becomes one
 * raster image on the cairo devices (as each gy_plot_image does alone): drawing many
 * images (slices of a brain) in one block is much faster than one block each. */
int gy_plot_raster(gy_plot *fig, int on);
/* A legend in the top right corner of the current viewport: n entries with labels,
 * colours 0xRRGGBB, and marker[k] = 0 for a line sample, 1 for a dot. */
int gy_plot_legend(gy_plot *fig, int32_t n, const char *const *labels, const uint32_t *colors,
                   const int32_t *marker);

#endif
