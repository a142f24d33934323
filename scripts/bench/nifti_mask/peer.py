"""nibabel + numpy side: X = nib.load("bold.nii").get_fdata()[mask].T, time x voxel."""
import os

import nibabel as nib
import numpy as np

import benchlib as b

nx, ny, nz, nt = 91, 109, 91, 300
V = nx * ny * nz
path = os.path.join(b.DIR, "bold.nii")

if not os.path.exists(path):
    # The shared input (gyrus makes the same bytes when it runs first); x fastest.
    v = np.arange(V, dtype=np.int64)
    data = np.empty((V, nt), dtype=np.float32)
    for t in range(nt):
        data[:, t] = ((7 * v + 13 * t) % 1000) / 10
    A = np.array([[-2, 0, 0, 90], [0, 2, 0, -126], [0, 0, 2, -72], [0, 0, 0, 1]], float)
    img = nib.Nifti1Image(data.reshape(nx, ny, nz, nt, order="F"), A)
    img.header.set_xyzt_units("mm", "sec")
    img.header["pixdim"][4] = 2
    nib.save(img, path + ".part.nii")
    os.rename(path + ".part.nii", path)
    del data, img

v = np.arange(V, dtype=np.int64)
mask = (((7 * v) % 1000) / 10 > 50).reshape(nx, ny, nz, order="F")

t0 = b.now()
img = nib.load(path)
X = img.get_fdata()[mask].T
t = b.now() - t0
b.report(t, b.sample(X))
