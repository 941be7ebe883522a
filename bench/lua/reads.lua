-- GET /events for a random user: the first page of the list, or with summary=1 the summary, for
-- seconds= seconds (common.lua: timed phases).
-- Args: token= threads= contacts= seconds= [summary=1]
-- Counters: ok (200s), empty (200s whose list or summary had no event), other (any other answer),
-- in_window (answers within the phase).
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")

setup = common.setup
delay = common.delay
ok, empty, other, in_window = 0, 0, 0, 0

local headers, nthreads, ncontacts, suffix

function init(args)
  local a = common.args(args)
  headers = common.headers(a)
  headers["Content-Type"] = nil
  nthreads = tonumber(common.need(a, "threads"))
  ncontacts = tonumber(common.need(a, "contacts"))
  suffix = a.summary == "1" and "&summary=true" or ""
  math.randomseed(os.time() * 100 + tid)
  common.start_clock(tonumber(common.need(a, "seconds")))
end

function request()
  if common.is_probe_call() or common.finished then return common.probe_request() end
  common.sent_one()
  local user = math.random(0, ncontacts - 1)
  return wrk.format("GET", "/events?type=user&user_id=u" .. user .. suffix, headers)
end

function response(status, _, body)
  if status == 200 and body:find('"status":"ok"', 1, true) then return end
  if status == 200 then
    ok = ok + 1
    if body:find('"events":[]', 1, true) then
      empty = empty + 1
    end
  else
    other = other + 1
  end
  common.answered_one(nthreads)
end

done = common.done({ "ok", "empty", "other", "in_window" })
