-- POST /events, one unique event per request.
-- Args: token= tag= threads= contacts= base=
--   tag       event name, different for every wrk invocation, so no two invocations collide
--   contacts  events go to users u0 .. u<contacts-1>, round robin
--   base      unix seconds; created_at counts down from it
-- Uniqueness: seq = counter*threads + tid is unique across threads; the contact is seq % contacts
-- and created_at = base - seq // contacts, so (contact, name, created_at) never repeats.
-- Counters: sent (events sent), accepted (202s), other (any other answer).
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")

setup = common.setup
sent, accepted, other = 0, 0, 0

local headers, tag, nthreads, ncontacts, base

function init(args)
  local a = common.args(args)
  headers = common.headers(a)
  tag = common.need(a, "tag")
  nthreads = tonumber(common.need(a, "threads"))
  ncontacts = tonumber(common.need(a, "contacts"))
  base = tonumber(common.need(a, "base"))
end

local counter = 0

function request()
  if common.is_probe_call() then return common.probe_request() end
  local seq = counter * nthreads + tid
  counter = counter + 1
  sent = sent + 1
  local body = string.format(
    '{"event_name":"%s","created_at":%d,"user_id":"u%d",'
      .. '"metadata":{"order_number":"o-%d","price":{"amount":%d,"currency":"usd"}}}',
    tag, base - math.floor(seq / ncontacts), seq % ncontacts, seq, 100 + seq % 9900)
  return wrk.format("POST", "/events", headers, body)
end

function response(status)
  if status == 202 then
    accepted = accepted + 1
  else
    other = other + 1
  end
end

done = common.done({ "sent", "accepted", "other" })
