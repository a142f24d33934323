-- gy.conn.spectral against MNE's tapers and spectra with mne-connectivity's formulas
-- re-computed in numpy (tests/fixtures/make_spectral.py).
local spectral = require "gyrus.spectral"
local fx = fixture("spectral.lua")

local METHODS = { "coh", "cohy", "imcoh", "plv", "ciplv", "ppc", "pli", "pli2_unbiased", "dpli",
  "wpli", "wpli2_debiased" }

describe("gy.conn.dpss", function()
  for name, c in pairs(fx.dpss) do
    it(name .. " equals MNE's dpss_windows to 1e-10", function()
      local tapers, ratios = spectral.dpss(c.n, c.half_nbw, { kmax = c.kmax, sym = c.sym,
        low_bias = c.low_bias })
      expect_near(tapers:t(), c.tapers, 1e-10, "tapers")
      expect_near(ratios, c.ratios, 1e-10, "ratios")
    end)
  end
end)

describe("gy.conn.spectral", function()
  local cases = {
    mt_default = { mode = "multitaper" },
    mt_band = { mode = "multitaper", fmin = 20, fmax = 60, mt_bandwidth = 10 },
    fourier = { mode = "fourier", fmin = 10, fmax = 90 },
    faverage = { mode = "multitaper", fmin = { 10, 40 }, fmax = { 30, 70 }, faverage = true },
  }
  for name, opts in pairs(cases) do
    it(name .. ": all 11 methods match mne-connectivity's formulas", function()
      local o = { method = METHODS, sfreq = fx.sfreq }
      for k, v in pairs(opts) do o[k] = v end
      local r = spectral.spectral(fx.epochs, o)
      local ref = fx[name]
      expect_near(r.freqs, ref.freqs, 1e-12, "freqs")
      for _, m in ipairs(METHODS) do
        if m == "cohy" then
          expect_near(r.cohy.re, ref.cohy_re, 1e-9, "cohy re")
          expect_near(r.cohy.im, ref.cohy_im, 1e-9, "cohy im")
        else
          expect_near(r[m], ref[m], 1e-9, m)
        end
      end
    end)
  end

  it("cwt_morlet: all 11 methods per frequency and time match MNE's cwt with mne-connectivity's formulas", function()
    local r = spectral.spectral(fx.epochs, { method = METHODS, sfreq = fx.sfreq, mode = "cwt_morlet",
      cwt_freqs = { 30, 45, 60 }, cwt_n_cycles = { 5, 6, 7 }, fmin = 25, fmax = 80 })
    local ref = fx.cwt
    expect_near(r.freqs, ref.freqs, 1e-12, "freqs")
    for f = 1, #ref.freqs do
      for _, m in ipairs(METHODS) do
        if m == "cohy" then
          expect_near(r.cohy.re[f], ref.cohy_re[f], 1e-9, "cohy re")
          expect_near(r.cohy.im[f], ref.cohy_im[f], 1e-9, "cohy im")
        else
          expect_near(r[m][f], ref[m][f], 1e-9, m .. " at " .. ref.freqs[f] .. " Hz")
        end
      end
    end
  end)

  it("pairs follow numpy's tril_indices(n, -1)", function()
    local r = spectral.spectral(fx.epochs, { method = "wpli", sfreq = fx.sfreq })
    expect_eq(#r.seeds, 6)
    local want_s, want_t = { 2, 3, 3, 4, 4, 4 }, { 1, 1, 2, 1, 2, 3 }
    for i = 1, 6 do
      expect_eq(r.seeds[i], want_s[i], "seed")
      expect_eq(r.targets[i], want_t[i], "target")
    end
    expect_eq(r.con, r.wpli)
  end)

  it("a phase-locked rhythm gives coherence near 1 at its frequency", function()
    -- Signal 2 is signal 1 delayed by a quarter period of 20 Hz: imcoh sign shows who leads.
    local sfreq, n = 200, 200
    local epochs = {}
    for e = 1, 10 do
      local rows = {}
      for t = 1, n do
        local x = math.sin(2 * math.pi * 20 * (t - 1) / sfreq + e)
        local y = math.sin(2 * math.pi * 20 * (t - 1) / sfreq + e - math.pi / 2)
        rows[t] = { x, y }
      end
      epochs[e] = rows
    end
    local r = spectral.spectral(epochs, { method = { "coh", "imcoh", "wpli" }, sfreq = sfreq,
      fmin = 20, fmax = 20 })
    -- Not exactly 1: the taper leaks a little of the -20 Hz image into the 20 Hz bin.
    expect_near(r.coh, 1, 1e-3, "coh")
    -- Seed 2 lags target 1 by 90 degrees: S = X2 conj(X1) has a negative imaginary part.
    expect_near(r.imcoh, -1, 1e-3, "imcoh")
    expect_near(r.wpli, 1, 1e-9, "wpli")
  end)

  it("rejects bad input with messages", function()
    expect_error(function() spectral.spectral(fx.epochs, { method = "coh" }) end, "sfreq")
    expect_error(function() spectral.spectral(fx.epochs, { method = "nope", sfreq = 100 }) end,
      "unknown method")
    expect_error(function() spectral.spectral(fx.epochs, { sfreq = 100, fmin = 400 }) end,
      "no frequency")
    expect_error(function() spectral.spectral(fx.epochs, { sfreq = 100, bogus = 1 }) end,
      "unknown option")
    expect_error(function() spectral.spectral({ { { 1, 2 }, { 3, 4 } }, { { 1 } } }, { sfreq = 100 }) end,
      "epoch 2")
    expect_error(function() spectral.spectral(fx.epochs, { sfreq = 100, mode = "cwt_morlet" }) end,
      "cwt_freqs")
    expect_error(function() spectral.spectral(fx.epochs, { sfreq = 200, mode = "cwt_morlet",
      cwt_freqs = { 5 } , fmin = 1 }) end, "longer than")
    expect_error(function() spectral.spectral(fx.epochs, { sfreq = 100, mt_adaptive = true }) end,
      "not implemented")
  end)
end)
