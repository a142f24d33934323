-- gy.plot bar charts: plain bars with error bars, and rsatoolbox's plot_model_comparison
-- (mean model evaluations with SEM or confidence-interval bars, the noise ceiling as a grey
-- band, optional pairwise significance brackets). The lead mounts these into gy.plot.
local ffi = require "ffi"
local B = require "gyrus.plot_base"
local core, C, check = B.core, B.C, B.check
local max, min, huge = math.max, math.min, math.huge
local palette, color, font = B.palette, B.color, B.font
local with_panel, opts_of, inner = B.with_panel, B.opts_of, B.inner
local set_view, labels, frame, xy_margins = B.set_view, B.labels, B.frame, B.xy_margins
local limits, vector, text_len = B.limits, B.vector, B.text_len

local P = {}

local function rect(fig, x0, x1, y0, y1, fname)
  local xs = ffi.new("double[4]", x0, x1, x1, x0)
  local ys = ffi.new("double[4]", y0, y0, y1, y1)
  check(C.gy_plot_fill(fig.ptr, 4, xs, ys), fname)
end

local function segment(fig, x0, y0, x1, y1, fname)
  local xs, ys = ffi.new("double[2]", x0, x1), ffi.new("double[2]", y0, y1)
  check(C.gy_plot_line(fig.ptr, 2, xs, ys), fname)
end

local function finite(v) return type(v) == "number" and v == v and v > -huge and v < huge end

-- Error bars as absolute {lo, hi} per bar from symmetric half-widths or {lo, hi} pairs.
local function bounds(values, errors, fname)
  if not errors then return nil end
  if #errors ~= #values then
    core.fail(fname, string.format("errors has %d entries for %d bars", #errors, #values), 3)
  end
  local out = {}
  for i, e in ipairs(errors) do
    if type(e) == "number" then out[i] = { values[i] - e, values[i] + e }
    elseif type(e) == "table" and type(e[1]) == "number" and type(e[2]) == "number" then
      out[i] = { e[1], e[2] }
    else
      core.fail(fname, "errors must hold half-widths or {low, high} pairs", 3)
    end
  end
  return out
end

-- The shared drawing: bars at x = 1..m, error bars, a grey band, brackets over pairs.
-- spec: values, err ({lo, hi} per bar or nil), names, band ({lo, hi} or nil), pairs
-- (list of {i, j, text}), colors.
local function draw_bars(fname, o, spec)
  local vals, err, m = spec.values, spec.err, #spec.values
  local lo, hi = 0, 0 -- bars start at 0, so 0 is always in view
  for i = 1, m do
    local v = vals[i]
    if finite(v) then lo, hi = min(lo, v), max(hi, v) end
    if err and finite(err[i][1]) then lo = min(lo, err[i][1]) end
    if err and finite(err[i][2]) then hi = max(hi, err[i][2]) end
  end
  if spec.band then
    for _, b in ipairs(spec.band) do if finite(b) then lo, hi = min(lo, b), max(hi, b) end end
  end
  local npairs = spec.pairs and #spec.pairs or 0
  local span = hi - lo > 0 and hi - lo or 1
  local step = span * 0.07
  if npairs > 0 then hi = hi + step * (npairs + 0.5) end
  local y0, y1 = limits(o.ylim, lo, hi, fname, "ylim", 0.05)
  if not o.ylim and lo >= 0 then y0 = 0 end
  local names = spec.names
  local rotate = text_len(names) > 10 or m > 8
  return (with_panel(fname, o, function(fig, r)
    local mg, ystep, ydisp = xy_margins(o, y0, y1)
    mg[3] = (rotate and text_len(names) * 0.75 + 1.2 or 2.0) + (o.xlabel and 2.4 or 0)
    local vp = inner(fig, r, mg)
    set_view(fig, vp, 0.4, m + 0.6, y0, y1, fname)
    if spec.band and finite(spec.band[1]) and finite(spec.band[2]) then
      check(C.gy_plot_color(fig.ptr, 0xB0B0B0, 0.6), fname)
      rect(fig, 0.4, m + 0.6, spec.band[1], max(spec.band[2], spec.band[1]), fname)
    end
    local w = min(0.8, max(0.1, o.width))
    for i = 1, m do
      if finite(vals[i]) then
        check(C.gy_plot_color(fig.ptr, spec.colors[i], 1), fname)
        rect(fig, i - w / 2, i + w / 2, min(0, vals[i]), max(0, vals[i]), fname)
      end
    end
    check(C.gy_plot_color(fig.ptr, 0, 1), fname)
    check(C.gy_plot_pen(fig.ptr, 1.5, 0), fname)
    segment(fig, 0.4, 0, m + 0.6, 0, fname)
    if err then
      for i = 1, m do
        local a, b = err[i][1], err[i][2]
        if finite(a) and finite(b) then
          segment(fig, i, a, i, b, fname)
          segment(fig, i - w / 6, a, i + w / 6, a, fname)
          segment(fig, i - w / 6, b, i + w / 6, b, fname)
        end
      end
    end
    -- brackets: one row each, above everything else
    local top = lo
    for i = 1, m do
      top = max(top, finite(vals[i]) and vals[i] or lo, err and finite(err[i][2]) and err[i][2] or lo)
    end
    if spec.band and finite(spec.band[2]) then top = max(top, spec.band[2]) end
    font(fig, 0.8, fname)
    for k = 1, npairs do
      local pr = spec.pairs[k]
      local y = top + step * (k - 0.3)
      segment(fig, pr[1], y, pr[2], y, fname)
      segment(fig, pr[1], y, pr[1], y - step * 0.25, fname)
      segment(fig, pr[2], y, pr[2], y - step * 0.25, fname)
      if pr[3] then
        check(C.gy_plot_text(fig.ptr, (pr[1] + pr[2]) / 2, y + step * 0.08, 0, 0.5, pr[3]), fname)
      end
    end
    font(fig, 0.9, fname)
    for i = 1, m do
      if rotate then
        check(C.gy_plot_mtext(fig.ptr, C.GY_PLOT_BOTTOM, 1, 0.6, (i - 0.4) / (m + 0.2), 1,
          tostring(names[i])), fname)
      else
        check(C.gy_plot_mtext(fig.ptr, C.GY_PLOT_BOTTOM, 0, 1.2, (i - 0.4) / (m + 0.2), 0.5,
          tostring(names[i])), fname)
      end
    end
    frame(fig, fname, "bc", "bcnstv", 0, ystep)
    local xl = o.xlabel
    o.xlabel = nil -- placed below the names, not where labels() puts it
    labels(fig, o, fname, ydisp)
    o.xlabel = xl
    if xl then
      check(C.gy_plot_mtext(fig.ptr, C.GY_PLOT_BOTTOM, 0, mg[3] - 1.0, 0.5, 0.5, xl), fname)
    end
  end))
end

local function colors_of(o, m, fname)
  local cols = {}
  for i = 1, m do
    local c = o.color
    if type(c) == "table" then c = c[i] end
    cols[i] = color(c or palette[1], fname)
  end
  return cols
end

local function numbers(x, fname, what)
  local t = vector(x, fname, what)
  if not t or #t == 0 then core.fail(fname, what .. " is empty", 3) end
  for i, v in ipairs(t) do
    if type(v) ~= "number" then core.fail(fname, string.format("%s[%d] is not a number", what, i), 3) end
  end
  return t
end

-- gy.plot.bar(values, {labels=, errors=, ...})
function P.bar(values, opts)
  local fname = "gy.plot.bar"
  local o = opts_of(fname, opts, { labels = false, errors = false, color = false, width = 0.7,
    xlabel = false, ylabel = false, ylim = false })
  local vals = numbers(values, fname, "values")
  local names = o.labels and vector(o.labels, fname, "labels") or {}
  if o.labels and #names ~= #vals then
    core.fail(fname, string.format("labels has %d names for %d bars", #names, #vals))
  end
  if not o.labels then for i = 1, #vals do names[i] = tostring(i) end end
  if type(o.width) ~= "number" then core.fail(fname, "width must be a number in (0, 1)") end
  local spec = { values = vals, names = names, err = bounds(vals, o.errors, fname),
    colors = colors_of(o, #vals, fname) }
  return draw_bars(fname, o, spec)
end

-- A result of gy.rsa.evaluate/bootstrap/crossval or a plain table, as the spec's parts.
local function comparison_input(res, o, fname)
  if type(res) ~= "table" then
    core.fail(fname, "expected a result of gy.rsa.evaluate or {names=, means=, errors=, "
      .. "noise_ceiling=}", 3)
  end
  local names, means, err, band, pp
  if res.models and res.mean then -- an rsa_infer result
    names, means = res.models, res.mean
    err = {}
    for i = 1, #means do
      if o.error == "sem" then err[i] = { means[i] - res.sem[i], means[i] + res.sem[i] }
      else err[i] = { res.ci[i][1], res.ci[i][2] } end
    end
    if res.noise_ceiling then band = { res.noise_ceiling.lower, res.noise_ceiling.upper } end
    pp = res.p_pairs
  else
    means = numbers(res.means, fname, "means")
    names = res.names or {}
    if not res.names then for i = 1, #means do names[i] = "model " .. i end end
    err = bounds(means, res.errors, fname)
    local nc = res.noise_ceiling
    if nc then
      band = { nc.lower or nc[1], nc.upper or nc[2] }
      if type(band[1]) ~= "number" or type(band[2]) ~= "number" then
        core.fail(fname, "noise_ceiling must be {low, high}", 3)
      end
    end
    pp = res.p_pairs
  end
  if #names ~= #means then
    core.fail(fname, string.format("%d names for %d models", #names, #means), 3)
  end
  return names, means, err, band, pp
end

local function p_at(pp, i, j)
  if type(pp) == "table" then return pp[i] and pp[i][j] end
  return pp:get(i, j)
end

-- gy.plot.model_comparison(result, {error=, noise_ceiling=, pairs=, alpha=, sort=, ...})
function P.model_comparison(res, opts)
  local fname = "gy.plot.model_comparison"
  local o = opts_of(fname, opts, { error = "sem", noise_ceiling = true, pairs = false,
    alpha = 0.05, sort = false, color = false, width = 0.7, xlabel = false, ylabel = false,
    ylim = false })
  if o.error ~= "sem" and o.error ~= "ci" then
    core.fail(fname, "error must be 'sem' or 'ci', got " .. tostring(o.error))
  end
  if type(o.alpha) ~= "number" or not (o.alpha > 0 and o.alpha < 1) then
    core.fail(fname, "alpha must be in (0, 1)")
  end
  local names, means, err, band, pp = comparison_input(res, o, fname)
  local m = #means
  local order = {}
  for i = 1, m do order[i] = i end
  if o.sort then
    table.sort(order, function(a, b)
      local x, y = means[a], means[b]
      if x ~= x then return false end
      if y ~= y then return true end
      return x > y
    end)
  end
  local spec = { values = {}, names = {}, err = err and {} or nil,
    band = o.noise_ceiling and band or nil, colors = colors_of(o, m, fname) }
  local pos = {}
  for k, i in ipairs(order) do
    spec.values[k], spec.names[k] = means[i], names[i]
    if err then spec.err[k] = err[i] end
    pos[i] = k
  end
  -- pairs: true uses the result's pairwise p-values (bootstrap results); a list of
  -- {i, j[, label]} draws those brackets as given
  if o.pairs then
    spec.pairs = {}
    if o.pairs == true then
      if not pp then
        core.fail(fname, "pairs = true needs pairwise p-values (p_pairs, from gy.rsa.bootstrap)")
      end
      for i = 1, m do
        for j = i + 1, m do
          local p = p_at(pp, i, j)
          if type(p) == "number" and p < o.alpha then
            local a, b = min(pos[i], pos[j]), max(pos[i], pos[j])
            spec.pairs[#spec.pairs + 1] = { a, b, p < o.alpha / 50 and "***"
              or (p < o.alpha / 5 and "**" or "*") }
          end
        end
      end
    elseif type(o.pairs) == "table" then
      for k, pr in ipairs(o.pairs) do
        if type(pr) ~= "table" or not pos[pr[1]] or not pos[pr[2]] or pr[1] == pr[2] then
          core.fail(fname, string.format("pairs[%d] must be {i, j} with two model numbers", k))
        end
        local a, b = min(pos[pr[1]], pos[pr[2]]), max(pos[pr[1]], pos[pr[2]])
        spec.pairs[k] = { a, b, pr[3] and tostring(pr[3]) or "*" }
      end
    else
      core.fail(fname, "pairs must be true or a list of {i, j}")
    end
    table.sort(spec.pairs, function(a, b) return a[2] - a[1] < b[2] - b[1] end)
  end
  if not o.ylabel and res.method then o.ylabel = "RDM similarity (" .. res.method .. ")" end
  return draw_bars(fname, o, spec)
end

return P
