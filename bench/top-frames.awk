# Reads `jfr print --events jdk.ExecutionSample` (or jdk.NativeMethodSample) and prints where the
# samples were: the top frame of each (self time), the library of that top frame, and the first
# dev.tally frame of each (time spent in Tally code and everything it called). Set -v title=...
function top(arr, n, k, cmd) {
  cmd = "sort -rn | head -n " n
  fflush()
  for (k in arr) printf "%6.1f%%  %s\n", 100 * arr[k] / samples, k | cmd
  close(cmd)
}
/^jdk\./ { in_stack = 0 }
/stackTrace = \[/ { in_stack = 1; depth = 0; tally = ""; samples++; next }
in_stack && /^[ \t]*\]/ {
  in_stack = 0
  tallies[tally == "" ? "(no Tally frame)" : tally]++
  next
}
in_stack {
  f = $0
  sub(/^[ \t]+/, "", f)
  sub(/[ \t]+line:.*$/, "", f)
  if (f == "..." || f == "") next
  if (depth++ == 0) {
    self[f]++
    lib = f
    sub(/\(.*$/, "", lib)
    n = split(lib, part, ".")
    lib = n > 3 ? part[1] "." part[2] "." part[3] : part[1] "." part[2]
    libs[lib]++
  }
  if (tally == "" && f ~ /^dev\.tally\./) tally = f
}
END {
  printf "\n## %s: %d\n", title, samples
  if (samples == 0) exit
  print "### top frames (self)"
  top(self, 20)
  print "### package of the top frame"
  top(libs, 12)
  print "### first Tally frame on the stack (inclusive)"
  top(tallies, 15)
}
