-- Help texts of gy.image (lua/gyrus/image.lua).
return {
["gy.image.read"] = [[
gy.image.read(path [, opts]) -> image
Reads a NIfTI-1 or NIfTI-2 image (.nii or .nii.gz) through nifticlib, as gy.read does for
those extensions. The image is a table: data (voxels x volumes matrix, x fastest as
nibabel's Fortran-order get_fdata(), scaled by scl_slope and scl_inter as nibabel does),
shape {nx, ny, nz [, nt]}, affine (4 x 4, voxel indices from 0 to world mm: the sform
when sform_code > 0, else the qform, else nibabel's base affine, i.e. img.affine),
qform, sform, qform_code, sform_code, pixdim, voxel_size, tr (pixdim[4]), xyz_units,
time_units, datatype, scl_slope, scl_inter, intent {code, p1, p2, p3, name}, description,
version, extensions ({{code = NIfTI ecode, data = bytes as a string}, ...}, trailing NUL
padding removed as nibabel's get_content() gives them; gy.image.write writes them back).
Complex images (complex64, complex128) give data = the real part and imag = the imaginary
part (numpy's z.real, z.imag of np.asanyarray(img.dataobj), scaled as slope * z + inter);
RGB24 images give data = voxels x (3 * volumes), the red, green and blue values (0..255,
unscaled) of volume t in columns 3t-2, 3t-1, 3t. Neither can be written back or masked
while reading (gy.image.mask on the file name); mask img.data instead. Methods: img:volume(t) (a column view), img:get(i, j, k [, t]) (1-based),
img:nvox(). Options: header_only = false (true: no data are read).
Example:
  if gy.image.available() then
    local path = os.tmpname() .. ".nii.gz"
    local img = {data = gy.ones(24, 2), shape = {4, 3, 2, 2}, affine = gy.eye(4), tr = 2}
    gy.image.write(path, img)
    print(gy.image.read(path))
    os.remove(path)
  end
]],
["gy.image.write"] = [[
gy.image.write(path, image [, opts])
Writes an image table (data voxels x volumes, shape, affine; optional pixdim, tr,
sform_code, qform_code, xyz_units, time_units, intent, description, extensions) as .nii
or .nii.gz (gzip level 1, as nibabel). Each extension {code =, data = string} is stored
padded with NUL bytes to a multiple of 16 bytes, as nibabel writes them. Complex (with
imag) and RGB24 images are refused. The affine is stored as both sform and qform (code 2,
aligned, unless the image gives codes; an identity affine stores code 0). The file goes
to a temporary name that is renamed over path at the end. Options: dtype = "float32"
("uint8", "int8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "float64";
integer types take only integral values in range), version = 1 (2 writes NIfTI-2;
sizes past 32767 always do).
Example:
  if gy.image.available() then
    local path = os.tmpname() .. ".nii"
    gy.image.write(path, {data = gy.zeros(8, 1), shape = {2, 2, 2}}, {dtype = "int16"})
    os.remove(path)
  end
]],
["gy.image.mask"] = [[
gy.image.mask(img, mask) -> matrix
The time x voxel matrix of img under a mask (nilearn's NiftiMasker.fit_transform without
any cleaning, data[mask].T): one row per volume, one column per non-zero mask voxel, voxels
in nilearn's order (numpy's C order over x, y, z: z fastest). img and mask are images or
file names; they must share the grid (same first three sizes, affines equal as
numpy.allclose), otherwise the error says which differs. A 4-D mask uses its first volume.
With img a file name the volumes are masked while they are read, so the whole image is
never in memory (peak: the result plus about 32 MB). Inverse: gy.image.unmask.
Example:
  local A = gy.eye(4)
  local img = {data = gy.randn(8, 5, {seed = 1}), shape = {2, 2, 2, 5}, affine = A}
  local mask = {data = gy.matrix({1, 0, 1, 1, 0, 0, 1, 0}), shape = {2, 2, 2}, affine = A}
  local X = gy.image.mask(img, mask)   -- 5 x 4
  print(X:shape())
]],
["gy.image.unmask"] = [[
gy.image.unmask(X, mask) -> image
The inverse of gy.image.mask (nilearn's NiftiMasker.inverse_transform): X is volumes x
(mask voxels); the result is an image on the mask's grid, zero outside the mask, 3-D when
X has one row and 4-D otherwise.
Example:
  local mask = {data = gy.matrix({1, 0, 1, 1}), shape = {2, 2, 1}, affine = gy.eye(4)}
  local img = gy.image.unmask(gy.matrix({{1, 2, 3}}), mask)
  print(img.data)
]],
["gy.image.parcellate"] = [[
gy.image.parcellate(img, atlas [, {labels =}]) -> matrix, labels [, names]
The time x ROI matrix of mean signals over the voxels of each atlas label (nilearn's
NiftiLabelsMasker with strategy "mean", no resampling): x[t, r] = mean over voxels v with
atlas(v) = label_r of img(v, t). Labels are the distinct integers > 0 of the atlas, in
ascending order (returned as a list); 0 is background. img and atlas must share the grid
and affine; a non-integer atlas value is an error. Region names come third when known:
from labels (a label file, see gy.image.labels, or a table index -> name), or, with the
atlas given as a file name, from the label file MRIcron ships beside it (aal.nii.gz ->
aal.nii.txt); a label without a name is named by its number.
Options: labels = nil.
Example:
  local A = gy.eye(4)
  local img = {data = gy.randn(8, 3, {seed = 2}), shape = {2, 2, 2, 3}, affine = A}
  local atlas = {data = gy.matrix({1, 1, 2, 2, 0, 0, 5, 5}), shape = {2, 2, 2}, affine = A}
  local X, labels = gy.image.parcellate(img, atlas)   -- 3 x 3; labels {1, 2, 5}
  local _, _, names = gy.image.parcellate(img, atlas, {labels = {[1] = "left", [5] = "right"}})
]],
["gy.image.labels"] = [[
gy.image.labels(path) -> table (index -> name)
Reads an atlas label file: MRIcron's "index name [more]" text (aal.nii.txt, AICHAmc.nii.txt,
JHU-...nii.txt; one label per line, '#' starts a comment line) or a .tsv/.csv with columns
index and name (a BIDS dseg.tsv). A malformed line, a missing name or an index given twice
is an error naming the line.
Example:
  local f = os.tmpname()
  local h = io.open(f, "w"); h:write("1 Precentral_L 2001\n2 Precentral_R 2002\n"); h:close()
  print(gy.image.labels(f)[2])   -- Precentral_R
  os.remove(f)
]],
["gy.image.new"] = [[
gy.image.new(data, like) -> image
An image of the given voxels x volumes data on the grid of `like` (an image or a file
name): shape, affine and header fields are copied; the number of rows of data must equal
the voxels of the grid.
Example:
  local like = {data = gy.zeros(8, 1), shape = {2, 2, 2}, affine = gy.eye(4)}
  local img = gy.image.new(gy.ones(8, 3), like)
  print(#img.shape)
]],
["gy.image.is"] = [[
gy.image.is(x) -> boolean
True when x is an image read by gy.read / gy.image.read or made by gy.image.new or
gy.image.unmask.
Example:
  print(gy.image.is({}))
]],
["gy.image.available"] = [[
gy.image.available() -> boolean
True when this build of gyrus reads and writes NIfTI files (it was built with nifticlib,
Debian package libnifti2-dev); mask, unmask and parcellate work on images in memory
either way.
Example:
  print(gy.image.available())
]],
}
