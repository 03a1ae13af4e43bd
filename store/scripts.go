package store

import (
	"time"

	"github.com/redis/go-redis/v9"
)

// Results of commitScript below zero: why nothing was written.
const (
	commitConflict  = -1
	commitDuplicate = -2
)

// commitScript is the whole of Commit in one atomic step: dedupe, compare-and-set
// on the session's version, write or erase, append to the outbox, refresh expiry.
// It rejects before it writes anything, so a refused commit leaves no trace.
//
// The session is written with its idle expiry every time. The profile's and
// the outbox's expiry is set only when it has run down by more than its
// slack (expirySlack): they expire between the TTL less the slack and the
// TTL after the person's last commit, never after the session. The seen
// ids' key is given the window and its slack when less than the window is
// left, so an id is always remembered for the whole window; ids older than
// the window are dropped every sixteenth version of the session, and are
// passed over by the check meanwhile.
//
// KEYS[1]  session key (STRING "<version>:<data>")
// KEYS[2]  outbox key (LIST)
// KEYS[3]  seen key (ZSET of update ids, scored by milliseconds)
// KEYS[4]  profile key (HASH)
// KEYS[5]  outbox lease key (STRING owner)
// KEYS[6]  render state key (HASH)
// KEYS[7…] when erasing: every other key of the person, found by SCAN
// KEYS[…]  when ARGV[12] is not "": the index of pending outboxes (ZSET),
// never erased
// KEYS[last ARGV[13]] the sending limits to book (STRING, as reserveScript),
// never erased
//
// ARGV[1]  the version the caller loaded (0: no session may exist)
// ARGV[2]  "1" to erase every key in KEYS first, "0" not to
// ARGV[3]  the encoded session; when erasing, one given is written afresh
// ARGV[3]  once the keys are gone, and "" writes none
// ARGV[4]  the version to give a session written where none exists
// ARGV[5]  idle TTL in milliseconds; 0 means the keys do not expire
// ARGV[6]  the update id, or "0" for none
// ARGV[7]  now, Unix milliseconds
// ARGV[8]  dedupe window in milliseconds
// ARGV[9]  owner to lease the outbox to once written, or "" for no lease
// ARGV[10] the lease in milliseconds
// ARGV[11] how many outbox entries the lease reads at most
// ARGV[12] the chat's id, to mark its outbox pending in KEYS[last] at the
// server's time when entries are added (as indexScript does), or "" when
// the caller marks it apart (on Cluster the index is in another slot)
// ARGV[13] how many sending limits to book, k (0 on Cluster, where the
// limits are in other slots and booked apart by reserveScript)
// ARGV[14…13+3k] for each limit, as reserveScript's ARGV: emission
// interval (ms), burst, slots
// ARGV[14+3k…] outbox entries, in order
//
// Returns -1 if the stored version is not ARGV[1], or -2 if ARGV[6] was
// applied within the window. Otherwise, without an owner, the new version
// (0 after an erasure that wrote no session); with one, {version, 0} when another owner holds the
// lease, else {version, 1, entries, render field/value list}, and when
// limits were to be booked and entries were leased, a fifth value: what
// reserveScript answers for them, booked at the one "now". Slots are booked
// only for an outbox the commit leases: a refused commit books none, and
// the sender holding another's lease books its own.
//
// Versions are Lua doubles here, exact up to 2^53; they are built from Unix
// microseconds, which stay below that for two more centuries.
var commitScript = redis.NewScript(`
local cur = 0
local head = redis.call('GETRANGE', KEYS[1], 0, 20)
if head ~= '' then
  local sep = string.find(head, ':', 1, true)
  if not sep then
    return redis.error_reply('session value has no version header')
  end
  cur = tonumber(string.sub(head, 1, sep - 1))
end

local id = ARGV[6]
local now = tonumber(ARGV[7])
local window = tonumber(ARGV[8])
local cutoff = now - window
if id ~= '0' then
  local at = redis.call('ZSCORE', KEYS[3], id)
  if at and tonumber(at) > cutoff then
    return -2
  end
end
if cur ~= tonumber(ARGV[1]) then
  return -1
end

local ttl = tonumber(ARGV[5])
-- An idle expiry is refreshed only when it has run down by more than its
-- slack, a sixty-fourth of it and at most an hour (see expirySlack): a key
-- of a person writing often is not given a new expiry at every commit.
local function slack(ms)
  return math.min(math.floor(ms / 64), 3600000)
end
-- keep gives key (if it exists) an expiry of ms: when it has none, or
-- more than ms, or less than ms less its slack.
local function keep(key, ms)
  local left = redis.call('PTTL', key)
  if left == -1 or left > ms or (left >= 0 and left < ms - slack(ms)) then
    redis.call('PEXPIRE', key, ms)
  end
end
local new = 0
local erase = ARGV[2] == '1'
local limits = tonumber(ARGV[13])
local first = 14 + 3 * limits -- the first outbox entry
local nkeys = #KEYS - limits
local index = nil
if ARGV[12] ~= '' then
  index = KEYS[nkeys]
  nkeys = nkeys - 1
end
if erase then
  redis.call('DEL', unpack(KEYS, 1, nkeys))
end
if not erase or ARGV[3] ~= '' then
  if cur == 0 or erase then new = tonumber(ARGV[4]) else new = cur + 1 end
  local value = string.format('%d:', new) .. ARGV[3]
  if ttl > 0 then
    redis.call('SET', KEYS[1], value, 'PX', ttl)
    keep(KEYS[4], ttl)
  else
    redis.call('SET', KEYS[1], value)
    redis.call('PERSIST', KEYS[4])
  end
  -- Ids older than the window are dropped every sixteenth version: the
  -- check above passes them over meanwhile.
  if new % 16 == 0 then
    redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', cutoff)
  end
  if id ~= '0' then
    redis.call('ZADD', KEYS[3], now, id)
    -- Never less than the window left: the id just added is remembered
    -- for all of it.
    local left = redis.call('PTTL', KEYS[3])
    if left < window then
      redis.call('PEXPIRE', KEYS[3], window + slack(window))
    end
  end
end

-- The server's clock, read once: {seconds, microseconds}.
local t = nil
local function clock()
  if not t then t = redis.call('TIME') end
  return t
end

-- unpack in slices: Lua's stack is bounded, an outbox batch need not be.
local last = #ARGV
if index and last >= first then
  local c = clock()
  redis.call('ZADD', index, tonumber(c[1]) * 1000 + math.floor(tonumber(c[2]) / 1000), ARGV[12])
end
local len = 0
for i = first, last, 200 do
  len = redis.call('RPUSH', KEYS[2], unpack(ARGV, i, math.min(i + 199, last)))
end
if ttl <= 0 then
  redis.call('PERSIST', KEYS[2])
elseif last >= first and len == last - first + 1 then
  redis.call('PEXPIRE', KEYS[2], ttl) -- the outbox is new
else
  keep(KEYS[2], ttl)
end

local owner = ARGV[9]
if owner == '' then
  return new
end
local holder = redis.call('GET', KEYS[5])
if holder and holder ~= owner then
  return {new, 0}
end
local entries = redis.call('LRANGE', KEYS[2], 0, tonumber(ARGV[11]) - 1)
if #entries == 0 then
  return {new, 1, entries, {}}
end
redis.call('SET', KEYS[5], owner, 'PX', ARGV[10])
local render = redis.call('HGETALL', KEYS[6])
if limits == 0 then
  return {new, 1, entries, render}
end
-- Booked as reserveScript books them.
local c = clock()
local at = tonumber(c[1]) * 1000 + tonumber(c[2]) / 1000
local booked = {}
for i = 1, limits do
  local key = KEYS[#KEYS - limits + i]
  local interval = tonumber(ARGV[11 + 3 * i])
  local burst = tonumber(ARGV[12 + 3 * i])
  local n = tonumber(ARGV[13 + 3 * i])
  local tat = tonumber(redis.call('GET', key) or at)
  if tat < at then tat = at end
  local stored = string.format('%.3f', tat + n * interval)
  redis.call('SET', key, stored, 'PX', math.ceil(tat + n * interval - at + 1000))
  booked[2 * i - 1] = string.format('%.3f', tat - (burst - 1) * interval - at)
  booked[2 * i] = stored
end
return {new, 1, entries, render, booked}
`)

// expirySlack is how far an idle expiry may run down before the commit
// script sets it again: a sixty-fourth of it, at most an hour (the script
// computes it itself; this is for tests and readers).
func expirySlack(ttl time.Duration) time.Duration {
	return min(time.Duration(ttl.Milliseconds()/64)*time.Millisecond, time.Hour)
}
