#!/usr/bin/python3
"""Writes the colour maps of gy.plot: 256 rows of "r g b" (0..1) per file.

Run: /usr/bin/python3 share/colormaps/make_colormaps.py  (needs only numpy)

Every map is built in CIELAB (D65), where Euclidean distance approximates perceived
difference, and is resampled so that equal steps of the data give equal steps of
perceived colour:
- viridis.txt: a viridis-like sequential map (dark blue-purple -> green -> yellow).
  Anchors are the nine published colours of the viridis scale (as listed by the R
  package viridisLite, viridis(9)); a smooth path through them in Lab is resampled
  at equal arc length, so lightness rises monotonically and evenly.
- bluered.txt: a diverging blue-white-red map centred on white. Each half is a straight
  line in Lab from Moreland's diverging end colours (blue 59,76,192; red 180,4,38;
  "Diverging Color Maps for Scientific Visualization", 2009) to white, resampled at equal
  arc length, so both halves change at the same perceptual rate.
- gray.txt: black to white linear in L* (for anatomical backgrounds).
"""
import os
import numpy as np

N = 256
HERE = os.path.dirname(os.path.abspath(__file__))
WHITE = np.array([0.95047, 1.0, 1.08883])
M_RGB2XYZ = np.array([[0.4124564, 0.3575761, 0.1804375],
                      [0.2126729, 0.7151522, 0.0721750],
                      [0.0193339, 0.1191920, 0.9503041]])


def srgb_to_linear(c):
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(c):
    c = np.clip(c, 0.0, 1.0)
    return np.where(c <= 0.0031308, 12.92 * c, 1.055 * c ** (1 / 2.4) - 0.055)


def rgb_to_lab(rgb):
    xyz = srgb_to_linear(np.asarray(rgb, float)) @ M_RGB2XYZ.T / WHITE
    d = 6 / 29
    f = np.where(xyz > d ** 3, np.cbrt(xyz), xyz / (3 * d * d) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]),
                     200 * (f[..., 1] - f[..., 2])], axis=-1)


def lab_to_rgb(lab):
    lab = np.asarray(lab, float)
    fy = (lab[..., 0] + 16) / 116
    f = np.stack([fy + lab[..., 1] / 500, fy, fy - lab[..., 2] / 200], axis=-1)
    d = 6 / 29
    xyz = np.where(f > d, f ** 3, 3 * d * d * (f - 4 / 29)) * WHITE
    return linear_to_srgb(xyz @ np.linalg.inv(M_RGB2XYZ).T)


def hex_rgb(h):
    return np.array([int(h[i:i + 2], 16) for i in (1, 3, 5)]) / 255.0


def resample_equal_arc(path, n):
    """n points along a dense polyline in Lab, equally spaced in arc length."""
    seg = np.linalg.norm(np.diff(path, axis=0), axis=1)
    s = np.concatenate([[0], np.cumsum(seg)])
    t = np.linspace(0, s[-1], n)
    return np.stack([np.interp(t, s, path[:, k]) for k in range(3)], axis=1)


def catmull_rom(points, per_seg=400):
    """A smooth curve through every point (centripetal-free uniform Catmull-Rom)."""
    p = np.vstack([2 * points[0] - points[1], points, 2 * points[-1] - points[-2]])
    out = []
    for i in range(1, len(p) - 2):
        p0, p1, p2, p3 = p[i - 1], p[i], p[i + 1], p[i + 2]
        t = np.linspace(0, 1, per_seg, endpoint=False)[:, None]
        out.append(0.5 * ((2 * p1) + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t ** 2
                          + (-p0 + 3 * p1 - 3 * p2 + p3) * t ** 3))
    out.append(points[-1][None, :])
    return np.vstack(out)


def viridis():
    anchors = ["#440154", "#472D7B", "#3B528B", "#2C728E", "#21908C",
               "#27AD81", "#5DC863", "#AADC32", "#FDE725"]
    lab = rgb_to_lab(np.array([hex_rgb(h) for h in anchors]))
    return lab_to_rgb(resample_equal_arc(catmull_rom(lab), N))


def bluered():
    blue = rgb_to_lab(np.array([59, 76, 192]) / 255.0)
    red = rgb_to_lab(np.array([180, 4, 38]) / 255.0)
    white = np.array([100.0, 0.0, 0.0])
    t = np.linspace(0, 1, 2000)[:, None]
    lower = resample_equal_arc(blue + t * (white - blue), N // 2)
    upper = resample_equal_arc(white + t * (red - white), N // 2)
    return lab_to_rgb(np.vstack([lower, upper]))


def gray():
    L = np.linspace(0, 100, N)
    return lab_to_rgb(np.stack([L, 0 * L, 0 * L], axis=1))


def write(name, rgb, what):
    with open(os.path.join(HERE, name + ".txt"), "w") as f:
        f.write("# %s: %d rows of r g b in [0, 1], made by make_colormaps.py\n" % (what, len(rgb)))
        for r, g, b in rgb:
            f.write("%.6f %.6f %.6f\n" % (r, g, b))


if __name__ == "__main__":
    write("viridis", viridis(), "viridis-like sequential map, uniform in CIELAB")
    write("bluered", bluered(), "diverging blue-white-red map, uniform in CIELAB, white at the centre")
    write("gray", gray(), "black to white, linear in L*")
