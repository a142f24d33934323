/* gyrus: the number of components (model order) of PCA/ICA from the covariance spectrum. */
#ifndef GYRUS_ICA_ORDER_H
#define GYRUS_ICA_ORDER_H

#include "mat.h"

/* MLE: Minka's Laplace approximation of the PPCA evidence, as sklearn's
 * PCA(n_components="mle") (_assess_dimension / _infer_dimension); the order maximises it.
 * MDL, AIC: Wax & Kailath's criteria on the eigenvalues for real data as GIFT's
 * icatb_estimate_dimension (without its i.i.d. subsampling); the order minimises them. */
enum gy_ica_order_method { GY_ICA_ORDER_MLE = 0, GY_ICA_ORDER_MDL = 1, GY_ICA_ORDER_AIC = 2 };

/* From a spectrum (p x 1 or 1 x p, the covariance eigenvalues in descending order) of data
 * with `samples` samples: *n and curve (p x 1, entry k the criterion for k components,
 * k = 0 .. p - 1; MLE's entry 0 is -inf as sklearn's). */
int gy_ica_order_spectrum(int64_t *n, gy_mat *curve, const gy_mat *spectrum, int64_t samples,
                          int method);

/* The same from data X (samples x channels, samples >= channels): the spectrum is sklearn
 * PCA's explained_variance_ (squared singular values of the centred X over samples - 1). */
int gy_ica_order(int64_t *n, gy_mat *curve, const gy_mat *X, int method);

#endif
