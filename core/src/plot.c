/* Figures: one PLplot stream per figure, device checks, temporary output files and the
 * capture of PLplot's errors. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plot_internal.h"

/* PLplot keeps one global current stream and is not thread-safe; so is this. */
static jmp_buf *armed;
static char fatal_msg[512];
static int exit_handler_set;
static unsigned long tmp_counter;

/* plexit() calls this and then plend() + exit(). Jumping back to the armed entry point
 * is the only way to keep the process alive; without an armed point (which would mean
 * PLplot failed outside gyrus' guarded calls) there is nothing to return to. */
static int on_plexit(const char *msg) {
  snprintf(fatal_msg, sizeof fatal_msg, "%s", msg ? msg : "");
  if (armed) {
    jmp_buf *jb = armed;
    armed = NULL;
    longjmp(*jb, 1);
  }
  return 1;
}

void gy_plot_arm_(jmp_buf *jb) { armed = jb; }

int gy_plot_begin_(gy_plot *fig) {
  if (!fig) return gy_err(GY_EINVAL, "figure is NULL");
  if (!fig->alive) return gy_err(GY_ELIB, "figure is closed or was broken by a PLplot error");
  plsstrm(fig->stream);
  fig->errcode = 0;
  fig->errmsg[0] = '\0';
  return GY_OK;
}

int gy_plot_leave_(gy_plot *fig) {
  armed = NULL;
  if (fig->errcode) {
    int code = fig->errcode;
    fig->errcode = 0;
    return gy_err(GY_ELIB, "PLplot error %d: %s", (int)code, fig->errmsg);
  }
  return GY_OK;
}

int gy_plot_fatal_(gy_plot *fig) {
  /* The stream's state is unknown after plexit: never touch it again. */
  fig->alive = 0;
  return gy_err(GY_ELIB, "PLplot fatal error: %s", fatal_msg);
}

static int device_in(const char *const *names, int n, const char *device) {
  for (int i = 0; i < n; i++)
    if (names[i] && strcmp(names[i], device) == 0) return 1;
  return 0;
}

int gy_plot_has_device(const char *device) {
  if (!device || !*device) return 0;
  /* plgDevs fills caller arrays; n is their capacity on entry and the count on return. */
  const char *m[128], *d[128];
  const char **menu = m, **names = d;
  int n = 128;
  plgDevs(&menu, &names, &n);
  return device_in(names, n, device);
}

static const char *device_for(const char *file) {
  const char *dot = file ? strrchr(file, '.') : NULL;
  if (!dot) return NULL;
  if (strcmp(dot, ".png") == 0 || strcmp(dot, ".PNG") == 0) return "pngcairo";
  if (strcmp(dot, ".svg") == 0 || strcmp(dot, ".SVG") == 0) return "svgcairo";
  if (strcmp(dot, ".pdf") == 0 || strcmp(dot, ".PDF") == 0) return "pdfcairo";
  return NULL;
}

/* PLplot's driver list marks its native svg driver interactive, so file devices are
 * told apart by the short list of devices that open windows. */
static int is_window_device(const char *device) {
  static const char *windows[] = {"xcairo", "xwin", "qtwidget", "wxwidgets", "tk", "ntk",
                                  "aqt", "wingcc", "wincairo"};
  for (size_t i = 0; i < sizeof windows / sizeof windows[0]; i++)
    if (strcmp(windows[i], device) == 0) return 1;
  return 0;
}

static char *dupstr(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = malloc(n);
  if (p) memcpy(p, s, n);
  return p;
}

/* The temporary name sits in the target's directory so the final rename is atomic. */
static int make_tmp(gy_plot *fig, const char *file) {
  const char *slash = strrchr(file, '/');
  size_t dirlen = slash ? (size_t)(slash - file + 1) : 0;
  size_t n = strlen(file) + 64;
  fig->tmp = malloc(n);
  fig->file = dupstr(file);
  if (!fig->tmp || !fig->file) return gy_err(GY_ENOMEM, "out of memory");
  snprintf(fig->tmp, n, "%.*s.gytmp-%ld-%lu-%s", (int)dirlen, file, (long)getpid(),
           ++tmp_counter, slash ? slash + 1 : file);
  FILE *f = fopen(fig->tmp, "wb");
  if (!f) return gy_err(GY_EIO, "cannot write '%s': %s", file, strerror(errno));
  fclose(f);
  return GY_OK;
}

static void free_fig(gy_plot *fig) {
  if (fig->tmp) remove(fig->tmp);
  free(fig->tmp);
  free(fig->file);
  free(fig);
}

/* Makes fig's stream and opens the device; frees fig on failure. Kept apart from
 * gy_plot_open so nothing live across setjmp is modified after it. */
static int start_stream(gy_plot *fig, const char *device, int to_file, int32_t width,
                        int32_t height) {
  if (!exit_handler_set) {
    plsexit(on_plexit);
    exit_handler_set = 1;
  }
  PLINT cur;
  plgstrm(&cur);
  plmkstrm(&fig->stream);
  if (fig->stream < 0) {
    plsstrm(cur);
    free_fig(fig);
    return gy_err(GY_ELIB, "PLplot has no free stream (too many open figures)");
  }
  plsError(&fig->errcode, fig->errmsg);
  jmp_buf jb;
  if (setjmp(jb)) {
    /* The jump left PLplot before its plend(): the half-made stream stays allocated
     * (PLplot's state is unknown, so ending it could fail again). */
    plsstrm(cur);
    free_fig(fig);
    return gy_err(GY_ELIB, "PLplot fatal error opening the figure: %s", fatal_msg);
  }
  gy_plot_arm_(&jb);
  plsdev(device);
  if (to_file) plsfnam(fig->tmp);
  plspage(0, 0, width, height, 0, 0);
  /* Files never wait; a window waits for a click at close so the user sees the figure,
   * unless GY_PLOT_NOWAIT is set (scripted windows, tests under Xvfb). */
  const char *nowait = getenv("GY_PLOT_NOWAIT");
  if (to_file || (nowait && *nowait && strcmp(nowait, "0") != 0)) plspause(0);
  /* White page, black ink: never PLplot's red-on-black default. */
  plscmap0n(64);
  plscolbg(255, 255, 255);
  plscol0(1, 0, 0, 0);
  plinit();
  if (fig->errcode) {
    armed = NULL;
    gy_err(GY_ELIB, "PLplot could not open device '%s': %s", device, fig->errmsg);
    plend1();
    plsstrm(cur);
    free_fig(fig);
    return GY_ELIB;
  }
  pladv(0);
  plcol0(1);
  /* Text size follows the figure so a small PNG stays legible and a large one is not tiny. */
  PLFLT xmin, xmax, ymin, ymax;
  plgspa(&xmin, &xmax, &ymin, &ymax);
  double shortest = (xmax - xmin) < (ymax - ymin) ? (xmax - xmin) : (ymax - ymin);
  fig->base_chr = shortest / 38.0;
  if (fig->base_chr < 1.5) fig->base_chr = 1.5;
  plschr(fig->base_chr, 1.0);
  plsfont(PL_FCI_SANS, PL_FCI_UPRIGHT, PL_FCI_MEDIUM);
  fig->alive = 1;
  int st = gy_plot_leave_(fig);
  if (st) gy_plot_discard(fig);
  return st;
}

int gy_plot_open(gy_plot **out, const char *device, const char *file, int32_t width,
                 int32_t height) {
  if (!out) return gy_err(GY_EINVAL, "output pointer is NULL");
  *out = NULL;
  if (width < 16 || height < 16 || width > 20000 || height > 20000)
    return gy_err(GY_EINVAL, "figure size %dx%d is outside 16..20000 pixels", (int)width,
                  (int)height);
  if (file && (!*file || strchr(file, '%')))
    return gy_err(GY_EINVAL, "file name '%s' is empty or contains '%%'", file);
  if (!device) {
    device = device_for(file);
    if (!device)
      return gy_err(GY_EINVAL, "cannot tell the format of '%s' (use .png, .svg or .pdf)",
                    file ? file : "(no file)");
  }
  /* plinit would print a menu and read stdin for an unknown device. */
  if (!gy_plot_has_device(device))
    return gy_err(GY_EUNSUPPORTED, "PLplot has no device '%s'", device);
  int to_file = !is_window_device(device);
  if (to_file && !file) return gy_err(GY_EINVAL, "device '%s' writes a file: give a file name", device);
  if (!to_file && file) return gy_err(GY_EINVAL, "device '%s' opens a window: it takes no file name", device);

  gy_plot *fig = calloc(1, sizeof *fig);
  if (!fig) return gy_err(GY_ENOMEM, "out of memory");
  if (to_file) {
    int st = make_tmp(fig, file);
    if (st) { free_fig(fig); return st; }
  }
  int st = start_stream(fig, device, to_file, width, height);
  if (st) return st; /* start_stream freed fig */
  *out = fig;
  return GY_OK;
}

int gy_plot_alive(const gy_plot *fig) { return fig && fig->alive; }

void gy_plot_discard(gy_plot *fig) {
  if (!fig) return;
  if (fig->alive) {
    PLINT cur;
    plgstrm(&cur);
    jmp_buf jb;
    if (!setjmp(jb)) {
      gy_plot_arm_(&jb);
      plsstrm(fig->stream);
      plend1();
    }
    armed = NULL;
    if (cur != fig->stream) plsstrm(cur);
  }
  free_fig(fig);
}

int gy_plot_close(gy_plot *fig) {
  if (!fig) return GY_OK;
  if (!fig->alive) {
    free_fig(fig);
    return gy_err(GY_ELIB, "figure was broken by a PLplot error; nothing written");
  }
  PLINT cur;
  plgstrm(&cur);
  jmp_buf jb;
  if (setjmp(jb)) {
    fig->alive = 0;
    free_fig(fig);
    return gy_err(GY_ELIB, "PLplot fatal error writing the figure: %s", fatal_msg);
  }
  gy_plot_arm_(&jb);
  plsstrm(fig->stream);
  fig->errcode = 0;
  if (fig->raster) pl_cmd(PLESC_END_RASTERIZE, NULL);
  fig->raster = 0;
  plend1(); /* writes and closes the output file */
  armed = NULL;
  fig->alive = 0;
  if (cur != fig->stream) plsstrm(cur);
  int st = GY_OK;
  if (fig->errcode) st = gy_err(GY_ELIB, "PLplot error while writing: %s", fig->errmsg);
  if (!st && fig->tmp) {
    if (rename(fig->tmp, fig->file) != 0)
      st = gy_err(GY_EIO, "cannot move the figure to '%s': %s", fig->file, strerror(errno));
  }
  if (!st && fig->tmp) {
    free(fig->tmp); /* renamed: nothing left to remove */
    fig->tmp = NULL;
  }
  free_fig(fig);
  return st;
}

int gy_plot_page(gy_plot *fig, double *size) {
  if (!size) return gy_err(GY_EINVAL, "size is NULL");
  GY_PLOT_ENTER(fig);
  PLFLT xmin, xmax, ymin, ymax, def, ht;
  plgspa(&xmin, &xmax, &ymin, &ymax);
  plgchr(&def, &ht);
  size[0] = xmax - xmin;
  size[1] = ymax - ymin;
  size[2] = ht;
  return gy_plot_leave_(fig);
}

int gy_plot_font(gy_plot *fig, double scale) {
  if (!(scale > 0.05 && scale < 20)) return gy_err(GY_EINVAL, "font scale %g is outside (0.05, 20)", scale);
  GY_PLOT_ENTER(fig);
  plschr(fig->base_chr, scale);
  return gy_plot_leave_(fig);
}
