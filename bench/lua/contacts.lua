-- POST /contacts for users u0 .. u<contacts-1>, each exactly once, then stop.
-- Args: token= threads= contacts=
-- Counters: created (2xx), existed (409: already there from an earlier run), other.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")

setup = common.setup
created, existed, other = 0, 0, 0

local headers, nthreads, quota

function init(args)
  local a = common.args(args)
  headers = common.headers(a)
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
  return wrk.format("POST", "/contacts", headers, '{"role":"user","external_id":"u' .. id .. '"}')
end

function response(status, _, body)
  if status == 200 and body:find('"status":"ok"', 1, true) then
    return
  end
  if status >= 200 and status < 300 then
    created = created + 1
  elseif status == 409 then
    existed = existed + 1
  else
    other = other + 1
  end
  if created + existed + other >= quota then
    common.finish(nthreads)
  end
end

done = common.done({ "created", "existed", "other" })
