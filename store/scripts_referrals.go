package store

import "github.com/redis/go-redis/v9"

// createReferralScript writes a referral unless its reference is taken.
//
// KEYS[1]  referral key (HASH)
// KEYS[2]  history key (LIST)
//
// ARGV[1]  the first history event
// ARGV[2…] field, value, field, value … of the referral
//
// Returns nil if it wrote the referral, or the stored referral's HGETALL
// (field, value, …) if the reference was already taken.
var createReferralScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('HGETALL', KEYS[1])
end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('RPUSH', KEYS[2], ARGV[1])
return false
`)

// takeFollowUpsScript takes the due follow-ups: it moves each to the end of
// its lease, so that another caller does not take it meanwhile.
//
// KEYS[1]  the follow-ups schedule (ZSET)
//
// ARGV[1]  now, Unix ms
// ARGV[2]  the end of the lease, Unix ms
// ARGV[3]  how many to take at most
//
// Returns the references taken.
var takeFollowUpsScript = redis.NewScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, ref in ipairs(due) do
  redis.call('ZADD', KEYS[1], 'XX', ARGV[2], ref)
end
return due
`)
