-- Help texts of gy.notebook (lua/gyrus/notebook.lua). Format: a signature line, one
-- paragraph, options with defaults, and an "Example:" whose indented lines
-- tests/lua/help_spec.lua runs.
return {
["gy.notebook.run"] = [[
gy.notebook.run(input, opts) -> report
Runs a literate notebook: the ```lua blocks of a Markdown file (input is its path, or
{text = markdown, name = "lesson.md"}) execute in order in one environment, where `gy` is
defined and each block sees the globals and top-level locals of the blocks before it. What a
block prints (print, io.write, anything written to stdout or stderr) and every figure it
draws without a file (gy.plot.* without {file =}) are captured under the block. An error
stops the run (later blocks are marked "not run") unless keep_going; error messages point at
the line of the Markdown file. Sections `::: solution` ... `:::` are left out (neither shown
nor run) unless solutions = true; other `::: name` sections (exercise, question, note) become
boxes. A block whose info string holds "norun" (```lua norun) is shown but not run; blocks
of other languages are shown as code. Front matter (--- key: value --- at the top) is kept
in report.meta (title, and for course notebooks figures / figures_with_solutions, the
counts tests/lua/notebook_spec.lua checks).
The report has ran (blocks run), figures, errors, ok, stopped, meta, parts (the text and
code parts, code parts with output, stderr, figures, error), and html / markdown_text when
asked for. The HTML page is self-contained: CSS inline, PNG figures as base64 data URIs, SVG
figures inline. Markdown output writes figures into <name>_files/ beside the file.
Options: solutions = false, keep_going = false, figures = "png" (or "svg"), html = false
(a path to write, or true to return the page in report.html only), markdown = false (a path,
or true), quiet = true (false: progress on stderr).
Example:
  local md = "# Demo\n\n```lua\nx = gy.randn(100, 1, {seed = 1})\nprint(x:mean())\n```\n"
  local report = gy.notebook.run({text = md, name = "demo.md"}, {html = true})
  print(report.ran, report.errors, #report.html > 0)
]],
["gy.notebook.main"] = [[
gy.notebook.main(args...) -> boolean
The command line `gyrus notebook IN.md [-o OUT.html] [-o OUT.md] [--solutions]
[--keep-going|-k] [--figures png|svg] [--quiet|-q]`: runs IN.md with gy.notebook.run and
writes the report to each output, HTML or Markdown by extension (default IN.html). Files
are written to a temporary name and renamed. Returns true when every block ran without
error (or with --keep-going), false otherwise; the host then exits with status 1. Progress
and errors go to stderr.
Example:
  local dir = os.tmpname()
  local f = io.open(dir .. ".md", "w")
  f:write("# Lesson\n\n```lua\nprint(gy.eye(2))\n```\n")
  f:close()
  local ok = gy.notebook.main(dir .. ".md", "-o", dir .. ".html", "-q")
  os.remove(dir .. ".md"); os.remove(dir .. ".html"); os.remove(dir)
]],
}
