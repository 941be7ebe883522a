-- Counts what the store holds: GET /events?summary=true for users u0 .. u<contacts-1>, each once,
-- summing every summary count. Summaries are kept on ingest and cover all history.
-- Args: token= threads= contacts=
-- Counters: stored (sum of counts), users (summaries read), other (any other answer).
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")

setup = common.setup
stored, users, other = 0, 0, 0

local headers, nthreads, quota

function init(args)
  local a = common.args(args)
  headers = common.headers(a)
  headers["Content-Type"] = nil
  nthreads = tonumber(common.need(a, "threads"))
  local total = tonumber(common.need(a, "contacts"))
  quota = common.share(total, nthreads)
end

local counter = 0

function request()
  if common.is_probe_call() or counter >= quota then
    return common.probe_request()
  end
  local id = common.item(counter, nthreads)
  counter = counter + 1
  return wrk.format("GET", "/events?type=user&summary=true&user_id=u" .. id, headers)
end

function response(status, _, body)
  if status == 200 and body:find('"status":"ok"', 1, true) then
    return
  end
  if status == 200 and body:find('"event.summary"', 1, true) then
    users = users + 1
    for count in body:gmatch('"count":(%d+)') do
      stored = stored + tonumber(count)
    end
  else
    other = other + 1
  end
  if users + other >= quota then
    common.finish(nthreads)
  end
end

done = common.done({ "stored", "users", "other" })
