-- The reference manual (Markdown) and the man page gyrus.1 (troff), both generated from the
-- help texts that help() serves, so the three never disagree.
local H = require "gyrus.help"

local manual = {}

local intro = [[
gyrus is a numerical workbench for brain data: functional connectivity, representational
similarity analysis (RSA) and topological RSA, ICA and encoding models, in a C core driven
from an embedded LuaJIT REPL, with figures drawn by PLplot. Every public function is listed
below with its help text, as help(f) shows it in the REPL.]]

-- Each help text: first line the signature, then the description, options and an example.
local function split(text)
  local sig, body = text:match("^([^\n]*)\n?(.*)$")
  return sig, body
end

function manual.markdown(usage)
  local out = { "# gyrus reference manual", "", "gyrus " .. require("gyrus").version, "", intro, "" }
  if usage then
    out[#out + 1] = "## Command line"
    out[#out + 1] = ""
    out[#out + 1] = "```"
    out[#out + 1] = (usage:gsub("\n$", ""))
    out[#out + 1] = "```"
    out[#out + 1] = ""
  end
  local texts = H.texts()
  out[#out + 1] = "## Contents"
  out[#out + 1] = ""
  local groups = H.groups()
  for _, g in ipairs(groups) do
    out[#out + 1] = string.format("- %s (%d)", g[1], #g[2])
  end
  for _, g in ipairs(groups) do
    out[#out + 1] = ""
    out[#out + 1] = "## " .. g[1]
    for _, name in ipairs(g[2]) do
      local sig, body = split(texts[name])
      out[#out + 1] = ""
      out[#out + 1] = "### " .. name
      out[#out + 1] = ""
      out[#out + 1] = "```"
      out[#out + 1] = sig
      out[#out + 1] = "```"
      out[#out + 1] = ""
      -- Bodies are laid out for an 80-column terminal (examples indented): keep them verbatim.
      out[#out + 1] = "```"
      out[#out + 1] = (body:gsub("\n+$", ""))
      out[#out + 1] = "```"
    end
  end
  return table.concat(out, "\n") .. "\n"
end

-- troff escapes: backslashes, and a leading '.' or "'" that would start a request.
local function roff(line)
  line = line:gsub("\\", "\\e")
  if line:match("^[.']") then line = "\\&" .. line end
  return line
end

local function roff_block(text)
  local lines = {}
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do lines[#lines + 1] = roff(line) end
  while #lines > 0 and lines[#lines] == "" do lines[#lines] = nil end
  return table.concat(lines, "\n")
end

function manual.man(usage, date)
  local gy = require "gyrus"
  local out = {
    string.format('.TH GYRUS 1 "%s" "gyrus %s" "gyrus manual"', date or "", gy.version),
    ".SH NAME",
    "gyrus \\- brain\\-data analysis workbench with a LuaJIT REPL",
    ".SH SYNOPSIS",
    ".B gyrus",
    "[\\fIoptions\\fR] [\\fIscript\\fR [\\fIargs\\fR...]]",
    ".br",
    ".B gyrus notebook",
    "\\fIin.md\\fR \\-o \\fIout.html\\fR",
    ".br",
    ".B gyrus plot",
    "\\fIDATA\\fR \\-o \\fIout.png\\fR",
    ".SH DESCRIPTION",
    roff_block((intro:gsub("\n", " "))),
  }
  if usage then
    out[#out + 1] = ".SH USAGE"
    out[#out + 1] = ".nf"
    out[#out + 1] = roff_block(usage)
    out[#out + 1] = ".fi"
  end
  local texts = H.texts()
  out[#out + 1] = ".SH FUNCTIONS"
  out[#out + 1] = "In the REPL, help(f) or ?f prints the same text; help(\"word\") searches them."
  for _, g in ipairs(H.groups()) do
    out[#out + 1] = ".SS " .. roff(g[1])
    for _, name in ipairs(g[2]) do
      out[#out + 1] = ".TP"
      out[#out + 1] = ".B " .. roff(name)
      out[#out + 1] = ".nf"
      out[#out + 1] = roff_block(texts[name])
      out[#out + 1] = ".fi"
    end
  end
  out[#out + 1] = ".SH SEE ALSO"
  out[#out + 1] = "The notebooks in the source tree (notebooks/) and README.md."
  return table.concat(out, "\n") .. "\n"
end

return manual
