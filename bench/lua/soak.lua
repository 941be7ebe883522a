-- POST /events for bench/soak: one unique event per request at a fixed total rate (rate=0: as fast
-- as the connections go, to measure the capacity). Each connection waits connections/rate seconds
-- between its requests, through wrk's delay().
-- Args: token= tag= rate= connections= contacts= base=
-- Prints `SLICE requests=.. errors=.. p50_us=.. p99_us=.. max_us=..`: errors are answers other than
-- 202 plus wrk's socket errors.
local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

local headers, tag, interval_ms, ncontacts, base
local counter = 0
other = 0

function init(args)
  local a = {}
  for _, word in ipairs(args) do
    local k, v = word:match("^([%w_]+)=(.*)$")
    a[k] = v
  end
  headers = { ["Authorization"] = "Bearer " .. a.token, ["Content-Type"] = "application/json" }
  tag = a.tag
  ncontacts = tonumber(a.contacts)
  base = tonumber(a.base)
  local rate = tonumber(a.rate)
  interval_ms = rate > 0 and math.floor(tonumber(a.connections) * 1000 / rate) or 0
end

function delay()
  return interval_ms
end

function request()
  local seq = counter * 64 + tid
  counter = counter + 1
  local body = string.format('{"event_name":"%s","created_at":%d,"user_id":"u%d","metadata":{"n":%d}}',
    tag, base - math.floor(seq / ncontacts), seq % ncontacts, seq)
  return wrk.format("POST", "/events", headers, body)
end

function response(status)
  if status ~= 202 then other = other + 1 end
end

function done(summary, latency)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  for _, thread in ipairs(threads) do errors = errors + thread:get("other") end
  io.write(string.format("SLICE requests=%d duration_us=%d errors=%d p50_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, errors, latency:percentile(50), latency:percentile(99), latency.max))
end
