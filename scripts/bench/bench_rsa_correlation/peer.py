"""numpy side: rsatoolbox's calc_rdm_correlation (rdm/calc.py) re-computed line by line:
centre each pattern, scale to unit norm, 1 - the einsum Gram matrix, upper triangle."""
import numpy as np

import benchlib as b


def calc_rdm_correlation(ma):
    ma = ma - ma.mean(axis=1, keepdims=True)
    ma /= np.sqrt(np.einsum("ij,ij->i", ma, ma))[:, None]
    rdm = 1 - np.einsum("ik,jk", ma, ma)
    return rdm[np.triu_indices(rdm.shape[0], 1)]  # util/rdm_utils._extract_triu_


X = b.load("X")
calc_rdm_correlation(np.random.default_rng(1).standard_normal((20, 50)))
t0 = b.now()
v = calc_rdm_correlation(X)
t = b.now() - t0
b.report(t, b.sample(v.reshape(-1, 1)))
