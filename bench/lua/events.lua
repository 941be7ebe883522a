-- POST /events, one unique event per request, for seconds= seconds (see common.lua: timed phases).
-- Args: token= tag= threads= contacts= base= seconds=
--   tag       event name, different for every wrk invocation, so no two invocations collide
--   contacts  events go to users u0 .. u<contacts-1>, round robin
--   base      unix seconds; created_at counts down from it
-- Uniqueness: seq = counter*threads + tid is unique across threads; the contact is seq % contacts
-- and created_at = base - seq // contacts, so (contact, name, created_at) never repeats.
-- Counters: sent (events sent), accepted (202s), other (any other answer), in_window (answers
-- within the phase).
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")

setup = common.setup
delay = common.delay
sent, accepted, other, in_window = 0, 0, 0, 0

local headers, tag, nthreads, ncontacts, base

function init(args)
  local a = common.args(args)
  headers = common.headers(a)
  tag = common.need(a, "tag")
  nthreads = tonumber(common.need(a, "threads"))
  ncontacts = tonumber(common.need(a, "contacts"))
  base = tonumber(common.need(a, "base"))
  common.start_clock(tonumber(common.need(a, "seconds")))
end

local counter = 0

function request()
  if common.is_probe_call() or common.finished then return common.probe_request() end
  local seq = counter * nthreads + tid
  counter = counter + 1
  sent = sent + 1
  common.sent_one()
  local body = string.format(
    '{"event_name":"%s","created_at":%d,"user_id":"u%d",'
      .. '"metadata":{"order_number":"o-%d","price":{"amount":%d,"currency":"usd"}}}',
    tag, base - math.floor(seq / ncontacts), seq % ncontacts, seq, 100 + seq % 9900)
  return wrk.format("POST", "/events", headers, body)
end

function response(status, _, body)
  if status == 200 and body:find('"status":"ok"', 1, true) then return end
  if status == 202 then
    accepted = accepted + 1
  else
    other = other + 1
  end
  common.answered_one(nthreads)
end

done = common.done({ "sent", "accepted", "other", "in_window" })
