/* Colour maps (read from the files in share/colormaps, installed into PLplot's cmap1) and heat
 * map images. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_internal.h"

enum { CMAP_MAX = 1024 };

int gy_plot_cmap_read(gy_mat *out, const char *path) {
  GY_TRY(gy_check_out(out, "colour map"));
  if (!path) return gy_err(GY_EINVAL, "path is NULL");
  FILE *f = fopen(path, "r");
  if (!f) return gy_err(GY_EIO, "cannot read colour map '%s': %s", path, strerror(errno));
  double rgb[CMAP_MAX][3];
  int n = 0, lineno = 0;
  char line[256];
  int st = GY_OK;
  while (fgets(line, sizeof line, f)) {
    lineno++;
    char *p = line;
    while (*p == ' ' || *p == '\t') p++;
    if (*p == '#' || *p == '\n' || *p == '\r' || *p == '\0') continue;
    if (n == CMAP_MAX) {
      st = gy_err(GY_EFORMAT, "colour map '%s' has more than %d rows", path, CMAP_MAX);
      break;
    }
    double r, g, b;
    char extra;
    if (sscanf(p, "%lf %lf %lf %c", &r, &g, &b, &extra) != 3 || !(r >= 0 && r <= 1) ||
        !(g >= 0 && g <= 1) || !(b >= 0 && b <= 1)) {
      st = gy_err(GY_EFORMAT, "colour map '%s' line %d is not three numbers in [0, 1]", path, lineno);
      break;
    }
    rgb[n][0] = r;
    rgb[n][1] = g;
    rgb[n][2] = b;
    n++;
  }
  fclose(f);
  if (st) return st;
  if (n < 2) return gy_err(GY_EFORMAT, "colour map '%s' has fewer than 2 rows", path);
  GY_TRY(gy_mat_init(out, n, 3));
  for (int i = 0; i < n; i++)
    for (int c = 0; c < 3; c++) GY_AT(out, i, c) = rgb[i][c];
  return GY_OK;
}

int gy_plot_cmap(gy_plot *fig, const gy_mat *rgb) {
  GY_TRY(gy_check_mat(rgb, "colour map"));
  if (rgb->cols != 3 || rgb->rows < 2 || rgb->rows > CMAP_MAX)
    return gy_err(GY_EINVAL, "colour map is %lld x %lld, not n x 3 with n in 2..%d",
                  (long long)rgb->rows, (long long)rgb->cols, CMAP_MAX);
  PLINT r[CMAP_MAX], g[CMAP_MAX], b[CMAP_MAX];
  PLINT n = (PLINT)rgb->rows;
  for (PLINT i = 0; i < n; i++) {
    double v[3] = {GY_AT(rgb, i, 0), GY_AT(rgb, i, 1), GY_AT(rgb, i, 2)};
    for (int c = 0; c < 3; c++)
      if (!(v[c] >= 0 && v[c] <= 1))
        return gy_err(GY_EINVAL, "colour map row %d has a value outside [0, 1]", (int)i + 1);
    r[i] = (PLINT)lround(v[0] * 255);
    g[i] = (PLINT)lround(v[1] * 255);
    b[i] = (PLINT)lround(v[2] * 255);
  }
  GY_PLOT_ENTER(fig);
  plscmap1n(n);
  plscmap1(r, g, b, n);
  fig->ncol1 = n;
  return gy_plot_leave_(fig);
}

/* Cells are filled directly rather than through plimagefr: runs of cells along a row that
 * fall on the same colour map entry become one rectangle (a slice of a brain is mostly
 * background and blank cells), and the whole image is rasterised by the cairo devices
 * instead of becoming one vector polygon per cell. */
int gy_plot_image(gy_plot *fig, const gy_mat *Z, double x0, double x1, double y0, double y1,
                  double vmin, double vmax) {
  GY_TRY(gy_check_mat(Z, "image"));
  if (Z->rows < 1 || Z->cols < 1) return gy_err(GY_EINVAL, "image is empty");
  if (Z->rows > 100000 || Z->cols > 100000)
    return gy_err(GY_EINVAL, "image of %lld x %lld is too large to draw", (long long)Z->rows,
                  (long long)Z->cols);
  if (!(isfinite(x0) && isfinite(x1) && isfinite(y0) && isfinite(y1)) || x0 == x1 || y0 == y1)
    return gy_err(GY_EINVAL, "image extent is empty or not finite");
  if (!(isfinite(vmin) && isfinite(vmax) && vmin < vmax))
    return gy_err(GY_EINVAL, "colour range [%g, %g] is empty or not finite", vmin, vmax);
  int64_t rows = Z->rows, cols = Z->cols;
  int ncol = fig && fig->ncol1 > 1 ? fig->ncol1 : 128; /* PLplot's default cmap1 size */
  double dx = (x1 - x0) / (double)cols, dy = (y1 - y0) / (double)rows;
  double scale = ncol / (vmax - vmin);
  GY_PLOT_ENTER(fig);
  int own_raster = !fig->raster;
  if (own_raster) pl_cmd(PLESC_START_RASTERIZE, NULL);
  for (int64_t i = 0; i < rows; i++) {
    /* Row i spans [y1 - (i+1) dy, y1 - i dy]: row 0 at y1, the top of a printed matrix. */
    PLFLT ya = y1 - (double)(i + 1) * dy, yb = y1 - (double)i * dy;
    int64_t j = 0;
    while (j < cols) {
      double v = GY_AT(Z, i, j);
      if (isnan(v)) {
        j++;
        continue;
      }
      int idx = v <= vmin ? 0 : (v >= vmax ? ncol - 1 : (int)((v - vmin) * scale));
      if (idx > ncol - 1) idx = ncol - 1;
      int64_t k = j + 1;
      while (k < cols) {
        double w = GY_AT(Z, i, k);
        if (isnan(w)) break;
        int widx = w <= vmin ? 0 : (w >= vmax ? ncol - 1 : (int)((w - vmin) * scale));
        if (widx > ncol - 1) widx = ncol - 1;
        if (widx != idx) break;
        k++;
      }
      PLFLT xs[4] = {x0 + (double)j * dx, x0 + (double)k * dx, x0 + (double)k * dx, x0 + (double)j * dx};
      PLFLT ys[4] = {ya, ya, yb, yb};
      /* The centre of entry idx, so plcol1 picks exactly that entry. */
      plcol1((idx + 0.5) / ncol);
      plfill(4, xs, ys);
      j = k;
    }
    if ((i & 63) == 63 && gy_interrupted()) break;
  }
  if (own_raster) pl_cmd(PLESC_END_RASTERIZE, NULL);
  plcol0(1);
  int st = gy_plot_leave_(fig);
  if (!st && gy_interrupted()) st = gy_check_interrupt();
  return st;
}

int gy_plot_raster(gy_plot *fig, int on) {
  if (on != 0 && on != 1) return gy_err(GY_EINVAL, "raster flag %d is not 0 or 1", on);
  GY_PLOT_ENTER(fig);
  if (on && !fig->raster) pl_cmd(PLESC_START_RASTERIZE, NULL);
  if (!on && fig->raster) pl_cmd(PLESC_END_RASTERIZE, NULL);
  fig->raster = on;
  return gy_plot_leave_(fig);
}
