-- Help text of gy.plot.components (lua/gyrus/plot_ica.lua). Format: a signature line, one
-- paragraph, options with defaults, and an "Example:" that tests/lua/help_spec.lua runs.
return {
["gy.plot.components"] = [[
gy.plot.components(model [, opts]) -> path
A figure of ICA components (model from gy.ica.fit), one row per component: its time course,
its power spectrum in dB (Welch as scipy.signal.welch's defaults: periodic Hann segments of
nperseg samples, 50 % overlap, each segment's mean removed, one-sided density), and, when
pos or mask is given, its spatial pattern: a scalp topography of the mixing column
(gy.plot.topo) or a brain map of the component through the mask (gy.image.unmask +
gy.plot.brain). For temporal ICA (EEG/MEG, the default) the time courses are model.sources
and the patterns the columns of model.mixing; spatial = true (fMRI ICA fitted on voxels x
time, as MELODIC) swaps them: the maps are the sources, the time courses the mixing columns.
Options: components = the first min(n, 6) (a list of 1 to 12 component numbers); sfreq = 1
(Hz; for fMRI 1 / TR); spatial = false; pos = channel positions (n_channels x 2 or x 3, as
gy.plot.topo); names = channel names; mask = mask image (brain maps); bg = background image;
threshold = 2 SD of each map (brain maps); fmax = sfreq / 2; nperseg = 256; duration = all
(seconds of time course shown); file, size, title.

Example:
  local X = gy.randn(1000, 6, { seed = 1 })
  for t = 1, 1000 do X:set(t, 1, math.sin(t / 5) + 0.1 * X:get(t, 1)) end
  local m = gy.ica.fit(X, { seed = 1, max_iter = 2000, tol = 1e-3 })
  local pos = {}
  for k = 1, 6 do pos[k] = { math.cos(k), math.sin(k), 0.5 } end
  local path = gy.plot.components(m, { sfreq = 100, pos = pos, components = { 1, 2 },
    file = os.tmpname() .. ".png" })
  print(path)
  os.remove(path)
]],
}
