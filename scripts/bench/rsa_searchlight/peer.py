"""numpy side: rsatoolbox's searchlight formulas per centre: neighbours with distance
strictly below the radius (util/searchlight.py, here inside the volume and the full mask),
calc_rdm_correlation (rdm/calc.py) on each sphere, then compare_spearman (rdm/compare.py:
Pearson correlation of scipy rankdata ranks) against the model. The neighbour lists are
built before the clock starts; rsatoolbox's own Dataset/RDMs object overhead is left out."""
import sys

import numpy as np
from scipy.stats import rankdata

import benchlib as b


def calc_rdm_correlation(ma):
    ma = ma - ma.mean(axis=1, keepdims=True)
    ma /= np.sqrt(np.einsum("ij,ij->i", ma, ma))[:, None]
    rdm = 1 - np.einsum("ik,jk", ma, ma)
    return rdm[np.triu_indices(rdm.shape[0], 1)]


def compare_spearman(a, b):
    a, b = rankdata(a), rankdata(b)
    a, b = a - a.mean(), b - b.mean()
    return a @ b / np.sqrt((a @ a) * (b @ b))


def neighbours(shape, radius):
    r = int(np.ceil(radius))
    d = np.arange(-r, r + 1)
    off = np.array(np.meshgrid(d, d, d, indexing="ij")).reshape(3, -1).T
    off = off[(off ** 2).sum(axis=1) < radius ** 2]
    coords = np.array(np.unravel_index(np.arange(np.prod(shape)), shape)).T  # C order
    out = []
    for c in coords:
        nb = c + off
        ok = np.all((nb >= 0) & (nb < shape), axis=1)
        out.append(np.ravel_multi_index(nb[ok].T, shape))
    return out


X, M = b.load("X"), b.load("M")[:, 0]
nb = neighbours((50, 40, 25), 3)
t0 = b.now()
scores = np.empty((X.shape[1], 1))
for i, idx in enumerate(nb):
    scores[i, 0] = compare_spearman(calc_rdm_correlation(X[:, idx]), M)
t = b.now() - t0
b.report(t, b.sample(scores))
