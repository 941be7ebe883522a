-- Shared by the wrk scripts of bench/run.
--
-- wrk runs one Lua state per thread plus a main one. setup() (main state) numbers the threads and
-- keeps them; each thread counts what it saw in plain globals; done() (main state) reads those
-- globals back with thread:get and prints one line `RESULT key=value ...` that bench/run parses.
-- Arguments come after wrk's `--` as key=value words.
local M = {}

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock, bench_timespec *ts);
]]
local timespec = ffi.new("bench_timespec")

-- Seconds on the monotonic clock (CLOCK_MONOTONIC = 1), the same for every thread.
function M.now()
  ffi.C.clock_gettime(1, timespec)
  return tonumber(timespec.tv_sec) + tonumber(timespec.tv_nsec) / 1e9
end

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

-- Scripts that send items 0 .. total-1 exactly once split them over the threads: thread tid sends
-- items tid, tid + nthreads, tid + 2 * nthreads, ... share() is how many that is, item() the index of
-- the thread's counter-th one.
function M.share(total, nthreads)
  return math.floor(total / nthreads) + ((tid < total % nthreads) and 1 or 0)
end

function M.item(counter, nthreads)
  return counter * nthreads + tid
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
-- whatever the threads do, and only SIGINT wakes it early. So the last thread to finish (each
-- leaves a marker file in $BENCH_TMP) starts a loop that sends wrk SIGINT until it has exited: a
-- single signal can land on a worker thread, which sets wrk's stop flag but leaves main asleep.
-- Not os.execute: system() ignores SIGINT in the calling process while its command runs.
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
  io.popen(string.format(
    "(while kill -INT %d 2>/dev/null; do sleep 0.2; done) >/dev/null 2>&1 &", pid)):close()
end

-- Timed phases. wrk's own -d stops wherever the requests are, leaving answers unread; then a
-- stored event may never have been acknowledged. With seconds=N instead, the script starts items
-- for N seconds, then parks each connection once its answer is in (delay() returning an hour) and
-- stops wrk when nothing is in flight: every event sent has its answer counted. Figures count the
-- answers that arrived within the N seconds (in_window) over N seconds; the drain is left out.
local timed = { outstanding = 0, in_window = 0 }
M.timed = timed

function M.start_clock(seconds)
  timed.deadline = M.now() + seconds
end

function M.over()
  return M.finished or (timed.deadline ~= nil and M.now() >= timed.deadline)
end

-- delay(): 0 while the phase runs, an hour once it is over or the thread has sent its share
-- (M.parked): the thread stops long before.
function M.delay()
  if M.parked or M.over() then return 3600000 end
  return 0
end

function M.sent_one()
  timed.outstanding = timed.outstanding + 1
end

-- Call from response() for every answer to a real item, after counting it: true when it came
-- within the phase. Stops the thread (see finish) once the phase is over and nothing is in flight.
function M.answered_one(nthreads)
  timed.outstanding = timed.outstanding - 1
  if not M.over() then
    timed.in_window = timed.in_window + 1
    in_window = timed.in_window
    return true
  end
  if timed.outstanding <= 0 then
    M.finish(nthreads)
  end
  return false
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
