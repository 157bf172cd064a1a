/**
 * The child process of the memory part (`node --expose-gc --import tsx bench/memory-probe.ts
 * <feed URL> <count>`): measures the heap and RSS after a forced GC, creates `requireAuth` with
 * `revocations: { url }`, waits until the feed has synced and the subscriber holds `count`
 * revocations, forces GC again, measures again, and sends both to the parent over IPC.
 *
 * `fetch` is used once before the first measurement, so that loading undici is not counted as
 * the revocations' memory.
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import { requireAuth } from '@gatehouse/express'
import { AUDIENCE, FEED_TOKEN, ISSUER } from './config.js'

/** One memory reading, bytes. */
export interface MemoryReading {
  readonly heapUsed: number
  readonly rss: number
}

/** What the probe sends to the parent. */
export interface ProbeReport {
  readonly before: MemoryReading
  readonly after: MemoryReading
  /** Revocations held at the second reading. */
  readonly size: number
  /** From creating the middleware to the subscriber holding `count` entries, ms. */
  readonly syncMs: number
}

const WAIT_LIMIT_MS = 120_000

const [url, countText] = process.argv.slice(2)
const count = Number(countText)
if (!url || !Number.isInteger(count)) throw new Error('usage: memory-probe.ts <feed URL> <count>')
const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with --expose-gc')

await (await fetch(url.replace(/\/revocations$/, '/.well-known/jwks.json'))).arrayBuffer()
const before = settledMemory(gc)
const started = performance.now()
const handler = requireAuth({
  issuer: ISSUER,
  audience: AUDIENCE,
  algorithms: ['HS256'],
  secret: randomBytes(48).toString('base64url'),
  revocations: { url, token: FEED_TOKEN },
})
const subscriber = await handler.revocations
if (!subscriber) throw new Error('requireAuth did not subscribe to the feed')
await subscriber.synced
const deadline = Date.now() + WAIT_LIMIT_MS
while (subscriber.size < count && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 10))
}
const syncMs = performance.now() - started
const after = settledMemory(gc)
const report: ProbeReport = { before, after, size: subscriber.size, syncMs }
process.send?.(report, () => {
  handler.close()
  process.exit(0)
})

/** Memory after a few full collections (one may leave finalizable garbage for the next). */
function settledMemory(collect: () => void): MemoryReading {
  for (let i = 0; i < 3; i++) collect()
  const { heapUsed, rss } = process.memoryUsage()
  return { heapUsed, rss }
}
