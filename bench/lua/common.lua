-- Shared by the wrk scripts of bench/run.
--
-- wrk runs one Lua state per thread plus a main one. setup() (main state) numbers the threads and
-- keeps them; each thread counts what it saw in plain globals; done() (main state) reads those
-- globals back with thread:get and prints one line `RESULT key=value ...` that bench/run parses.
-- Arguments come after wrk's `--` as key=value words.
local M = {}

local threads = {}

function M.setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function M.args(args)
  local a = {}
  -- args[0] is the URL; the words after `--` follow from 1.
  for _, word in ipairs(args) do
    local k, v = word:match("^([%w_]+)=(.*)$")
    if not k then error("argument is not key=value: " .. word) end
    a[k] = v
  end
  return a
end

-- wrk calls request() once before the thread starts, on thread 0 only, to check what it returns
-- (script_verify_request), and throws that request away. Scripts that must send every item exactly
-- once answer that first call with this harmless probe instead of an item.
function M.probe_request()
  return wrk.format("GET", "/health")
end

function M.is_probe_call()
  if tid == 0 and not M.probed then
    M.probed = true
    return true
  end
  return false
end

-- Ends this thread once its share is done. wrk's main thread sleeps for the whole -d duration
-- whatever the threads do, so the last thread to finish (each leaves a marker file in $BENCH_TMP)
-- sends wrk SIGINT, which wakes it to print the results at once.
function M.finish(nthreads)
  if M.finished then return end
  M.finished = true
  local dir = os.getenv("BENCH_TMP") or "/tmp"
  local stat = io.open("/proc/self/stat")
  local pid = stat:read("*n")
  stat:close()
  local function marker(i) return string.format("%s/wrk.%d.%d.done", dir, pid, i) end
  io.open(marker(tid), "w"):close()
  wrk.thread:stop()
  for i = 0, nthreads - 1 do
    local f = io.open(marker(i))
    if not f then return end
    f:close()
  end
  for i = 0, nthreads - 1 do os.remove(marker(i)) end
  -- Not os.execute: system() ignores SIGINT in the calling process while the command runs.
  io.popen("kill -INT " .. pid):close()
end

function M.need(a, key)
  local v = a[key]
  if v == nil or v == "" then error("missing argument " .. key .. "=") end
  return v
end

function M.headers(a)
  return {
    ["Authorization"] = "Bearer " .. M.need(a, "token"),
    ["Content-Type"] = "application/json",
  }
end

-- done(summary, latency, requests) that prints wrk's own figures and the sum of each named
-- per-thread counter.
function M.done(counters)
  return function(summary, latency)
    local parts = {
      "RESULT",
      "requests=" .. summary.requests,
      "duration_us=" .. summary.duration,
      string.format("rps=%.1f", summary.requests / (summary.duration / 1e6)),
      "p50_us=" .. latency:percentile(50),
      "p90_us=" .. latency:percentile(90),
      "p99_us=" .. latency:percentile(99),
      "max_us=" .. latency.max,
      "socket_errors=" .. (summary.errors.connect + summary.errors.read + summary.errors.write
        + summary.errors.timeout),
      "timeouts=" .. summary.errors.timeout,
      "non_2xx_3xx=" .. summary.errors.status,
    }
    for _, name in ipairs(counters) do
      local total = 0
      for _, thread in ipairs(threads) do
        total = total + (thread:get(name) or 0)
      end
      table.insert(parts, string.format("%s=%d", name, total))
    end
    io.write(table.concat(parts, " "), "\n")
  end
end

return M
