/* Reading input lines. On a terminal: GNU readline through its callback interface, so the
 * wait for a key is our own pselect(), which a Ctrl-C interrupts cleanly (no longjmp out of
 * readline; CPython's readline module works the same way). Otherwise: plain lines. */
#include "host.h"

#include <readline/history.h>
#include <readline/readline.h>

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

static int use_readline;
static char *got_line;
static int got_eof, line_done;

/* Plain-line buffer, kept between calls. */
static char *plain_buf;
static size_t plain_cap;

static void on_line(char *line) {
  if (line == NULL) got_eof = 1;
  got_line = line;
  line_done = 1;
  /* Removing the handler here keeps readline from printing the next prompt itself. */
  rl_callback_handler_remove();
}

void input_init(lua_State *L, int tty) {
  use_readline = tty;
  if (!tty) return;
  /* Multibyte input (UTF-8 in strings) needs the character type of the locale; numbers
   * keep the C locale so tostring(1.5) stays "1.5". */
  setlocale(LC_CTYPE, "");
  rl_readline_name = "gyrus";
  /* Ctrl-C is ours (signals.c); readline must not install its own handlers. */
  rl_catch_signals = 0;
  rl_catch_sigwinch = 0;
  complete_init(L);
}

int input_is_tty(void) { return use_readline; }

/* Drops the half-typed line and leaves readline as if it had never started. */
static enum input_result interrupted(void) {
  FILE *out = rl_outstream ? rl_outstream : stdout;
  sig_clear();
  rl_free_line_state();
  rl_callback_sigcleanup();
  rl_cleanup_after_signal();
  rl_callback_handler_remove();
  fputs("^C\n", out);
  fflush(out);
  return INPUT_INTERRUPT;
}

static enum input_result read_tty(const char *prompt, char **line) {
  got_line = NULL;
  got_eof = 0;
  line_done = 0;
  sig_clear();
  /* Ctrl-C is blocked except inside pselect, so a press just before the wait still ends
   * it (checked first) and one during it interrupts it. */
  sigset_t block, orig;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGWINCH);
  sigprocmask(SIG_BLOCK, &block, &orig);
  rl_callback_handler_install(prompt, on_line);
  enum input_result res = INPUT_LINE;
  while (!line_done) {
    if (sig_take_winch()) rl_resize_terminal();
    if (sig_pending()) {
      res = interrupted();
      break;
    }
    int fd = fileno(rl_instream ? rl_instream : stdin);
    fd_set fds;
    FD_ZERO(&fds);
    FD_SET(fd, &fds);
    int r = pselect(fd + 1, &fds, NULL, NULL, NULL, &orig);
    if (r < 0) {
      if (errno == EINTR) continue;
      rl_callback_handler_remove();
      res = INPUT_EOF;
      break;
    }
    sigprocmask(SIG_SETMASK, &orig, NULL);
    rl_callback_read_char();
    sigprocmask(SIG_BLOCK, &block, NULL);
  }
  sigprocmask(SIG_SETMASK, &orig, NULL);
  if (res != INPUT_LINE) return res;
  if (got_eof) {
    fputs("\n", rl_outstream ? rl_outstream : stdout);
    return INPUT_EOF;
  }
  *line = got_line;
  return INPUT_LINE;
}

static enum input_result read_plain(char **line) {
  for (;;) {
    errno = 0;
    ssize_t n = getline(&plain_buf, &plain_cap, stdin);
    if (n < 0) {
      if (ferror(stdin) && errno == EINTR) {
        clearerr(stdin);
        continue;
      }
      return INPUT_EOF;
    }
    while (n > 0 && (plain_buf[n - 1] == '\n' || plain_buf[n - 1] == '\r')) plain_buf[--n] = '\0';
    *line = strdup(plain_buf);
    return *line ? INPUT_LINE : INPUT_EOF;
  }
}

enum input_result input_read(const char *prompt, char **line) {
  *line = NULL;
  fflush(stdout);
  return use_readline ? read_tty(prompt, line) : read_plain(line);
}

void input_done(void) {
  free(plain_buf);
  plain_buf = NULL;
  plain_cap = 0;
  if (use_readline) rl_callback_handler_remove();
}
