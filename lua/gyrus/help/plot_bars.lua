-- Help texts of lua/gyrus/plot_bars.lua (bar charts); merged into help/plot.lua.
-- Format: a signature line, one paragraph, options with defaults, and an "Example:".
return {
["gy.plot.bar"] = [[
gy.plot.bar(values, {labels = 1..m, errors = nil, color = blue, width = 0.7, xlabel =, ylabel =, ylim =, file =, size =, title =, figure =, panel =}) -> path
Bar chart of m values (a table or a vector) from 0, with names under the bars (turned
upright when long) and optional error bars: errors holds a half-width per bar (bar +- e) or
a {low, high} pair per bar (absolute bounds, e.g. a confidence interval).
Options: labels = "1".."m", errors = none, color = Okabe-Ito blue (one colour or one per
bar), width = 0.7 (bar width, bars 1 apart), xlabel, ylabel, ylim = from the data (0 kept
in view), plus the common plot options (file, size, title, figure, panel).
Example:
  gy.plot.bar({0.3, 0.5, 0.1}, {labels = {"a", "b", "c"}, errors = {0.05, 0.1, 0.02},
    file = os.tmpname() .. ".png"})
]],
["gy.plot.model_comparison"] = [[
gy.plot.model_comparison(result, {error = "sem", noise_ceiling = true, pairs = false, alpha = 0.05, sort = false, ...}) -> path
Model-comparison bars as rsatoolbox's plot_model_comparison: the mean evaluation of each
model with error bars (error = "sem": mean +- SEM; "ci": the result's confidence interval),
the noise ceiling as a grey band from its lower to its upper bound, and optional brackets
over model pairs. result: a gy.rsa.evaluate / bootstrap / crossval result, or a table
{names =, means =, errors = (half-widths or {low, high} pairs), noise_ceiling = {low, high},
p_pairs = m x m p-values}. pairs = true brackets every pair whose p_pairs value (bootstrap
results) is below alpha, marked * (< alpha), ** (< alpha/5), *** (< alpha/50); a list
{{i, j[, text]}, ...} draws those brackets as given. sort = true orders bars by mean,
highest first.
Options: error = "sem", noise_ceiling = true, pairs = false, alpha = 0.05, sort = false,
color, width = 0.7, xlabel, ylabel = "RDM similarity (<method>)", ylim, plus the common
plot options (file, size, title, figure, panel).
Example:
  gy.plot.model_comparison({names = {"pixels", "category"}, means = {0.2, 0.35},
    errors = {0.05, 0.04}, noise_ceiling = {0.4, 0.5}}, {file = os.tmpname() .. ".svg"})
]],
}
