-- Help texts of the globals the gyrus host defines (core/host, lua/gyrus/repl.lua).
return {
["help"] = [[
help([x]) -- prints help
help() prints the overview of all help texts; help(f) prints the text of a gyrus function
or method (help(gy.zeros), help(m.get) for a matrix m); help("word") prints the text of
that name ("zeros" finds gy.zeros) or lists every text that mentions the word. At the
prompt "?" is short for help() and "?gy.zeros" for help(gy.zeros). help(x, true) prints
nothing and returns the text.
Example:
  local text = help(gy.zeros, true)
  local hits = help("matrix", true)
]],
["timing"] = [[
timing([on]) -> boolean
Whether the REPL prints the wall-clock time of each statement after its result
("time: 12.34 ms"); timing(true) turns it on, timing(false) off, timing() toggles. Returns
the new setting. The time covers running the statement, not printing its value.
Example:
  local was = timing(false)
  timing(was)
]],
["repl"] = [[
The gyrus prompt (gyrus with no arguments)
A line is first tried as an expression: its values are printed and the first is kept in
the global _ ; otherwise it runs as a statement. A statement ending in ';' prints nothing
(x = gy.randn(1000, 1000); does not print a million numbers). Input that is not finished
(function ... without its end) continues on the next line with the prompt ">> ". A local
lives only until the end of its statement, so leave out 'local' at the prompt. Tab
completes global names, table fields, gy modules and the methods of a matrix after ':';
inside quotes it completes file names. History is kept in $GY_HISTORY (else
$XDG_STATE_HOME/gyrus/history, else ~/.gyrus_history), the last GY_HISTSIZE (1000)
statements. Ctrl-C cancels a running computation (a loop in plain Lua that LuaJIT has
compiled may only stop at its next gyrus call; the third Ctrl-C ends gyrus) or clears the
line being typed; Ctrl-D quits. timing(true) prints the time of each statement; "?name"
shows help. _PROMPT and _PROMPT2 set the prompts.
Example:
  local x = gy.zeros(2, 2)
]],
}
