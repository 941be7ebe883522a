-- POST /browser/{app_id}/events: what Tally's widget script sends from pages, `per` events a
-- request for verified users, as a page flushes its batch.
-- Args: app= origin= hashes= threads= users= per= tag= seconds=
--   app      the workspace's public app id
--   origin   an origin the workspace allows (sent as Origin, as browsers do)
--   hashes   a file of "<user_id> <user_hash>" lines, one per user u0 .. u<users-1>
-- Request r of thread tid goes to user (r*threads + tid) % users with a fresh batch_id; its events
-- cycle over 5 names, so a user's batches a few seconds apart never meet in the same second.
-- Counters: sent, accepted / duplicates / rejected (from the answers), batches_ok, other,
-- in_window, accepted_in_window (as batch.lua).
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")

setup = common.setup
delay = common.delay
sent, accepted, duplicates, rejected, batches_ok, other = 0, 0, 0, 0, 0, 0
in_window, accepted_in_window = 0, 0

local NAMES = { "viewed-page", "clicked-button", "added-to-cart", "searched", "opened-menu" }
local headers, path, nthreads, nusers, per, tag
local hashes = {}

function init(args)
  local a = common.args(args)
  path = "/browser/" .. common.need(a, "app") .. "/events"
  headers = { ["Content-Type"] = "text/plain;charset=UTF-8", ["Origin"] = common.need(a, "origin") }
  nthreads = tonumber(common.need(a, "threads"))
  nusers = tonumber(common.need(a, "users"))
  per = tonumber(common.need(a, "per"))
  tag = common.need(a, "tag")
  for line in io.lines(common.need(a, "hashes")) do
    local user, hash = line:match("^(%S+) (%x+)$")
    hashes[#hashes + 1] = { user, hash }
  end
  if #hashes < nusers then error("hashes file has " .. #hashes .. " users, need " .. nusers) end
  common.start_clock(tonumber(common.need(a, "seconds")))
end

local counter = 0

function request()
  if common.is_probe_call() or common.finished then return common.probe_request() end
  local r = common.item(counter, nthreads)
  counter = counter + 1
  local user = hashes[r % nusers + 1]
  local events = {}
  for i = 0, per - 1 do
    events[i + 1] = string.format(
      '{"event_name":"%s","metadata":{"page":"/p/%d","price":{"amount":%d,"currency":"usd"}}}',
      NAMES[i % #NAMES + 1], r, 100 + r % 9900)
  end
  sent = sent + per
  common.sent_one()
  local body = string.format('{"batch_id":"%s-%08d","user_id":"%s","user_hash":"%s","events":[%s]}',
    tag, r, user[1], user[2], table.concat(events, ","))
  return wrk.format("POST", path, headers, body)
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
  if common.answered_one(nthreads) then
    accepted_in_window = accepted_in_window + n
  end
end

done = common.done({ "sent", "accepted", "duplicates", "rejected", "batches_ok", "other", "in_window",
  "accepted_in_window" })
