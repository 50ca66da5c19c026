// Lua run inside Redis so that check-and-increment across all four dimensions is one atomic step
// (Redis runs a script with nothing interleaved). A limit of -1 means unlimited and its counter is
// not touched. The scripts take `now` from the gateway so windows line up with the memory backend
// and tests can drive time; each window's counter is its own key, so clock skew between replicas
// only moves a request into a neighbouring window and never lets a window exceed its limit.

/**
 * KEYS: second counter, minute counter, minute token counter, in-flight lease set.
 * ARGV: burst limit, per-minute limit, tokens-per-minute limit, max concurrent, estimated tokens,
 *       lease id, now (ms), lease ttl (ms), second key ttl (ms), minute key ttl (ms).
 * Returns {admitted 0|1, reason, burstCount, minuteCount, minuteTokens, inFlight}.
 */
export const admitScript = `
local burstLimit = tonumber(ARGV[1])
local minuteLimit = tonumber(ARGV[2])
local tokenLimit = tonumber(ARGV[3])
local maxConcurrent = tonumber(ARGV[4])
local estimate = tonumber(ARGV[5])
local now = tonumber(ARGV[7])
local burst = 0
local minuteCount = 0
local minuteTokens = 0
local inFlight = 0
if burstLimit >= 0 then burst = tonumber(redis.call('GET', KEYS[1]) or '0') end
if minuteLimit >= 0 then minuteCount = tonumber(redis.call('GET', KEYS[2]) or '0') end
if tokenLimit >= 0 then minuteTokens = tonumber(redis.call('GET', KEYS[3]) or '0') end
if maxConcurrent >= 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
  inFlight = redis.call('ZCARD', KEYS[4])
end
local function refuse(reason)
  return {0, reason, burst, minuteCount, minuteTokens, inFlight}
end
if tokenLimit >= 0 and estimate > tokenLimit then return refuse('request_too_large') end
if burstLimit >= 0 and burst >= burstLimit then return refuse('burst') end
if minuteLimit >= 0 and minuteCount >= minuteLimit then return refuse('requests_per_minute') end
if tokenLimit >= 0 and minuteTokens + estimate > tokenLimit then return refuse('tokens_per_minute') end
if maxConcurrent >= 0 and inFlight >= maxConcurrent then return refuse('concurrency') end
if burstLimit >= 0 then
  burst = redis.call('INCR', KEYS[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[9])
end
if minuteLimit >= 0 then
  minuteCount = redis.call('INCR', KEYS[2])
  redis.call('PEXPIRE', KEYS[2], ARGV[10])
end
if tokenLimit >= 0 then
  minuteTokens = redis.call('INCRBY', KEYS[3], estimate)
  redis.call('PEXPIRE', KEYS[3], ARGV[10])
end
if maxConcurrent >= 0 then
  redis.call('ZADD', KEYS[4], now + tonumber(ARGV[8]), ARGV[6])
  redis.call('PEXPIRE', KEYS[4], ARGV[8])
  inFlight = inFlight + 1
end
return {1, 'ok', burst, minuteCount, minuteTokens, inFlight}
`

/**
 * KEYS: the minute token counter the estimate went to, the in-flight lease set.
 * ARGV: lease id, token correction (actual - estimate), whether a slot was held ('1' or '0').
 * The correction applies only while that minute's counter still exists (an expired window is gone).
 */
export const finishScript = `
if ARGV[3] == '1' then redis.call('ZREM', KEYS[2], ARGV[1]) end
local delta = tonumber(ARGV[2])
if delta ~= 0 and redis.call('EXISTS', KEYS[1]) == 1 then
  local value = redis.call('INCRBY', KEYS[1], delta)
  if value < 0 then redis.call('SET', KEYS[1], '0', 'KEEPTTL') end
end
return 1
`
