-- GET /events for a random user: the first page of the list, or with summary=1 the summary.
-- Args: token= contacts= [summary=1]
-- Counters: ok (200s), empty (200s whose list or summary had no event), other (any other answer).
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")

setup = common.setup
ok, empty, other = 0, 0, 0

local headers, ncontacts, suffix

function init(args)
  local a = common.args(args)
  headers = common.headers(a)
  headers["Content-Type"] = nil
  ncontacts = tonumber(common.need(a, "contacts"))
  suffix = a.summary == "1" and "&summary=true" or ""
  math.randomseed(os.time() * 100 + tid)
end

function request()
  local user = math.random(0, ncontacts - 1)
  return wrk.format("GET", "/events?type=user&user_id=u" .. user .. suffix, headers)
end

function response(status, _, body)
  if status == 200 then
    ok = ok + 1
    if body:find('"events":[]', 1, true) then
      empty = empty + 1
    end
  else
    other = other + 1
  end
end

done = common.done({ "ok", "empty", "other" })
