/* TRFs against the mTRF golden values of the encoding reference note (section 8.3: mTRFpy,
 * MATLAB-equivalent), and Haufe patterns by their defining identity W' A = I. */
#include "test.h"
#include "gyrus/encode_trf.h"
#include "gyrus/linalg.h"
#include "gyrus/rng.h"

#include <math.h>
#include <string.h>

#define AT(m, i, j) ((m)->data[(i) + (j) * (m)->ld])
enum { NT = 40 };

static int64_t wrap(int64_t t) { return ((t % NT) + NT) % NT; }

/* Trial s of the note: one stimulus feature, two response channels. */
static void trial(gy_mat *stim, gy_mat *resp, int s) {
  gy_mat_init(stim, NT, 1);
  gy_mat_init(resp, NT, 2);
  for (int t = 0; t < NT; t++) AT(stim, t, 0) = sin(0.3 * t + s);
  for (int t = 0; t < NT; t++) {
    AT(resp, t, 0) = 0.8 * AT(stim, wrap(t - 1), 0) + 0.1 * cos(0.7 * t * (s + 1));
    AT(resp, t, 1) = -0.5 * AT(stim, t, 0) + 0.2 * AT(stim, wrap(t - 2), 0) +
                     0.05 * ((t * (s + 2)) % 5);
  }
}

static void test_golden(void) {
  gy_mat st[3] = {{0}}, rs[3] = {{0}};
  for (int s = 0; s < 3; s++) trial(&st[s], &rs[s], s);
  CHECK_NEAR(AT(&rs[0], 0, 0), -0.509586867135, 1e-11);
  CHECK_NEAR(AT(&rs[2], 0, 1), -0.306573535422, 1e-11);
  const int64_t fwd[4] = {-1, 0, 1, 2}, bwd[4] = {-2, -1, 0, 1};
  static const double ridge[2][4] = {{9.469595117294, 12.373114850274, 13.375363405364, 13.173936724093},
                                     {-7.207417460544, -6.108159983425, -4.491727350804, -2.616790344837}};
  static const double tikh[2][4] = {{15.432704066365, 18.769341917951, 22.709068858056, 25.480520289046},
                                    {-14.269379480358, -10.835410071675, -6.350246432267, -3.122431018689}};
  static const double back[2][4] = {{14.797617462709, 15.582044866589, 15.19213201344, 12.636339639654},
                                    {-4.563770188126, -6.053102453063, -7.124100909316, -7.383747400528}};
  static const double matlab3[2][4] = {{11.533502781856, 17.281879637261, 19.257160931074, 19.521860394611},
                                       {-11.991006981549, -9.643359208029, -4.885936828474, -0.806553262182}};
  gy_mat W = {0}, b = {0};
  CHECK_OK(gy_encode_trf(&W, &b, &st[0], &rs[0], 1, fwd, 4, 0.5, 100, GY_TRF_RIDGE));
  for (int c = 0; c < 2; c++)
    for (int l = 0; l < 4; l++) CHECK_NEAR(AT(&W, l, c), ridge[c][l], 1e-10);
  CHECK_NEAR(b.data[0], 0.149760911196, 1e-10);
  CHECK_NEAR(b.data[b.ld], 10.007662081438, 1e-10);
  /* in-sample Pearson r of the prediction, channel 0 */
  gy_mat P = {0};
  CHECK_OK(gy_encode_trf_predict(&P, &st[0], &W, &b, fwd, 4, 100));
  double my = 0, mp = 0, sxy = 0, sxx = 0, syy = 0;
  for (int t = 0; t < NT; t++) my += AT(&rs[0], t, 0) / NT, mp += AT(&P, t, 0) / NT;
  for (int t = 0; t < NT; t++) {
    double a = AT(&rs[0], t, 0) - my, c = AT(&P, t, 0) - mp;
    sxy += a * c, sxx += a * a, syy += c * c;
  }
  CHECK_NEAR(sxy / sqrt(sxx * syy), 0.973374920122, 1e-10);
  gy_mat_clear(&P);
  gy_mat_clear(&W);
  gy_mat_clear(&b);
  CHECK_OK(gy_encode_trf(&W, &b, &st[0], &rs[0], 1, fwd, 4, 0.5, 100, GY_TRF_LAPLACIAN));
  for (int c = 0; c < 2; c++)
    for (int l = 0; l < 4; l++) CHECK_NEAR(AT(&W, l, c), tikh[c][l], 1e-10);
  gy_mat_clear(&W);
  gy_mat_clear(&b);
  /* backward: response channels -> stimulus over the negated lags; W row l*2 + ch */
  CHECK_OK(gy_encode_trf(&W, &b, &rs[0], &st[0], 1, bwd, 4, 0.5, 100, GY_TRF_RIDGE));
  CHECK(W.rows == 8 && W.cols == 1);
  for (int ch = 0; ch < 2; ch++)
    for (int l = 0; l < 4; l++) CHECK_NEAR(AT(&W, l * 2 + ch, 0), back[ch][l], 1e-10);
  gy_mat_clear(&W);
  gy_mat_clear(&b);
  /* three trials, covariances summed as MATLAB's mTRFtrain */
  CHECK_OK(gy_encode_trf(&W, &b, st, rs, 3, fwd, 4, 0.5, 100, GY_TRF_RIDGE));
  for (int c = 0; c < 2; c++)
    for (int l = 0; l < 4; l++) CHECK_NEAR(AT(&W, l, c), matlab3[c][l], 1e-10);
  gy_mat_clear(&W);
  gy_mat_clear(&b);
  /* bad input */
  CHECK_FAILS(gy_encode_trf(&W, &b, &st[0], &rs[1], 1, fwd, 4, -1, 100, 0), GY_EINVAL, "lambda");
  CHECK_FAILS(gy_encode_trf(&W, &b, &st[0], &rs[0], 1, fwd, 0, 1, 100, 0), GY_EINVAL, "lags");
  CHECK_FAILS(gy_encode_trf(&W, &b, &st[0], &rs[0], 1, fwd, 4, 1, 0, 0), GY_EINVAL, "sampling rate");
  gy_mat shortv = {0};
  gy_mat_view(&shortv, &rs[0], 0, 0, 30, 2);
  CHECK_FAILS(gy_encode_trf(&W, &b, &st[0], &shortv, 1, fwd, 4, 1, 100, 0), GY_EINVAL, "samples");
  AT(&st[1], 5, 0) = NAN;
  CHECK_FAILS(gy_encode_trf(&W, &b, st, rs, 2, fwd, 4, 1, 100, 0), GY_EINVAL, "non-finite");
  gy_mat dup = {0};
  gy_mat_init(&dup, NT, 2);
  for (int t = 0; t < NT; t++) AT(&dup, t, 0) = AT(&dup, t, 1) = AT(&st[0], t, 0);
  CHECK_FAILS(gy_encode_trf(&W, &b, &dup, &rs[0], 1, fwd, 1, 0, 100, 0), GY_ESINGULAR, "singular");
  CHECK(W.data == NULL && b.data == NULL);
  gy_mat_clear(&dup);
  for (int s = 0; s < 3; s++) gy_mat_clear(&st[s]), gy_mat_clear(&rs[s]);
}

static void test_haufe(void) {
  gy_rng r;
  gy_rng_seed(&r, 7);
  gy_mat X = {0}, W = {0}, A = {0}, WA = {0};
  gy_mat_init(&X, 200, 6);
  gy_mat_init(&W, 6, 2);
  gy_rng_fill_normal(&r, &X);
  gy_rng_fill_normal(&r, &W);
  for (int i = 0; i < 200; i++) AT(&X, i, 1) += 0.7 * AT(&X, i, 0) + 3; /* correlated, offset */
  CHECK_OK(gy_encode_haufe(&A, &X, &W));
  CHECK(A.rows == 6 && A.cols == 2);
  CHECK_OK(gy_linalg_matmul(&WA, &W, 1, &A, 0));
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 2; j++) CHECK_NEAR(AT(&WA, i, j), i == j, 1e-10);
  gy_mat_clear(&A);
  gy_mat Wb = {0};
  gy_mat_view(&Wb, &W, 0, 0, 5, 2);
  CHECK_FAILS(gy_encode_haufe(&A, &X, &Wb), GY_EINVAL, "rows");
  gy_mat_clear(&X);
  gy_mat_clear(&W);
  gy_mat_clear(&WA);
}

int main(void) {
  test_golden();
  test_haufe();
  return test_summary();
}
