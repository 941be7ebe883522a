-- POST /events/batch: a JSON array of `per` unique events per request.
-- Args: token= tag= threads= contacts= base= per= and batches= or seconds=
--   batches   send exactly this many batches in all (split over the threads), then stop
--   seconds   send for this long, then let the batches in flight finish (common.lua: timed phases)
--   tag       the event name; tag=preload instead spreads 5 names over the store, 20 events a
--             contact (for contacts=50000, 1,000,000 events), created_at 4 hours apart going back
--             from base, within the 90 days that lists show. tag=segments gives each contact 10
--             names, 15 events (round k has name (k + contact) % 10: five names twice, five
--             once, which five depends on the contact), created_at 4 days apart going back from
--             base: the store of the segment rows.
-- Event number e = batch*per + i, batch = counter*threads + tid, so e is unique across threads;
-- the contact is e % contacts and round k = e // contacts sets created_at, so (contact, name,
-- created_at) never repeats.
-- Counters: sent (events sent), accepted / duplicates / rejected (summed from the answers),
-- batches_ok (answers with a batch result), other (any other answer), in_window (answers within
-- the phase), accepted_in_window (events they accepted).
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")

setup = common.setup
delay = common.delay
sent, accepted, duplicates, rejected, batches_ok, other = 0, 0, 0, 0, 0, 0
in_window, accepted_in_window = 0, 0

local NAMES = { "placed-order", "viewed-item", "invited-friend", "updated-plan", "opened-app" }
local SEGMENT_NAMES = { "placed-order", "viewed-item", "invited-friend", "updated-plan", "opened-app",
  "added-card", "left-review", "asked-support", "shared-link", "downgraded" }
local headers, tag, nthreads, ncontacts, base, per, quota

function init(args)
  local a = common.args(args)
  headers = common.headers(a)
  tag = common.need(a, "tag")
  nthreads = tonumber(common.need(a, "threads"))
  ncontacts = tonumber(common.need(a, "contacts"))
  base = tonumber(common.need(a, "base"))
  per = tonumber(common.need(a, "per"))
  if a.batches then
    local total = tonumber(a.batches)
    quota = common.share(total, nthreads)
  else
    common.start_clock(tonumber(common.need(a, "seconds")))
  end
end

local function event(e)
  local c = e % ncontacts
  local k = math.floor(e / ncontacts)
  local name, created
  if tag == "preload" then
    name = NAMES[k % #NAMES + 1]
    created = base - k * 14400 - c % 3600
  elseif tag == "segments" then
    name = SEGMENT_NAMES[(k + c) % #SEGMENT_NAMES + 1]
    created = base - k * 345600 - c % 86400
  else
    name = tag
    created = base - k
  end
  return string.format(
    '{"event_name":"%s","created_at":%d,"user_id":"u%d",'
      .. '"metadata":{"order_number":"o-%d","price":{"amount":%d,"currency":"usd"}}}',
    name, created, c, e, 100 + e % 9900)
end

local counter = 0

function request()
  if common.is_probe_call() or common.finished then return common.probe_request() end
  if quota and counter >= quota then
    common.parked = true
    return common.probe_request()
  end
  local batch = common.item(counter, nthreads)
  counter = counter + 1
  local items = {}
  for i = 0, per - 1 do
    items[i + 1] = event(batch * per + i)
  end
  sent = sent + per
  common.sent_one()
  return wrk.format("POST", "/events/batch", headers, "[" .. table.concat(items, ",") .. "]")
end

function response(status, _, body)
  if status == 200 and body:find('"status":"ok"', 1, true) then return end
  local n = 0
  if body:find('"event.batch_result"', 1, true) then
    batches_ok = batches_ok + 1
    n = tonumber(body:match('"accepted":(%d+)'))
    accepted = accepted + n
    duplicates = duplicates + tonumber(body:match('"duplicates":(%d+)'))
    rejected = rejected + tonumber(body:match('"rejected":(%d+)'))
  else
    other = other + 1
  end
  if quota then
    if batches_ok + other >= quota then common.finish(nthreads) end
  elseif common.answered_one(nthreads) then
    accepted_in_window = accepted_in_window + n
  end
end

done = common.done({ "sent", "accepted", "duplicates", "rejected", "batches_ok", "other", "in_window",
  "accepted_in_window" })
