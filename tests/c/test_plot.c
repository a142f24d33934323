/* Figures rendered headless to PNG, SVG and PDF: valid files of the requested size that are
 * not blank, clear errors for bad devices, paths and arguments, PLplot errors captured. */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#include "test.h"
#include "gyrus/plot.h"

/* Element (i, j) of a column-major gy_mat (internal.h is not visible to tests). */
#define AT(m, i, j) ((m)->data[(i) + (j) * (m)->ld])

static char dir[256];

static char *path_in(const char *name) {
  static char buf[4][512];
  static int k;
  k = (k + 1) % 4;
  snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
  return buf[k];
}

static unsigned char *slurp(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *b = malloc(len > 0 ? (size_t)len : 1);
  *n = fread(b, 1, (size_t)len, f);
  fclose(f);
  return b;
}

static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int paeth(int a, int b, int c) {
  int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
  return (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* Width, height and number of distinct pixel colours of an 8-bit RGB/RGBA PNG; -1 when the
 * file is not such a PNG. */
static int png_info(const char *path, int *w, int *h, int *colours) {
  size_t n;
  unsigned char *b = slurp(path, &n);
  int ok = -1;
  unsigned char *idat = NULL, *raw = NULL;
  uint32_t *px = NULL;
  size_t nidat = 0;
  if (!b || n < 33 || memcmp(b, "\x89PNG\r\n\x1a\n", 8) != 0) goto done;
  if (memcmp(b + 12, "IHDR", 4) != 0) goto done;
  *w = (int)be32(b + 16);
  *h = (int)be32(b + 20);
  int depth = b[24], ctype = b[25];
  int bpp = ctype == 6 ? 4 : (ctype == 2 ? 3 : 0);
  if (depth != 8 || !bpp || b[28] != 0) goto done; /* not interlaced */
  idat = malloc(n);
  for (size_t off = 8; off + 12 <= n;) {
    uint32_t len = be32(b + off);
    if (off + 12 + len > n) goto done;
    if (memcmp(b + off + 4, "IDAT", 4) == 0) {
      memcpy(idat + nidat, b + off + 8, len);
      nidat += len;
    }
    off += 12 + len;
  }
  size_t stride = (size_t)*w * bpp, rawn = (stride + 1) * (size_t)*h;
  raw = malloc(rawn);
  uLongf got = rawn;
  if (uncompress(raw, &got, idat, nidat) != Z_OK || got != rawn) goto done;
  for (int y = 0; y < *h; y++) {
    unsigned char *row = raw + y * (stride + 1), *cur = row + 1;
    unsigned char *prev = y ? raw + (y - 1) * (stride + 1) + 1 : NULL;
    for (size_t i = 0; i < stride; i++) {
      int a = i >= (size_t)bpp ? cur[i - bpp] : 0, up = prev ? prev[i] : 0;
      int c = (prev && i >= (size_t)bpp) ? prev[i - bpp] : 0;
      switch (row[0]) {
      case 0: break;
      case 1: cur[i] = (unsigned char)(cur[i] + a); break;
      case 2: cur[i] = (unsigned char)(cur[i] + up); break;
      case 3: cur[i] = (unsigned char)(cur[i] + (a + up) / 2); break;
      case 4: cur[i] = (unsigned char)(cur[i] + paeth(a, up, c)); break;
      default: goto done;
      }
    }
  }
  size_t npx = (size_t)*w * *h;
  px = malloc(npx * sizeof *px);
  for (int y = 0; y < *h; y++)
    for (int x = 0; x < *w; x++) {
      unsigned char *p = raw + y * (stride + 1) + 1 + (size_t)x * bpp;
      px[(size_t)y * *w + x] = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
    }
  qsort(px, npx, sizeof *px, cmp_u32);
  *colours = npx ? 1 : 0;
  for (size_t i = 1; i < npx; i++)
    if (px[i] != px[i - 1]) ++*colours;
  ok = 0;
done:
  free(b);
  free(idat);
  free(raw);
  free(px);
  return ok;
}

static int count(const char *hay, const char *needle) {
  int c = 0;
  for (const char *p = hay; (p = strstr(p, needle)); p++) c++;
  return c;
}

/* One of everything the Lua layer composes figures from. */
static int draw_all(gy_plot *f) {
  gy_mat cm = {0}, Z = {0};
  char cmap[512];
  snprintf(cmap, sizeof cmap, "%s/share/colormaps/viridis.txt", GY_SOURCE_DIR);
  int st = gy_plot_cmap_read(&cm, cmap);
  if (!st) st = gy_plot_cmap(f, &cm);
  if (!st) st = gy_mat_init(&Z, 20, 30);
  if (!st) {
    for (int j = 0; j < 30; j++)
      for (int i = 0; i < 20; i++) AT(&Z, i, j) = sin(0.3 * i) * cos(0.2 * j);
    AT(&Z, 3, 4) = NAN;
    st = gy_plot_viewport(f, 0.1, 0.45, 0.15, 0.9, 0.5, 30.5, 20.5, 0.5);
  }
  if (!st) st = gy_plot_image(f, &Z, 0.5, 30.5, 20.5, 0.5, -1, 1);
  if (!st) st = gy_plot_color(f, 0x000000, 1);
  if (!st) st = gy_plot_axes(f, "bcnt", 0, "bcntv", 0);
  if (!st) st = gy_plot_mtext(f, GY_PLOT_TOP, GY_PLOT_PARALLEL, 1, 0.5, 0.5, "heat # map");
  double x[50], y[50];
  for (int i = 0; i < 50; i++) x[i] = i, y[i] = sin(i / 5.0);
  y[20] = NAN; /* breaks the line */
  if (!st) st = gy_plot_viewport(f, 0.55, 0.95, 0.15, 0.9, 0, 49, -1.2, 1.2);
  if (!st) st = gy_plot_color(f, 0x0072B2, 1);
  if (!st) st = gy_plot_pen(f, 2, 0);
  if (!st) st = gy_plot_line(f, 50, x, y);
  if (!st) st = gy_plot_color(f, 0xD55E00, 0.8);
  if (!st) st = gy_plot_points(f, 50, x, y, 1.5);
  double px[4] = {5, 10, 10, 5}, py[4] = {-1, -1, -0.5, -0.5};
  if (!st) st = gy_plot_fill(f, 4, px, py);
  if (!st) st = gy_plot_color(f, 0, 1);
  if (!st) st = gy_plot_text(f, 25, 0, 30, 0.5, "text");
  if (!st) st = gy_plot_axes(f, "bcnst", 0, "bcnstv", 0);
  const char *labels[2] = {"sine", "dots"};
  uint32_t colors[2] = {0x0072B2, 0xD55E00};
  int32_t marker[2] = {0, 1};
  if (!st) st = gy_plot_legend(f, 2, labels, colors, marker);
  gy_mat_clear(&cm);
  gy_mat_clear(&Z);
  return st;
}

static void test_formats(void) {
  gy_plot *f = NULL;
  /* PNG: size from IHDR, many colours. */
  CHECK_OK(gy_plot_open(&f, NULL, path_in("all.png"), 320, 240));
  CHECK_OK(draw_all(f));
  CHECK_OK(gy_plot_close(f));
  int w = 0, h = 0, colours = 0;
  CHECK(png_info(path_in("all.png"), &w, &h, &colours) == 0);
  CHECK(w == 320 && h == 240);
  CHECK(colours > 20);
  /* A blank figure is white only: the check can tell. */
  CHECK_OK(gy_plot_open(&f, NULL, path_in("blank.png"), 64, 48));
  CHECK_OK(gy_plot_close(f));
  CHECK(png_info(path_in("blank.png"), &w, &h, &colours) == 0);
  CHECK(w == 64 && h == 48 && colours == 1);

  /* SVG: a document of the requested size with drawing and an embedded raster image. */
  CHECK_OK(gy_plot_open(&f, NULL, path_in("all.svg"), 400, 300));
  CHECK_OK(draw_all(f));
  CHECK_OK(gy_plot_close(f));
  size_t n;
  char *svg = (char *)slurp(path_in("all.svg"), &n);
  CHECK(svg != NULL);
  if (svg) {
    svg = realloc(svg, n + 1);
    svg[n] = '\0';
    CHECK(strstr(svg, "<svg") != NULL);
    CHECK(strstr(svg, "width=\"400pt\"") != NULL && strstr(svg, "height=\"300pt\"") != NULL);
    CHECK(count(svg, "<path") > 10);
    CHECK(count(svg, "<image") >= 1);
    free(svg);
  }
  /* The native svg driver also works when asked for by name. */
  CHECK_OK(gy_plot_open(&f, "svg", path_in("native.svg"), 400, 300));
  CHECK_OK(draw_all(f));
  CHECK_OK(gy_plot_close(f));

  /* PDF */
  CHECK_OK(gy_plot_open(&f, NULL, path_in("all.pdf"), 400, 300));
  CHECK_OK(draw_all(f));
  CHECK_OK(gy_plot_close(f));
  unsigned char *pdf = slurp(path_in("all.pdf"), &n);
  CHECK(pdf && n > 1000 && memcmp(pdf, "%PDF", 4) == 0);
  free(pdf);
}

static void test_errors(void) {
  gy_plot *f = (gy_plot *)&f;
  CHECK(gy_plot_has_device("pngcairo") == 1);
  CHECK(gy_plot_has_device("svg") == 1);
  CHECK(gy_plot_has_device("nosuchdev") == 0);
  CHECK(gy_plot_has_device(NULL) == 0);
  /* Unknown devices never reach plinit (which would prompt on stdin). */
  CHECK_FAILS(gy_plot_open(&f, "nosuchdev", path_in("x.png"), 100, 100), GY_EUNSUPPORTED, "no device 'nosuchdev'");
  CHECK(f == NULL);
  CHECK_FAILS(gy_plot_open(&f, NULL, "/nonexistent-dir/x.png", 100, 100), GY_EIO, "cannot write '/nonexistent-dir/x.png'");
  CHECK_FAILS(gy_plot_open(&f, NULL, path_in("x.bmp"), 100, 100), GY_EINVAL, "cannot tell the format");
  CHECK_FAILS(gy_plot_open(&f, NULL, NULL, 100, 100), GY_EINVAL, "cannot tell the format");
  CHECK_FAILS(gy_plot_open(&f, "pngcairo", NULL, 100, 100), GY_EINVAL, "give a file name");
  CHECK_FAILS(gy_plot_open(&f, NULL, path_in("x.png"), 5, 100), GY_EINVAL, "figure size");
  CHECK_FAILS(gy_plot_open(&f, NULL, path_in("x%d.png"), 100, 100), GY_EINVAL, "contains '%'");
  CHECK_FAILS(gy_plot_open(&f, "xcairo", path_in("x.png"), 100, 100), GY_EINVAL, "opens a window");
  CHECK_FAILS(gy_plot_open(NULL, NULL, path_in("x.png"), 100, 100), GY_EINVAL, "NULL");
  CHECK(access(path_in("x.png"), F_OK) != 0);

  CHECK_OK(gy_plot_open(&f, NULL, path_in("err.png"), 100, 100));
  /* A PLplot error (drawing before a window is set) is captured, not printed or fatal. */
  double x[2] = {0, 1}, y[2] = {0, 1};
  CHECK_FAILS(gy_plot_line(f, 2, x, y), GY_ELIB, "PLplot error");
  CHECK_FAILS(gy_plot_viewport(f, 0.5, 0.2, 0, 1, 0, 1, 0, 1), GY_EINVAL, "not inside the page");
  CHECK_FAILS(gy_plot_viewport(f, 0, 1, 0, 1, 0, 0, 0, 1), GY_EINVAL, "world window");
  CHECK_OK(gy_plot_viewport(f, 0.1, 0.9, 0.1, 0.9, 0, 1, 0, 1));
  CHECK_OK(gy_plot_line(f, 2, x, y)); /* the stream still works */
  CHECK_FAILS(gy_plot_color(f, 0x1000000, 1), GY_EINVAL, "not 0xRRGGBB");
  CHECK_FAILS(gy_plot_color(f, 0, 2), GY_EINVAL, "alpha");
  CHECK_FAILS(gy_plot_pen(f, 0, 0), GY_EINVAL, "line width");
  CHECK_FAILS(gy_plot_font(f, 0), GY_EINVAL, "font scale");
  CHECK_FAILS(gy_plot_axes(f, "bc;", 0, "bc", 0), GY_EINVAL, "unknown letter");
  CHECK_FAILS(gy_plot_text(f, NAN, 0, 0, 0, "a"), GY_EINVAL, "not finite");
  CHECK_FAILS(gy_plot_text(f, 0, 0, 0, 0, NULL), GY_EINVAL, "NULL");
  CHECK_FAILS(gy_plot_mtext(f, 7, 0, 1, 0.5, 0.5, "a"), GY_EINVAL, "side");
  CHECK_FAILS(gy_plot_fill(f, 2, x, y), GY_EINVAL, "number of points");
  CHECK_FAILS(gy_plot_line(f, 2, NULL, y), GY_EINVAL, "NULL");
  CHECK_FAILS(gy_plot_points(f, 2, x, y, 0), GY_EINVAL, "point size");
  const char *lab[1] = {"a"};
  uint32_t col[1] = {0};
  int32_t mk[1] = {0};
  CHECK_FAILS(gy_plot_legend(f, 0, lab, col, mk), GY_EINVAL, "legend has 0 entries");
  gy_mat Z = {0}, cm = {0};
  CHECK_OK(gy_mat_init(&Z, 2, 2));
  CHECK_FAILS(gy_plot_image(f, &Z, 0, 1, 0, 1, 1, 1), GY_EINVAL, "colour range");
  CHECK_FAILS(gy_plot_image(f, &Z, 0, 0, 0, 1, 0, 1), GY_EINVAL, "extent");
  CHECK_FAILS(gy_plot_cmap(f, &Z), GY_EINVAL, "not n x 3");
  gy_mat_clear(&Z);
  CHECK_OK(gy_mat_init(&Z, 2, 3));
  AT(&Z, 1, 1) = 1.5;
  CHECK_FAILS(gy_plot_cmap(f, &Z), GY_EINVAL, "outside [0, 1]");
  gy_mat_clear(&Z);
  CHECK_FAILS(gy_plot_cmap_read(&cm, path_in("missing.txt")), GY_EIO, "cannot read colour map");
  FILE *bad = fopen(path_in("bad.txt"), "w");
  fputs("# comment\n0 0 0\n1 1 oops\n", bad);
  fclose(bad);
  CHECK_FAILS(gy_plot_cmap_read(&cm, path_in("bad.txt")), GY_EFORMAT, "line 3");
  CHECK(cm.data == NULL);
  CHECK_OK(gy_plot_close(f));
  CHECK(gy_plot_close(NULL) == GY_OK);
  gy_plot_discard(NULL);
}

/* The file is written under a temporary name: a discarded figure leaves the old file. */
static void test_atomic(void) {
  const char *p = path_in("keep.svg");
  FILE *out = fopen(p, "w");
  fputs("old", out);
  fclose(out);
  gy_plot *f = NULL;
  CHECK_OK(gy_plot_open(&f, NULL, p, 100, 100));
  CHECK(gy_plot_alive(f) == 1);
  gy_plot_discard(f);
  size_t n;
  unsigned char *b = slurp(p, &n);
  CHECK(b && n == 3 && memcmp(b, "old", 3) == 0);
  free(b);
  CHECK_OK(gy_plot_open(&f, NULL, p, 100, 100));
  CHECK_OK(gy_plot_close(f));
  b = slurp(p, &n);
  CHECK(b && n > 100);
  free(b);
  /* No temporary files are left behind. */
  char cmd[600];
  snprintf(cmd, sizeof cmd, "ls -a %s | grep -c gytmp", dir);
  FILE *ls = popen(cmd, "r");
  int left = -1;
  if (ls) {
    if (fscanf(ls, "%d", &left) != 1) left = -1;
    pclose(ls);
  }
  CHECK(left == 0);
}

/* Several figures open at once each keep their own stream. */
/* Declared in cdef_connplot.lua until merged into gyrus/plot.h. */
int gy_plot_contour(gy_plot *fig, const gy_mat *Z, double x0, double x1, double y0, double y1,
                    const double *levels, int64_t n_levels);

/* Contours of a radial bowl: n levels give n closed rings of SVG paths; bad grids and
 * levels are errors before anything is drawn. */
static void test_contour(void) {
  gy_mat Z = {0};
  gy_mat_init(&Z, 40, 50);
  for (int64_t j = 0; j < 50; j++)
    for (int64_t i = 0; i < 40; i++) {
      double x = (j + 0.5) / 50 * 2 - 1, y = 1 - (i + 0.5) / 40 * 2;
      Z.data[i + j * Z.ld] = x * x + y * y;
    }
  double levels[] = {0.1, 0.3, 0.5};
  gy_plot *f = NULL;
  CHECK_OK(gy_plot_open(&f, NULL, path_in("contour.svg"), 300, 300));
  CHECK_OK(gy_plot_viewport(f, 0.1, 0.9, 0.1, 0.9, -1, 1, -1, 1));
  size_t n0 = 0;
  CHECK_OK(gy_plot_contour(f, &Z, -1, 1, -1, 1, levels, 3));
  CHECK_OK(gy_plot_close(f));
  char *svg = (char *)slurp(path_in("contour.svg"), &n0);
  CHECK(svg != NULL && n0 > 0);
  if (svg) {
    svg = realloc(svg, n0 + 1);
    svg[n0] = '\0';
    CHECK(count(svg, "<path") >= 3);
    free(svg);
  }
  CHECK_OK(gy_plot_open(&f, NULL, path_in("contour_bad.png"), 100, 100));
  CHECK_FAILS(gy_plot_contour(f, &Z, -1, 1, -1, 1, levels, 0), GY_EINVAL, "contour levels");
  double bad[] = {NAN};
  CHECK_FAILS(gy_plot_contour(f, &Z, -1, 1, -1, 1, bad, 1), GY_EINVAL, "not finite");
  CHECK_FAILS(gy_plot_contour(f, &Z, -1, -1, -1, 1, levels, 3), GY_EINVAL, "extent");
  Z.data[5] = NAN;
  CHECK_FAILS(gy_plot_contour(f, &Z, -1, 1, -1, 1, levels, 3), GY_EINVAL, "contour grid");
  CHECK_OK(gy_plot_close(f));
  gy_mat_clear(&Z);
}

static void test_streams(void) {
  gy_plot *a = NULL, *b = NULL;
  CHECK_OK(gy_plot_open(&a, NULL, path_in("a.png"), 120, 90));
  CHECK_OK(gy_plot_open(&b, NULL, path_in("b.png"), 160, 100));
  CHECK_OK(gy_plot_viewport(a, 0.1, 0.9, 0.1, 0.9, 0, 1, 0, 1));
  CHECK_OK(gy_plot_viewport(b, 0.1, 0.9, 0.1, 0.9, 0, 1, 0, 1));
  double x[3] = {0, 0.5, 1}, y[3] = {0, 1, 0};
  CHECK_OK(gy_plot_color(a, 0xff0000, 1));
  CHECK_OK(gy_plot_line(a, 3, x, y));
  CHECK_OK(gy_plot_close(b));
  CHECK_OK(gy_plot_line(a, 3, y, x));
  /* Several images in one raster block, then vector drawing again. */
  gy_mat Z = {0};
  CHECK_OK(gy_mat_init(&Z, 3, 4));
  for (int k = 0; k < 12; k++) Z.data[k] = k;
  CHECK_OK(gy_plot_raster(a, 1));
  CHECK_OK(gy_plot_image(a, &Z, 0, 0.5, 0, 0.5, 0, 11));
  CHECK_OK(gy_plot_image(a, &Z, 0.5, 1, 0.5, 1, 0, 11));
  CHECK_FAILS(gy_plot_raster(a, 2), GY_EINVAL, "raster flag");
  CHECK_OK(gy_plot_raster(a, 0));
  CHECK_OK(gy_plot_line(a, 3, x, y));
  CHECK_OK(gy_plot_raster(a, 1)); /* left open: closing the figure ends the block */
  gy_mat_clear(&Z);
  CHECK_OK(gy_plot_close(a));
  int w, h, c;
  CHECK(png_info(path_in("a.png"), &w, &h, &c) == 0 && w == 120 && h == 90 && c > 2);
  CHECK(png_info(path_in("b.png"), &w, &h, &c) == 0 && w == 160 && h == 100 && c == 1);
}

int main(void) {
  snprintf(dir, sizeof dir, "%s", "test_plot_XXXXXX");
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  test_formats();
  test_errors();
  test_atomic();
  test_streams();
  test_contour();
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (test_failed_ == 0 && system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
  return test_summary();
}
