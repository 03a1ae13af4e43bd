package store

import "github.com/redis/go-redis/v9"

// schedClaimScript takes what is due from both queues, check-ins and reminders,
// in one atomic step, so that replicas ticking at once never share an item.
// Before claiming, leases that ran out go back to their queue, unless the
// person has a newer item queued meanwhile (ZADD NX: the newer one wins).
//
// KEYS[1]  check-in queue (ZSET user → due ms)
// KEYS[2]  check-in leases (ZSET "user:due ms" → lease end ms)
// KEYS[3]  reminder queue
// KEYS[4]  reminder leases
//
// ARGV[1]  now, Unix ms
// ARGV[2]  at most this many items from each queue
// ARGV[3]  lease length, ms
//
// Returns two flat arrays, check-ins then reminders: user, due ms, user, ...
var schedClaimScript = redis.NewScript(`
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local deadline = now + tonumber(ARGV[3])

local function claim(queue, leased)
  local back = redis.call('ZRANGEBYSCORE', leased, '-inf', now, 'LIMIT', 0, limit)
  for _, m in ipairs(back) do
    local sep = string.find(m, ':', 1, true)
    redis.call('ZREM', leased, m)
    redis.call('ZADD', queue, 'NX', string.sub(m, sep + 1), string.sub(m, 1, sep - 1))
  end
  local due = redis.call('ZRANGEBYSCORE', queue, '-inf', now, 'WITHSCORES', 'LIMIT', 0, limit)
  local out = {}
  for i = 1, #due, 2 do
    local user, at = due[i], due[i + 1]
    redis.call('ZREM', queue, user)
    redis.call('ZADD', leased, deadline, user .. ':' .. at)
    out[#out + 1] = user
    out[#out + 1] = at
  end
  return out
end

return {claim(KEYS[1], KEYS[2]), claim(KEYS[3], KEYS[4])}
`)

// schedCompleteScript finishes a claimed item: drops its lease and queues the
// person's next item, in one atomic step, so that a crash leaves either the
// lease (and the item comes back) or the next item, never neither.
//
// If the lease ran out and the same item went back to the queue, that copy is
// removed: it is done. If the lease ran out and another replica claimed the
// item again, nothing is done here; that replica finishes it. The next item
// is not queued over one already queued (a change the person made meanwhile
// wins), nor, for a check-in, unless the person's enrolment is active.
//
// KEYS[1]  queue (ZSET user → due ms)
// KEYS[2]  leases (ZSET "user:due ms" → lease end ms)
// KEYS[3]  enrolments (HASH user → short form, active when it starts with "0")
//
// ARGV[1]  user id
// ARGV[2]  the item's due ms
// ARGV[3]  the next item's due ms, or "0" for none
// ARGV[4]  "1" to queue the next item only for an active enrolment
//
// Returns 1 if the item was finished here, 0 if another replica holds it.
var schedCompleteScript = redis.NewScript(`
local user = ARGV[1]
local held = redis.call('ZREM', KEYS[2], user .. ':' .. ARGV[2])
local cur = redis.call('ZSCORE', KEYS[1], user)
if cur and tonumber(cur) == tonumber(ARGV[2]) then
  redis.call('ZREM', KEYS[1], user)
  cur = false
  held = 1
end
if held == 0 then
  return 0
end
if ARGV[3] == '0' or cur then
  return 1
end
if ARGV[4] == '1' then
  local v = redis.call('HGET', KEYS[3], user)
  if not v or string.sub(v, 1, 1) ~= '0' then
    return 1
  end
end
redis.call('ZADD', KEYS[1], ARGV[3], user)
return 1
`)

// checkinPutScript records one check-in in a person's history, keeps the
// newest entries and restarts the history's expiry.
//
// KEYS[1]  history (ZSET due ms → JSON entry)
//
// ARGV[1]  the check-in's due ms
// ARGV[2]  the entry, JSON
// ARGV[3]  "1" to replace an entry for the same check-in, "0" to write only
//
//	if there is none (so that a repeated send records nothing new)
//
// ARGV[4]  how many entries to keep
// ARGV[5]  expiry, ms; 0 leaves the expiry as it is
//
// Returns 1 if it wrote, 0 if an entry was there and ARGV[3] is "0".
var checkinPutScript = redis.NewScript(`
local old = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1])
if #old > 0 then
  if ARGV[3] ~= '1' then
    return 0
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1])
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[4]) + 1))
if tonumber(ARGV[5]) > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
end
return 1
`)
