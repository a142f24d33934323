/* .npy/.npz: numpy-written fixtures, round trips of every dtype, corrupt files. */
#include "test.h"

#include "gyrus/io_npy.h"

#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

#define AT(m, i, j) ((m)->data[(i) + (j) * (m)->ld])

static const char *fx(const char *name) {
  static char buf[1024];
  snprintf(buf, sizeof buf, "%s/tests/fixtures/io/%s", GY_SOURCE_DIR, name);
  return buf;
}

/* The fixtures hold base = arange(12).reshape(3, 4) scaled per dtype. */
static void check_dtype_files(void) {
  const char *codes[] = {"b1", "i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8", "f2", "f4", "f8"};
  for (size_t c = 0; c < sizeof codes / sizeof codes[0]; c++) {
    for (int order = 0; order < 2; order++) {
      for (int e = 0; e < 2; e++) {
        char name[64];
        int onebyte = codes[c][1] == '1';
        if (onebyte && e == 1) continue;
        snprintf(name, sizeof name, "npy/%s_%s_%s.npy", codes[c], order ? "F" : "C",
                 onebyte ? "na" : e ? "be" : "le");
        gy_mat m = {0};
        gy_array_info info;
        CHECK_OK(gy_npy_read(&m, &info, fx(name)));
        CHECK(m.rows == 3 && m.cols == 4 && info.ndim == 2);
        CHECK(info.fortran == order);
        for (int64_t i = 0; i < m.rows; i++) {
          for (int64_t j = 0; j < m.cols; j++) {
            double b = (double)(i * 4 + j), want;
            switch (c) {
            case 0: want = ((int)b % 3) == 0; break;
            case 1: want = b * 10 - 60; break;
            case 2: want = b * 20; break;
            case 3: want = b * 3000 - 16000; break;
            case 4: want = b * 5000; break;
            case 5: want = b * 300000000 - 1800000000; break;
            case 6: want = b * 390000000; break;
            case 7: want = b * 576460752303423488.0 - 4611686018427387904.0; break;
            case 8: want = b * 1152921504606846976.0; break;
            case 9: want = b * 0.125 - 0.7; break;
            case 10: want = (double)(float)(b * 1.1e7 - 3.3e-3); break;
            default: want = b * 3.141592653589793 - (b == 5 ? 1e300 : 0); break;
            }
            double tol = c == 9 ? 1e-3 : 1e-15;
            CHECK_NEAR(AT(&m, i, j), want, tol);
          }
        }
        gy_mat_clear(&m);
      }
    }
  }
}

static void check_shapes(void) {
  gy_mat m = {0};
  gy_array_info info;
  /* nd_c and nd_f are the same (2, 3, 4) array: a.reshape(2, -1). */
  for (int f = 0; f < 2; f++) {
    CHECK_OK(gy_npy_read(&m, &info, fx(f ? "npy/nd_f.npy" : "npy/nd_c.npy")));
    CHECK(m.rows == 2 && m.cols == 12 && info.ndim == 3 && info.shape[2] == 4);
    for (int64_t i = 0; i < 2; i++)
      for (int64_t j = 0; j < 12; j++) CHECK_NEAR(AT(&m, i, j), (i * 12 + j) * 1.5 - 7, 0);
    gy_mat_clear(&m);
  }
  CHECK_OK(gy_npy_read(&m, &info, fx("npy/scalar.npy")));
  CHECK(m.rows == 1 && m.cols == 1 && info.ndim == 0 && m.data[0] == 2.5);
  gy_mat_clear(&m);
  CHECK_OK(gy_npy_read(&m, &info, fx("npy/empty.npy")));
  CHECK(m.rows == 0 && m.cols == 3);
  gy_mat_clear(&m);
  CHECK_OK(gy_npy_read(&m, &info, fx("npy/vec.npy")));
  CHECK(m.rows == 5 && m.cols == 1 && info.ndim == 1);
  gy_mat_clear(&m);
}

static void check_bad_files(void) {
  struct { const char *name; int status; const char *part; } bad[] = {
    {"bad/truncated.npy", GY_EFORMAT, "holds"},
    {"bad/truncated_header.npy", GY_EFORMAT, "truncated"},
    {"bad/magic.npy", GY_EFORMAT, "magic"},
    {"bad/empty.npy", GY_EFORMAT, "too short"},
    {"bad/extra.npy", GY_EFORMAT, "holds"},
    {"bad/huge.npy", GY_EFORMAT, "absurd"},
    {"bad/huge_dim.npy", GY_EFORMAT, "absurd"},
    {"bad/voxels_2e40.npy", GY_EFORMAT, "holds"},
    {"bad/mismatch.npy", GY_EFORMAT, "holds"},
    {"bad/complex.npy", GY_EUNSUPPORTED, "complex"},
    {"bad/object.npy", GY_EUNSUPPORTED, "object"},
    {"bad/structured.npy", GY_EUNSUPPORTED, "structured"},
    {"bad/string.npy", GY_EUNSUPPORTED, "not supported"},
    {"bad/version9.npy", GY_EUNSUPPORTED, "version"},
    {"bad/nokey.npy", GY_EFORMAT, "fortran_order"},
    {"bad/badkey.npy", GY_EFORMAT, "unknown key"},
    {"bad/badshape.npy", GY_EFORMAT, "shape"},
    {"bad/longheader.npy", GY_EFORMAT, "header"},
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    gy_mat m = {0};
    CHECK_FAILS(gy_npy_read(&m, NULL, fx(bad[k].name)), bad[k].status, bad[k].part);
    CHECK(m.data == NULL);
  }
  gy_mat m = {0};
  CHECK_FAILS(gy_npy_read(&m, NULL, "/nonexistent/x.npy"), GY_EIO, "cannot open");
  gy_npz *z = NULL;
  CHECK_FAILS(gy_npz_open(&z, fx("bad/notzip.npz")), GY_EFORMAT, "zip");
  CHECK(z == NULL);
  int st = gy_npz_open(&z, fx("bad/truncated.npz"));
  if (st == 0) { /* the directory may survive; the members must not read */
    CHECK(0);
    gy_npz_close(z);
  }
  CHECK_OK(gy_npz_open(&z, fx("bad/crc.npz")));
  if (z) {
    CHECK_FAILS(gy_npz_read(&m, NULL, z, 0), GY_EFORMAT, "CRC");
    CHECK(m.data == NULL);
    gy_npz_close(z);
  }
}

static void check_npz(void) {
  const char *files[] = {"npy/arrays.npz", "npy/compressed.npz"};
  for (int f = 0; f < 2; f++) {
    gy_npz *z = NULL;
    CHECK_OK(gy_npz_open(&z, fx(files[f])));
    if (!z) continue;
    CHECK(gy_npz_count(z) == (f ? 4 : 3));
    CHECK(strcmp(gy_npz_name(z, 0), "a") == 0);
    CHECK(gy_npz_name(z, 99) == NULL);
    for (int64_t k = 0; k < gy_npz_count(z); k++) {
      gy_mat m = {0};
      gy_array_info info;
      CHECK_OK(gy_npz_read(&m, &info, z, k));
      const char *name = gy_npz_name(z, k);
      if (strcmp(name, "b") == 0) CHECK(m.rows == 3 && m.data[2] == 3 && info.big_endian);
      if (strcmp(name, "c") == 0) CHECK(m.rows == 3 && m.cols == 4 && AT(&m, 2, 3) == 11);
      if (strcmp(name, "a") == 0) CHECK(AT(&m, 1, 2) == 5);
      gy_mat_clear(&m);
    }
    gy_npz_close(z);
  }
}

static void check_roundtrip(void) {
  gy_mat X = {0};
  CHECK_OK(gy_mat_init(&X, 3, 4));
  for (int64_t k = 0; k < 12; k++) X.data[k] = (double)(k % 7) - 2;
  const char *path = "io_npy_roundtrip.npy";
  for (int dt = GY_DTYPE_BOOL; dt <= GY_DTYPE_FLOAT64; dt++) {
    int unsigned_or_bool = dt == GY_DTYPE_BOOL || (dt >= GY_DTYPE_UINT8 && dt <= GY_DTYPE_UINT64);
    if (unsigned_or_bool) {
      CHECK_FAILS(gy_npy_write(path, &X, NULL, 0, dt), GY_EINVAL, "does not fit");
      continue;
    }
    CHECK_OK(gy_npy_write(path, &X, NULL, 0, dt));
    gy_mat Y = {0};
    gy_array_info info;
    CHECK_OK(gy_npy_read(&Y, &info, path));
    CHECK(info.dtype == dt && Y.rows == 3 && Y.cols == 4);
    for (int64_t k = 0; k < 12 && Y.data; k++) CHECK(Y.data[k] == X.data[k]);
    gy_mat_clear(&Y);
  }
  /* N-D: a (3, 2, 2) array is the 3 x 4 matrix. */
  int64_t shape[3] = {3, 2, 2};
  CHECK_OK(gy_npy_write(path, &X, shape, 3, GY_DTYPE_NONE));
  gy_mat Y = {0};
  gy_array_info info;
  CHECK_OK(gy_npy_read(&Y, &info, path));
  CHECK(info.ndim == 3 && info.shape[1] == 2 && Y.rows == 3 && Y.cols == 4);
  for (int64_t k = 0; k < 12 && Y.data; k++) CHECK(Y.data[k] == X.data[k]);
  gy_mat_clear(&Y);
  int64_t wrong[2] = {4, 3};
  CHECK_FAILS(gy_npy_write(path, &X, wrong, 2, GY_DTYPE_NONE), GY_EINVAL, "cannot be written");
  /* float16 rounds to nearest even and keeps specials. */
  gy_mat H = {0};
  CHECK_OK(gy_mat_init(&H, 6, 1));
  double hv[6] = {1.0 / 3, 65504, 1e6, -4.0e-8, 0.0 / 0.0, 2049};
  memcpy(H.data, hv, sizeof hv);
  CHECK_OK(gy_npy_write(path, &H, NULL, 0, GY_DTYPE_FLOAT16));
  CHECK_OK(gy_npy_read(&Y, NULL, path));
  if (Y.data) {
    CHECK_NEAR(Y.data[0], 0.333251953125, 0);
    CHECK(Y.data[1] == 65504 && isinf(Y.data[2]) && isnan(Y.data[4]));
    CHECK_NEAR(Y.data[3], -5.960464477539063e-08, 0);
    CHECK(Y.data[5] == 2048);
  }
  gy_mat_clear(&Y);
  gy_mat_clear(&H);
  /* A failed write leaves the old file and no temporary behind. */
  CHECK_OK(gy_npy_write(path, &X, NULL, 0, GY_DTYPE_NONE));
  X.data[0] = 0.5;
  CHECK_FAILS(gy_npy_write(path, &X, NULL, 0, GY_DTYPE_INT32), GY_EINVAL, "does not fit");
  CHECK_OK(gy_npy_read(&Y, NULL, path));
  CHECK(Y.data && Y.data[0] == -2);
  gy_mat_clear(&Y);
  int temps = 0;
  DIR *d = opendir(".");
  struct dirent *de;
  while (d && (de = readdir(d)))
    if (strncmp(de->d_name, "io_npy_roundtrip.npy.tmp", 24) == 0) temps++;
  if (d) closedir(d);
  CHECK(temps == 0);
  unlink(path);
  /* .npz of two matrices, stored and compressed. */
  const char *names[2] = {"x", "long_name"};
  const gy_mat *mats[2] = {&X, &X};
  for (int c = 0; c < 2; c++) {
    CHECK_OK(gy_npz_write("io_npz_roundtrip.npz", names, mats, 2, c));
    gy_npz *z = NULL;
    CHECK_OK(gy_npz_open(&z, "io_npz_roundtrip.npz"));
    if (!z) continue;
    CHECK(gy_npz_count(z) == 2 && strcmp(gy_npz_name(z, 1), "long_name") == 0);
    CHECK_OK(gy_npz_read(&Y, NULL, z, 1));
    for (int64_t k = 0; k < 12 && Y.data; k++) CHECK(Y.data[k] == X.data[k]);
    gy_mat_clear(&Y);
    gy_npz_close(z);
  }
  const char *dup[2] = {"x", "x"};
  CHECK_FAILS(gy_npz_write("io_npz_roundtrip.npz", dup, mats, 2, 0), GY_EINVAL, "twice");
  unlink("io_npz_roundtrip.npz");
  gy_mat_clear(&X);
}

/* Every prefix of a good file must fail cleanly (the fuzzers go further). */
static void check_prefixes(void) {
  FILE *fp = fopen(fx("npy/nd4_f_i2be.npy"), "rb");
  CHECK(fp != NULL);
  if (!fp) return;
  unsigned char buf[4096];
  size_t n = fread(buf, 1, sizeof buf, fp);
  fclose(fp);
  int bad = 0;
  for (size_t k = 0; k < n; k++) {
    gy_mat m = {0};
    if (gy_npy_parse(&m, NULL, buf, k) == 0) bad++;
    gy_mat_clear(&m);
  }
  CHECK(bad == 0);
  gy_mat m = {0};
  CHECK_OK(gy_npy_parse(&m, NULL, buf, n));
  gy_mat_clear(&m);
}

int main(void) {
  check_dtype_files();
  check_shapes();
  check_bad_files();
  check_npz();
  check_roundtrip();
  check_prefixes();
  return test_summary();
}
