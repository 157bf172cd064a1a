/**
 * The move to the hash-tagged key layout on one Redis: the revocation log written under the old
 * names (and the sweep's indexes) is renamed once, so API servers keep the revocations in force
 * and the epoch; a second start moves nothing, and a log already under the new names is never
 * overwritten.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nowSeconds } from '../../../src/lib/time.js'
import { createRedisRevocationStore } from '../../../src/store/redis/redis-revocation-store.js'
import { upgradeRedisKeyLayout } from '../../../src/store/redis/upgrade-key-layout.js'
import {
  keysUnder,
  openRedis,
  type RedisTestContext,
  shouldRunRedisTests,
} from './redis-store-kit.js'

const runRedisTests = await shouldRunRedisTests('Redis key layout upgrade tests')

describe.runIf(runRedisTests)('upgrading a Redis to the hash-tagged key layout', () => {
  let context: RedisTestContext
  beforeAll(async () => {
    context = await openRedis()
  })
  afterAll(() => context?.cleanUp())

  /** A log as the layout before the hash tag wrote it: epoch `old-epoch`, entries 1 and 2. */
  async function writeOldLayout(prefix: string, now: number) {
    const member = (id: number, sid: string) => `${id}:sid:${now + 600}:${sid}`
    await context.redis.set(`${prefix}revocations:epoch`, 'old-epoch')
    await context.redis.set(`${prefix}revocations:last-id`, '2')
    for (const set of ['log', 'expiry']) {
      await context.redis.zadd(
        `${prefix}revocations:${set}`,
        set === 'log' ? 1 : now + 600,
        member(1, 'sid-a'),
        set === 'log' ? 2 : now + 600,
        member(2, 'sid-b'),
      )
    }
    await context.redis.zadd(`${prefix}sessions:last-used`, now, 'sid-c')
  }

  it('keeps the old log, its epoch and its ids, and moves nothing the second time', async () => {
    const prefix = `${context.prefix}move:`
    const now = nowSeconds()
    await writeOldLayout(prefix, now)
    expect(await upgradeRedisKeyLayout(context.redis, prefix)).toBe(5)
    expect(await upgradeRedisKeyLayout(context.redis, prefix)).toBe(0)
    const store = createRedisRevocationStore({ redis: context.redis, prefix })
    const listed = await store.listActive(now, 0, 10)
    expect(listed.epoch).toBe('old-epoch')
    expect(listed.entries.map((entry) => [entry.id, entry.value])).toEqual([
      [1, 'sid-a'],
      [2, 'sid-b'],
    ])
    expect(
      (await store.add([{ kind: 'sid', value: 'sid-d', expiresAt: now + 60 }], now))[0]?.id,
    ).toBe(3)
    const left = await keysUnder(context.redis, prefix)
    expect(left.filter((key) => !key.startsWith(`${prefix}{sessions}:`))).toEqual([])
  })

  it('never overwrites a log already kept under the new names', async () => {
    const prefix = `${context.prefix}both:`
    const now = nowSeconds()
    const store = createRedisRevocationStore({ redis: context.redis, prefix })
    const { epoch } = await store.head()
    await writeOldLayout(prefix, now)
    // Only the sweep's index moves: the old log's ids and entries stay out of the new one.
    expect(await upgradeRedisKeyLayout(context.redis, prefix)).toBe(1)
    expect(await store.head()).toEqual({ epoch, lastId: 0 })
    expect((await store.listActive(now, 0, 10)).entries).toEqual([])
  })
})
