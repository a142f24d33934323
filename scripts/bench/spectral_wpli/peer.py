"""numpy side of benchmark (c): mne-connectivity's spectral_connectivity_epochs(method="wpli",
mode="multitaper") re-computed as its code runs it (mne_connectivity/spectral/epochs.py and
epochs_bivariate.py): per epoch MNE's tapered spectra, then the cross-spectra of the
connections in blocks of block_size=1000 and the wPLI sums; tapers and spectra from MNE."""
import numpy as np
from mne.time_frequency.multitaper import _csd_from_mt, _mt_spectra, dpss_windows

import benchlib as b

N_CH, SFREQ = 64, 500.0
X = b.load("X")
n_times = X.shape[0]
data = np.ascontiguousarray(X.T.reshape(-1, N_CH, n_times))  # epochs x channels x times

t0 = b.now()
n_epochs = data.shape[0]
freqs = np.fft.rfftfreq(n_times, 1.0 / SFREQ)
mask = (freqs >= 5.0 * SFREQ / n_times) & (freqs <= np.inf)
tapers, eig = dpss_windows(n_times, 4.0, 8, sym=False, low_bias=True)
weights = np.sqrt(eig)[:, np.newaxis]
seeds, targets = np.tril_indices(N_CH, -1)
n_cons, n_freqs = len(seeds), int(mask.sum())
acc_num = np.zeros((n_cons, n_freqs))
acc_den = np.zeros((n_cons, n_freqs))
block = 1000
for e in range(n_epochs):
    x_mt = _mt_spectra(data[e], tapers, SFREQ)[0][..., mask]
    for i in range(0, n_cons, block):
        s = slice(i, i + block)
        csd = _csd_from_mt(x_mt[seeds[s]], x_mt[targets[s]], weights, weights)
        im = csd.imag
        acc_num[s] += im
        acc_den[s] += np.abs(im)
num = np.abs(acc_num)
z = acc_den == 0
den = np.where(z, 1.0, acc_den)
con = np.where(z, 0.0, num / den)
t = b.now() - t0
b.report(t, b.sample(con))
