"""sklearn side: FastICA of mixed Laplace sources (see bench.conf), whiten_solver="eigh"
(sklearn's faster choice when samples >> channels). ../ica_picard/peer.py runs this file
with GY_ICA_NO_CHECK=1 (no check value: the gyrus side runs another algorithm)."""
import os
import warnings

import numpy as np
from scipy.special import erfc
from sklearn.decomposition import FastICA

import benchlib as b

S, A, W = b.load("S"), b.load("A"), b.load("W")
v = -np.log(erfc(np.abs(S) / np.sqrt(2)))
S = np.where(S < 0, -v, v)
X = S @ A.T
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    FastICA(n_components=4, whiten="unit-variance", random_state=0).fit(
        np.random.default_rng(1).standard_normal((200, 4)))
    ica = FastICA(n_components=64, whiten="unit-variance", w_init=W, whiten_solver="eigh",
                  max_iter=200, tol=1e-4)
    t0 = b.now()
    src = ica.fit_transform(X)
    t = b.now() - t0


def amari(P):
    P = np.abs(P)
    n = P.shape[0]
    return ((P.sum(1) / P.max(1) - 1).sum() + (P.sum(0) / P.max(0) - 1).sum()) / (2 * n * (n - 1))


b.report(t, None if os.environ.get("GY_ICA_NO_CHECK") else b.sample(src))
print("amari %.3e\nn_iter %d" % (amari(ica.components_ @ A), ica.n_iter_))
