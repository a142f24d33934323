-- gy.ica.find_bads / apply / outliers (lua/gyrus/ica_artifact.lua) against MNE-Python
-- (tests/fixtures/make_ica_artifact.py): MNE's _find_outliers on fixed scores, scipy's
-- pearsonr, and MNE's ICA.find_bads_eog / ICA.apply on a RawArray with a fixed unmixing.
local A = require "gyrus.ica_artifact"
local fx = fixture("ica_artifact.lua")

local function same_list(a, b, msg)
  expect_eq(#a, #b, (msg or "") .. " length (got {" .. table.concat(a, ",") .. "})")
  for k = 1, #b do expect_eq(a[k], b[k], (msg or "") .. " element " .. k) end
end

local model = { unmixing = gy.matrix(fx.unmixing), mixing = gy.matrix(fx.mixing),
  mean = gy.matrix(fx.mean) }
local nofilter = { l_freq = false, h_freq = false }

describe("gy.ica.outliers", function()
  for k, c in ipairs(fx.outliers) do
    it(string.format("case %d (threshold %g, tail %d, max_iter %d) is MNE's _find_outliers",
      k, c.threshold, c.tail, c.max_iter), function()
      local bad = A.outliers(c.scores, { threshold = c.threshold, tail = c.tail,
        max_iter = c.max_iter })
      same_list(bad, c.bad, "outliers")
      -- MNE itself differs only where its masked z-score turns NaN (score 1 masked).
      if #c.mne_bad ~= #c.bad then expect_eq(c.bad[1], 1, "MNE's early stop") end
      local mine = {}
      for _, i in ipairs(bad) do mine[i] = true end
      for _, i in ipairs(c.mne_bad) do expect_true(mine[i], "MNE's mark " .. i) end
    end)
  end
  it("rejects bad options", function()
    expect_error(function() A.outliers({ 1, 2, 3 }, { tail = 2 }) end, "tail")
    expect_error(function() A.outliers({ 1, 2, 3 }, { max_iter = 0 }) end, "max_iter")
    expect_error(function() A.outliers({ 1, 0 / 0, 3 }) end, "non%-finite")
    expect_error(function() A.outliers({ { 1, 2 }, { 3, 4 } }) end, "vector")
  end)
end)

describe("gy.ica.find_bads", function()
  it("scores are scipy's pearsonr of each source with the EOG", function()
    local _, scores = A.find_bads(model, fx.X, fx.eog, nofilter)
    expect_near(scores, fx.pearson, 1e-10, "scores")
  end)
  for _, key in ipairs({ "mne_eog1_3", "mne_eog1_2", "mne_eog12_3", "mne_eog12_2" }) do
    it(key .. " equals MNE's ICA.find_bads_eog (no filter)", function()
      local ref = key:find("eog12") and gy.matrix({ fx.eog, fx.eog2 }):t() or fx.eog
      local thr = tonumber(key:match("_(%d)$"))
      local idx, scores = A.find_bads(model, fx.X, ref, { threshold = thr,
        l_freq = false, h_freq = false })
      same_list(idx, fx[key].indices, key)
      expect_near(scores, fx[key].scores, 1e-10, "scores")
    end)
  end
  it("measure = 'correlation' equals MNE's |r| > threshold", function()
    local idx = A.find_bads(model, fx.X, fx.eog, { measure = "correlation", threshold = 0.5,
      l_freq = false, h_freq = false })
    same_list(idx, fx.mne_corr.indices, "correlation")
  end)
  it("band-passed (1-10 Hz Butterworth) still finds the blink component", function()
    local idx, scores = A.find_bads(model, fx.X, fx.eog, { sfreq = 100, threshold = 2.0 })
    expect_eq(idx[1], 5, "blink component first")
    expect_true(math.abs(scores:get(5, 1)) > 0.8, "blink score")
  end)
  it("explains what is wrong", function()
    expect_error(function() A.find_bads(model, fx.X, fx.eog) end, "sfreq")
    expect_error(function() A.find_bads(model, fx.X, { 1, 2, 3 }, nofilter) end, "samples")
    expect_error(function() A.find_bads({}, fx.X, fx.eog, nofilter) end, "ICA model")
    expect_error(function() A.find_bads(model, fx.X, fx.eog, { kind = "emg" }) end, "kind")
    expect_error(function() A.find_bads(model, fx.X, fx.eog, { treshold = 2 }) end,
      "unknown option")
    expect_error(function() A.find_bads(model, gy.zeros(240, 3), fx.eog, nofilter) end,
      "channels")
  end)
end)

describe("gy.ica.apply", function()
  it("equals MNE's ICA.apply(exclude=...)", function()
    local clean = A.apply(model, fx.X, { exclude = fx.exclude })
    expect_near(clean, fx.clean, 1e-10, "cleaned data")
  end)
  it("excluding nothing returns X", function()
    expect_near(A.apply(model, fx.X), fx.X, 1e-13, "identity")
  end)
  it("works on a fitted model and removes the excluded source", function()
    local X = gy.matrix(fx.X)
    local m = gy.ica.fit(X, { n = 12, seed = 3, max_iter = 1000 })
    local idx = A.find_bads(m, X, fx.eog, { threshold = 2.0, l_freq = false, h_freq = false })
    expect_true(#idx >= 1, "a blink component is found")
    local clean = A.apply(m, X, { exclude = idx })
    -- The excluded source is (numerically) zero in the cleaned data.
    local S = (clean - m.mean) * m.unmixing:t()
    expect_near(S:col(idx[1]):abs():max(), 0, 1e-9, "excluded source")
  end)
  it("rejects bad exclusions", function()
    expect_error(function() A.apply(model, fx.X, { exclude = { 13 } }) end, "out of range")
    expect_error(function() A.apply(model, fx.X, { exclude = { 2, 2 } }) end, "twice")
    expect_error(function() A.apply(model, fx.X, { exclude = { 1.5 } }) end, "integer")
    expect_error(function() A.apply(model, gy.zeros(5, 3), { exclude = { 1 } }) end, "channels")
  end)
end)

describe("gy.ica.ctps", function()
  local c = fx.ctps
  it("pk and ks equal MNE's ctps (even length)", function()
    local pk, ks = A.ctps(c.epochs)
    expect_near(ks, c.ks, 1e-10, "ks")
    expect_near(pk, c.pk, 1e-10, "pk")
  end)
  it("pk and ks equal MNE's ctps (odd length)", function()
    local odd = {}
    for e, ep in ipairs(c.epochs) do odd[e] = gy.matrix(ep):rowrange(1, 39) end
    local pk, ks = A.ctps(odd)
    expect_near(ks, c.ks_odd, 1e-10, "ks")
    expect_near(pk, c.pk_odd, 1e-10, "pk")
  end)
  it("the phase-locked source scores highest", function()
    local pk = A.ctps(c.epochs)
    local m1, m2, m3 = pk:col(1):max(), pk:col(2):max(), pk:col(3):max()
    expect_true(m1 > m2 and m1 > m3, string.format("source 1 first: %g %g %g", m1, m2, m3))
  end)
  it("threshold is MNE's _get_ctps_threshold", function()
    for _, p in ipairs(fx.ctps_threshold) do
      expect_near(A.ctps_threshold(p[1]), p[2], 1e-15, "sfreq " .. p[1])
    end
  end)
  it("explains what is wrong", function()
    expect_error(function() A.ctps({ gy.zeros(5, 2) }) end, "at least 2")
    expect_error(function() A.ctps({ gy.zeros(5, 2), gy.zeros(4, 2) }) end, "epoch 2")
    expect_error(function() A.ctps({ gy.zeros(5, 2), gy.matrix({ { 0 / 0, 1 } }) }) end, "epoch 2")
    expect_error(function() A.ctps_threshold(0) end, "sfreq")
  end)
end)

describe("gy.ica.find_bads method = 'ctps'", function()
  -- 6 sources at 100 Hz, source 2 a QRS-like spike train (every 0.8 s), mixed by a known A.
  local T, fs = 3000, 100
  local S = gy.randn(T, 6, { seed = 8 }):map(function(v) return v ^ 3 / 3 end)
  local ecg = gy.randn(T, 1, { seed = 9 }) * 0.1
  local beats = {}
  for t = 1, T do
    local ph = (t - 1) % 80
    local q = math.exp(-0.5 * ((ph - 40) / 1.2) ^ 2) * 4 - math.exp(-0.5 * ((ph - 43) / 1.5) ^ 2)
    S:set(t, 2, q + 0.2 * S:get(t, 2))
    ecg:set(t, 1, ecg:get(t, 1) + q)
    if ph == 40 then beats[#beats + 1] = t end
  end
  local Am = gy.randn(6, 6, { seed = 10 }) + gy.eye(6) * 3
  local X = S * Am:t()
  local m = { mixing = Am, unmixing = gy.linalg.inv(Am), mean = gy.zeros(1, 6) }
  it("finds the heartbeat component from detected R peaks", function()
    local idx, scores, n_ep = A.find_bads(m, X, ecg, { kind = "ecg", method = "ctps",
      sfreq = fs })
    same_list(idx, { 2 }, "ctps")
    expect_true(n_ep >= 30, "epochs: " .. tostring(n_ep))
    expect_true(scores:get(2, 1) > 0.5, "heartbeat pk")
  end)
  it("takes given events and MNE's automatic threshold", function()
    local idx = A.find_bads(m, X, ecg, { kind = "ecg", method = "ctps", sfreq = fs,
      events = beats })
    same_list(idx, { 2 }, "ctps with events")
    expect_error(function() A.find_bads(m, X, ecg, { method = "ctps" }) end, "sfreq")
    expect_error(function() A.find_bads(m, X, ecg, { method = "ctps", sfreq = fs,
      events = { 1, T } }) end, "epochs")
    expect_error(function() A.find_bads(m, X, ecg, { method = "ica" }) end, "method")
  end)
end)
