-- A saved segment, asked again and again for seconds= seconds (common.lua: timed phases): with
-- mode=count GET /segments/<id>?include_count=true (the member count), with mode=page the first
-- page of its members, POST /contacts/search {"query":{"field":"segment_id",...}} (50 contacts
-- and the exact total_count).
-- Args: token= threads= seconds= id= mode=count|page
-- Counters: ok (200s), other (any other answer), in_window (answers within the phase), members
-- (the count or total_count of thread 0's last answer).
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")

setup = common.setup
delay = common.delay
ok, other, in_window, members = 0, 0, 0, 0

local headers, nthreads, id, mode, search_body

function init(args)
  local a = common.args(args)
  headers = common.headers(a)
  nthreads = tonumber(common.need(a, "threads"))
  id = common.need(a, "id")
  mode = common.need(a, "mode")
  search_body = '{"query":{"field":"segment_id","operator":"=","value":"' .. id .. '"},'
    .. '"pagination":{"per_page":50}}'
  common.start_clock(tonumber(common.need(a, "seconds")))
end

function request()
  if common.is_probe_call() or common.finished then return common.probe_request() end
  common.sent_one()
  if mode == "count" then
    local h = {}
    for k, v in pairs(headers) do h[k] = v end
    h["Content-Type"] = nil
    return wrk.format("GET", "/segments/" .. id .. "?include_count=true", h)
  end
  return wrk.format("POST", "/contacts/search", headers, search_body)
end

function response(status, _, body)
  if status == 200 and body:find('"status":"ok"', 1, true) then return end
  if status == 200 then
    ok = ok + 1
    -- done() adds each counter up over the threads: only thread 0 keeps the member count.
    local n = body:match('"count":(%d+)') or body:match('"total_count":(%d+)')
    if n and tid == 0 then members = tonumber(n) end
  else
    other = other + 1
  end
  common.answered_one(nthreads)
end

done = common.done({ "ok", "other", "in_window", "members" })
