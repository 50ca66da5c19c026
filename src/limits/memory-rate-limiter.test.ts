import { createMemoryRateLimiter } from './memory-rate-limiter.ts'
import { runRateLimiterContract } from './rate-limiter-contract.ts'

runRateLimiterContract('memory', async () => createMemoryRateLimiter())
