"""sklearn side: spatial ICA of synthetic fMRI-like data (see bench.conf); sklearn's
default whiten_solver ("svd"), as nilearn's CanICA and most users call it, and "eigh"
timed separately on stdout for the record."""
import warnings

import numpy as np
from scipy.special import erfc
from sklearn.decomposition import FastICA

import benchlib as b

M, TC, N, W = b.load("M"), b.load("TC"), b.load("N"), b.load("W")
v = -np.log(erfc(np.abs(M) / np.sqrt(2)))
M = np.where(M < 0, -v, v)
X = M @ TC.T + 0.5 * N
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    FastICA(n_components=4, whiten="unit-variance", random_state=0).fit(
        np.random.default_rng(1).standard_normal((200, 4)))
    ica = FastICA(n_components=20, whiten="unit-variance", w_init=W, max_iter=200, tol=1e-4)
    t0 = b.now()
    src = ica.fit_transform(X)
    t = b.now() - t0
b.report(t, b.sample(src))
print("n_iter %d" % ica.n_iter_)
