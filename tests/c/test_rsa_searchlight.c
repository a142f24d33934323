/* RSA searchlight: sphere sizes (rsatoolbox issue #450), truncation at the mask, and
 * per-centre results equal to the RDM and compare kernels run by hand. */
#include <stdlib.h>

#include "gyrus/rsa.h"
#include "gyrus/rsa_searchlight.h"
#include "test.h"

#define AT(m, i, j) ((m)->data[(i) + (j) * (m)->ld])

static double unif(unsigned long long *s) {
  *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
  return (double)(*s >> 11) / 9007199254740992.0 - 0.5;
}

static int64_t size_at(const gy_rsa_searchlight *p, int64_t mask_index) {
  gy_mat c = { 0 };
  int64_t n = -1;
  if (gy_rsa_searchlight_centres(&c, p)) return -2;
  for (int64_t k = 0; k < c.rows; k++)
    if ((int64_t)AT(&c, k, 0) == mask_index) n = (int64_t)AT(&c, k, 1);
  gy_mat_clear(&c);
  return n;
}

static void test_spheres(void) {
  gy_mat mask = { 0 };
  CHECK_OK(gy_mat_init(&mask, 125, 1));
  gy_mat_fill(&mask, 1);
  gy_rsa_searchlight *p = NULL;
  const int64_t mid = 2 + 5 * (2 + 5 * 2);
  CHECK_OK(gy_rsa_searchlight_plan(&p, &mask, 5, 5, 5, 2, GY_RSA_SPHERE_EXCLUSIVE, 1, 0));
  CHECK(gy_rsa_searchlight_count(p) == 125);
  CHECK(size_at(p, mid) == 27); /* strict < 2: the 3 x 3 x 3 cube */
  gy_rsa_searchlight_free(p);
  CHECK_OK(gy_rsa_searchlight_plan(&p, &mask, 5, 5, 5, 2, GY_RSA_SPHERE_INCLUSIVE, 1, 0));
  CHECK(size_at(p, mid) == 33);
  CHECK(size_at(p, 0) == 11); /* corner: 1 + 3 + 3 + 1 + 3 (d^2 = 0, 1, 2, 3, 4) */
  gy_mat sph = { 0 };
  CHECK_OK(gy_rsa_searchlight_sphere(&sph, p, 0));
  CHECK(sph.rows == 11 && sph.data[0] == 0 && sph.data[1] == 1 && sph.data[2] == 2);
  gy_mat_clear(&sph);
  gy_rsa_searchlight_free(p);
  /* radius 3 inclusive: 123 voxels (rsatoolbox's exclusive radius 3 has 93) */
  gy_mat big = { 0 };
  CHECK_OK(gy_mat_init(&big, 7 * 7 * 7, 1));
  gy_mat_fill(&big, 1);
  CHECK_OK(gy_rsa_searchlight_plan(&p, &big, 7, 7, 7, 3, GY_RSA_SPHERE_INCLUSIVE, 1, 0));
  CHECK(size_at(p, 3 + 7 * (3 + 7 * 3)) == 123);
  gy_rsa_searchlight_free(p);
  CHECK_OK(gy_rsa_searchlight_plan(&p, &big, 7, 7, 7, 3, GY_RSA_SPHERE_EXCLUSIVE, 1, 0));
  CHECK(size_at(p, 3 + 7 * (3 + 7 * 3)) == 93);
  gy_rsa_searchlight_free(p);
  gy_mat_clear(&big);

  /* Half the volume masked out: spheres truncate to the mask, and a threshold of 0.9
   * drops centres whose sphere lies partly outside it. */
  for (int64_t v = 0; v < 125; v++) mask.data[v] = (v % 5) < 3; /* x = 0, 1, 2 */
  CHECK_OK(gy_rsa_searchlight_plan(&p, &mask, 5, 5, 5, 1, GY_RSA_SPHERE_INCLUSIVE, 1, 0));
  CHECK(gy_rsa_searchlight_nmask(p) == 75 && gy_rsa_searchlight_count(p) == 75);
  CHECK(size_at(p, 2 * 25 + 2 * 5 + 2) == 6); /* x = 2 at the mask edge: 7 minus (3,2,2) */
  gy_rsa_searchlight_free(p);
  CHECK_OK(gy_rsa_searchlight_plan(&p, &mask, 5, 5, 5, 1, GY_RSA_SPHERE_INCLUSIVE, 7, 0));
  CHECK(gy_rsa_searchlight_count(p) == 1 * 3 * 3); /* only x = 1, interior y, z */
  gy_rsa_searchlight_free(p);
  CHECK_OK(gy_rsa_searchlight_plan(&p, &mask, 5, 5, 5, 1, GY_RSA_SPHERE_INCLUSIVE, 1, 0.9));
  CHECK(size_at(p, 2 * 25 + 2 * 5 + 2) == -1);
  CHECK(size_at(p, 1 * 25 + 2 * 5 + 2) == 7);
  gy_rsa_searchlight_free(p);

  CHECK_FAILS(gy_rsa_searchlight_plan(&p, &mask, 5, 5, 4, 1, 0, 1, 0), GY_EINVAL, "125 values");
  CHECK_FAILS(gy_rsa_searchlight_plan(&p, &mask, 5, 5, 5, -1, 0, 1, 0), GY_EINVAL, "radius");
  CHECK_FAILS(gy_rsa_searchlight_plan(&p, &mask, 5, 5, 5, 1, 0, 1, 2), GY_EINVAL, "threshold");
  gy_mat_fill(&mask, 0);
  CHECK_FAILS(gy_rsa_searchlight_plan(&p, &mask, 5, 5, 5, 1, 0, 1, 0), GY_EINVAL, "empty");
  CHECK(p == NULL);
  gy_mat_clear(&mask);
}

/* Runs the plan and checks every centre against gy_rsa_rdm / gy_rsa_crossnobis and
 * gy_rsa_compare on the gathered sphere. */
static void test_run(int crossnobis, int compare, int method, int ties) {
  const int64_t nx = 6, ny = 5, nz = 4, n = 6, reps = 3;
  gy_mat mask = { 0 };
  CHECK_OK(gy_mat_init(&mask, nx * ny * nz, 1));
  unsigned long long seed = 42;
  for (int64_t v = 0; v < nx * ny * nz; v++) mask.data[v] = unif(&seed) < 0.3;
  gy_rsa_searchlight *p = NULL;
  CHECK_OK(gy_rsa_searchlight_plan(&p, &mask, nx, ny, nz, 1.5, GY_RSA_SPHERE_INCLUSIVE, 3, 0));
  const int64_t V = gy_rsa_searchlight_nmask(p), nc = gy_rsa_searchlight_count(p);
  const int64_t N = crossnobis ? n * reps : n, K = n * (n - 1) / 2;
  gy_mat X = { 0 }, models = { 0 };
  CHECK_OK(gy_mat_init(&X, N, V));
  /* integer data give tied distances, which the ranks must average as scipy does */
  for (int64_t k = 0; k < N * V; k++) X.data[k] = ties ? floor(3 * unif(&seed)) : unif(&seed);
  CHECK_OK(gy_mat_init(&models, K, 2));
  for (int64_t k = 0; k < 2 * K; k++) models.data[k] = unif(&seed) + 1;
  int64_t cond[18], fold[18];
  for (int64_t i = 0; i < N; i++) {
    cond[i] = i % n;
    fold[i] = i / n;
  }
  gy_mat s1 = { 0 }, s3 = { 0 }, rdms = { 0 };
  const int64_t *f = crossnobis ? fold : NULL, *cd = crossnobis ? cond : NULL;
  if (ties) for (int64_t k = 0; k < K; k++) models.data[k] = floor(4 * models.data[k]);
  CHECK_OK(gy_rsa_searchlight_run(&s1, &rdms, p, &X, cd, n, f, reps, method,
                                  GY_RSA_CV_FOLDS, 1, 0.1, &models, compare, 1));
  CHECK_OK(gy_rsa_searchlight_run(&s3, NULL, p, &X, cd, n, f, reps, method,
                                  GY_RSA_CV_FOLDS, 1, 0.1, &models, compare, 3));
  CHECK(s1.rows == nc && s1.cols == 2 && rdms.rows == K && rdms.cols == nc);
  CHECK(memcmp(s1.data, s3.data, (size_t)(2 * nc) * sizeof(double)) == 0);
  double worst = 0, worst_rdm = 0;
  for (int64_t c = 0; c < nc; c++) {
    gy_mat sph = { 0 }, G = { 0 }, r = { 0 };
    CHECK_OK(gy_rsa_searchlight_sphere(&sph, p, c));
    CHECK_OK(gy_mat_init(&G, N, sph.rows));
    for (int64_t k = 0; k < sph.rows; k++)
      for (int64_t i = 0; i < N; i++) AT(&G, i, k) = AT(&X, i, (int64_t)sph.data[k]);
    if (crossnobis)
      CHECK_OK(gy_rsa_crossnobis(&r, &G, cond, n, fold, reps, NULL, GY_RSA_CV_FOLDS));
    else
      CHECK_OK(gy_rsa_rdm(&r, &G, method, NULL, 1, 0.1));
    for (int64_t k = 0; k < K; k++) {
      double d = fabs(r.data[k] - AT(&rdms, k, c));
      if (d > worst_rdm) worst_rdm = d;
    }
    for (int m = 0; m < 2; m++) {
      gy_mat mv = { models.data + m * K, K, 1, K, 0, 0 };
      double v;
      CHECK_OK(gy_rsa_compare(&v, &r, &mv, compare, NULL));
      double d = fabs(v - AT(&s1, c, m));
      if (d > worst) worst = d;
    }
    gy_mat_clear(&sph);
    gy_mat_clear(&G);
    gy_mat_clear(&r);
  }
  CHECK(worst < 1e-12);
  CHECK(worst_rdm == 0);
  gy_mat_clear(&s1);
  gy_mat_clear(&s3);
  gy_mat_clear(&rdms);
  /* errors leave the outputs empty */
  gy_mat bad = { 0 };
  CHECK_OK(gy_mat_init(&bad, N, V + 1));
  CHECK_FAILS(gy_rsa_searchlight_run(&s1, NULL, p, &bad, cd, n, f, reps, GY_RSA_CORRELATION,
                                     0, 1, 0.1, &models, compare, 1), GY_EINVAL, "columns");
  CHECK(s1.data == NULL);
  gy_mat_clear(&bad);
  gy_mat short_models = { models.data, K - 1, 1, K, 0, 0 };
  CHECK_FAILS(gy_rsa_searchlight_run(&s1, NULL, p, &X, cd, n, f, reps, GY_RSA_CORRELATION,
                                     0, 1, 0.1, &short_models, compare, 1), GY_EINVAL, "distances");
  CHECK_FAILS(gy_rsa_searchlight_run(&s1, NULL, p, &X, NULL, n, NULL, 0, GY_RSA_MAHALANOBIS,
                                     0, 1, 0.1, &models, compare, 1), GY_EINVAL, "method");
  CHECK_FAILS(gy_rsa_searchlight_run(&s1, NULL, p, &X, cd, n, f, reps, GY_RSA_CORRELATION,
                                     0, 1, 0.1, NULL, compare, 1), GY_EINVAL, "nothing");
  gy_interrupt(1);
  CHECK_FAILS(gy_rsa_searchlight_run(&s1, NULL, p, &X, cd, n, f, reps, GY_RSA_CORRELATION,
                                     0, 1, 0.1, &models, compare, 2), GY_EINTR, "interrupted");
  gy_interrupt(0);
  CHECK(s1.data == NULL);
  gy_mat_clear(&X);
  gy_mat_clear(&models);
  gy_mat_clear(&mask);
  gy_rsa_searchlight_free(p);
}

/* Per-sphere noise: each sphere's RDM is gy_rsa_noise of its residuals, then the crossnobis
 * or Mahalanobis kernel with that precision; a sphere whose residuals cannot give one names
 * its centre and leaves the outputs empty. */
static void test_noise(int crossnobis) {
  const int64_t nx = 5, ny = 4, nz = 4, n = 5, reps = 3, NR = 12;
  gy_mat mask = { 0 };
  CHECK_OK(gy_mat_init(&mask, nx * ny * nz, 1));
  unsigned long long seed = 7;
  for (int64_t v = 0; v < nx * ny * nz; v++) mask.data[v] = unif(&seed) < 0.2;
  gy_rsa_searchlight *p = NULL;
  CHECK_OK(gy_rsa_searchlight_plan(&p, &mask, nx, ny, nz, 1.5, GY_RSA_SPHERE_INCLUSIVE, 2, 0));
  const int64_t V = gy_rsa_searchlight_nmask(p), nc = gy_rsa_searchlight_count(p);
  const int64_t N = n * reps, K = n * (n - 1) / 2;
  gy_mat X = { 0 }, R = { 0 }, models = { 0 };
  CHECK_OK(gy_mat_init(&X, N, V));
  CHECK_OK(gy_mat_init(&R, NR, V));
  CHECK_OK(gy_mat_init(&models, K, 1));
  for (int64_t k = 0; k < N * V; k++) X.data[k] = unif(&seed);
  for (int64_t i = 0; i < NR; i++) {
    const double f = unif(&seed);
    for (int64_t j = 0; j < V; j++) AT(&R, i, j) = unif(&seed) + f * (1 + 0.1 * (double)j);
  }
  for (int64_t k = 0; k < K; k++) models.data[k] = unif(&seed);
  int64_t cond[15], fold[15];
  for (int64_t i = 0; i < N; i++) {
    cond[i] = i % n;
    fold[i] = i / n;
  }
  const int64_t *f = crossnobis ? fold : NULL;
  gy_mat s1 = { 0 }, s2 = { 0 }, rdms = { 0 };
  CHECK_OK(gy_rsa_searchlight_run_noise(&s1, &rdms, p, &X, cond, n, f, reps, GY_RSA_EUCLIDEAN,
                                        GY_RSA_CV_FOLDS, &R, GY_RSA_NOISE_SHRINKAGE_DIAG, 0,
                                        &models, GY_RSA_CORR, 1));
  CHECK_OK(gy_rsa_searchlight_run_noise(&s2, NULL, p, &X, cond, n, f, reps, GY_RSA_EUCLIDEAN,
                                        GY_RSA_CV_FOLDS, &R, GY_RSA_NOISE_SHRINKAGE_DIAG, 0,
                                        &models, GY_RSA_CORR, 3));
  CHECK(s1.rows == nc && rdms.cols == nc);
  CHECK(memcmp(s1.data, s2.data, (size_t)nc * sizeof(double)) == 0);
  double worst = 0;
  for (int64_t c = 0; c < nc; c++) {
    gy_mat sph = { 0 }, G = { 0 }, Rs = { 0 }, L = { 0 }, r = { 0 }, B = { 0 };
    CHECK_OK(gy_rsa_searchlight_sphere(&sph, p, c));
    CHECK_OK(gy_mat_init(&G, N, sph.rows));
    CHECK_OK(gy_mat_init(&Rs, NR, sph.rows));
    for (int64_t k = 0; k < sph.rows; k++) {
      for (int64_t i = 0; i < N; i++) AT(&G, i, k) = AT(&X, i, (int64_t)sph.data[k]);
      for (int64_t i = 0; i < NR; i++) AT(&Rs, i, k) = AT(&R, i, (int64_t)sph.data[k]);
    }
    CHECK_OK(gy_rsa_noise(&L, &Rs, GY_RSA_NOISE_SHRINKAGE_DIAG, 0, 1, NULL));
    for (int64_t j = 0; j < L.cols; j++)
      for (int64_t i = j + 1; i < L.rows; i++)
        AT(&L, i, j) = AT(&L, j, i) = 0.5 * (AT(&L, i, j) + AT(&L, j, i));
    if (crossnobis) {
      CHECK_OK(gy_rsa_crossnobis(&r, &G, cond, n, fold, reps, &L, GY_RSA_CV_FOLDS));
    } else {
      CHECK_OK(gy_rsa_average(&B, &G, cond, n));
      CHECK_OK(gy_rsa_rdm(&r, &B, GY_RSA_MAHALANOBIS, &L, 0, 0));
    }
    for (int64_t k = 0; k < K; k++) {
      const double d = fabs(r.data[k] - AT(&rdms, k, c)) / fmax(1, fabs(r.data[k]));
      if (d > worst) worst = d;
    }
    gy_mat_clear(&sph);
    gy_mat_clear(&G);
    gy_mat_clear(&Rs);
    gy_mat_clear(&L);
    gy_mat_clear(&r);
    gy_mat_clear(&B);
  }
  CHECK(worst < 1e-12);
  gy_mat_clear(&s1);
  gy_mat_clear(&s2);
  gy_mat_clear(&rdms);
  /* a voxel without residual variance: the error names the first sphere holding it */
  for (int64_t i = 0; i < NR; i++) AT(&R, i, 0) = 1;
  CHECK_FAILS(gy_rsa_searchlight_run_noise(&s1, &rdms, p, &X, cond, n, f, reps, 0, 0, &R,
                                           GY_RSA_NOISE_SHRINKAGE_DIAG, 0, &models,
                                           GY_RSA_CORR, 2), GY_EINVAL, "the sphere of mask voxel");
  CHECK(s1.data == NULL && rdms.data == NULL);
  gy_mat narrow = { R.data, NR, V - 1, NR, 0, 0 }, one = { R.data, 1, V, 1, 0, 0 };
  CHECK_FAILS(gy_rsa_searchlight_run_noise(&s1, NULL, p, &X, cond, n, f, reps, 0, 0, &narrow,
                                           0, 0, &models, GY_RSA_CORR, 1), GY_EINVAL, "columns");
  CHECK_FAILS(gy_rsa_searchlight_run_noise(&s1, NULL, p, &X, cond, n, f, reps, 0, 0, &one,
                                           0, 0, &models, GY_RSA_CORR, 1), GY_EINVAL, "two rows");
  CHECK_FAILS(gy_rsa_searchlight_run_noise(&s1, NULL, p, &X, cond, n, f, reps, 0, 0, &R,
                                           9, 0, &models, GY_RSA_CORR, 1), GY_EINVAL, "noise method");
  CHECK_FAILS(gy_rsa_searchlight_run_noise(&s1, NULL, p, &X, cond, n, f, reps, 0, 0, NULL,
                                           0, 0, &models, GY_RSA_CORR, 1), GY_EINVAL, "residuals");
  CHECK(s1.data == NULL);
  gy_mat_clear(&X);
  gy_mat_clear(&R);
  gy_mat_clear(&models);
  gy_mat_clear(&mask);
  gy_rsa_searchlight_free(p);
}

int main(void) {
  test_noise(1);
  test_noise(0);
  test_spheres();
  test_run(0, GY_RSA_SPEARMAN, GY_RSA_CORRELATION, 0);
  test_run(0, GY_RSA_CORR, GY_RSA_CORRELATION, 0);
  test_run(0, GY_RSA_SPEARMAN, GY_RSA_EUCLIDEAN, 1);
  test_run(1, GY_RSA_SPEARMAN, GY_RSA_CORRELATION, 0);
  test_run(1, GY_RSA_TAU_A, GY_RSA_CORRELATION, 0);
  printf("%d passed, %d failed\n", test_passed_, test_failed_);
  return test_failed_ != 0;
}
