/**
 * The Redis `RevocationStore`: increasing ids (also for concurrent appends), pages of entries in
 * force in id order, expired entries skipped and swept from both sorted sets, and `lastId` from
 * the counter. Real Redis under CI=true; skipped with a warning elsewhere when none answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nowSeconds } from '../../../src/lib/time.js'
import { sessionsKeyspace } from '../../../src/store/redis/redis-key-layout.js'
import { createRedisRevocationStore } from '../../../src/store/redis/redis-revocation-store.js'
import { keysUnder, openRedis, type RedisTestContext, redisTestTargets } from './redis-store-kit.js'

const targets = await redisTestTargets('Redis revocation store tests')

for (const target of targets) {
  describe.runIf(target.run)(`the Redis revocation store on ${target.name}`, () => {
    let context: RedisTestContext
    beforeAll(async () => {
      context = await openRedis(target.url)
    })
    afterAll(() => context?.cleanUp())

    /** A store with a log of its own (a prefix inside this run's). */
    function isolatedStore(name: string) {
      const prefix = `${context.prefix}${name}:`
      const store = createRedisRevocationStore({ redis: context.redis, prefix })
      return { prefix, keyspace: sessionsKeyspace(prefix), store }
    }

    const sid = (value: string, expiresAt: number) => ({ kind: 'sid' as const, value, expiresAt })

    it('numbers entries from 1 in a new log, in order, and reports the last id', async () => {
      const { store } = isolatedStore('ids')
      const now = nowSeconds()
      expect((await store.head()).lastId).toBe(0)
      const added = await store.add(
        [sid('a', now + 60), sid('b', now + 60), sid('c', now + 60)],
        now,
      )
      expect(added).toEqual([
        { id: 1, kind: 'sid', value: 'a', expiresAt: now + 60 },
        { id: 2, kind: 'sid', value: 'b', expiresAt: now + 60 },
        { id: 3, kind: 'sid', value: 'c', expiresAt: now + 60 },
      ])
      expect((await store.head()).lastId).toBe(3)
      expect(await store.add([], now)).toEqual([])
      expect((await store.head()).lastId).toBe(3)
    })

    it('gives 30 concurrent appends distinct, increasing ids, all listed in id order', async () => {
      const { store } = isolatedStore('concurrent')
      const now = nowSeconds()
      const added = await Promise.all(
        Array.from({ length: 30 }, (_, i) => store.add([sid(`s${i}`, now + 60)], now)),
      )
      const ids = added.flat().map((entry) => entry.id)
      expect(new Set(ids).size).toBe(30)
      expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1))
      const listed = (await store.listActive(now, 0, 100)).entries
      expect(listed.map((entry) => entry.id)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1))
      expect((await store.head()).lastId).toBe(30)
    })

    it('pages the entries in force after an id, in id order', async () => {
      const { store } = isolatedStore('paging')
      const now = nowSeconds()
      await store.add(
        Array.from({ length: 7 }, (_, i) => sid(`p${i + 1}`, now + 60)),
        now,
      )
      const values = async (afterId: number, limit: number) =>
        (await store.listActive(now, afterId, limit)).entries.map((entry) => entry.value)
      expect(await values(0, 3)).toEqual(['p1', 'p2', 'p3'])
      expect(await values(3, 3)).toEqual(['p4', 'p5', 'p6'])
      expect(await values(6, 3)).toEqual(['p7'])
      expect(await values(7, 3)).toEqual([])
    })

    it('skips entries no longer in force and still fills the page', async () => {
      const { store } = isolatedStore('skips')
      const now = nowSeconds()
      const at = now + 100 // when the log is read
      await store.add(
        [
          sid('gone-1', now + 50),
          sid('kept-1', now + 500),
          sid('gone-2', now + 100),
          sid('gone-3', now + 10),
          sid('kept-2', now + 500),
          sid('kept-3', now + 500),
          sid('kept-4', now + 500),
        ],
        now,
      )
      const page = (await store.listActive(at, 0, 3)).entries
      expect(page.map((entry) => [entry.id, entry.value])).toEqual([
        [2, 'kept-1'],
        [5, 'kept-2'],
        [6, 'kept-3'],
      ])
      expect((await store.listActive(at, 6, 3)).entries.map((entry) => entry.value)).toEqual([
        'kept-4',
      ])
    })

    it('keeps token revocations and values with colons as they were given', async () => {
      const { store } = isolatedStore('values')
      const now = nowSeconds()
      const entries = [
        { kind: 'jti' as const, value: 'urn:uuid:1:2', expiresAt: now + 60 },
        sid('', now + 60),
      ]
      await store.add(entries, now)
      expect((await store.listActive(now, 0, 10)).entries).toEqual([
        { id: 1, ...entries[0] },
        { id: 2, ...entries[1] },
      ])
    })

    it('sweeps entries no longer in force from both sets, and ids keep increasing', async () => {
      const { store, keyspace } = isolatedStore('sweep')
      const now = nowSeconds()
      const at = now + 100
      await store.add([sid('old-1', now + 10), sid('new', now + 500), sid('old-2', now + 100)], now)
      expect(await store.sweep(at)).toBe(2)
      expect(await context.redis.zcard(`${keyspace}revocations:log`)).toBe(1)
      expect(await context.redis.zcard(`${keyspace}revocations:expiry`)).toBe(1)
      expect((await store.listActive(now, 0, 10)).entries.map((entry) => entry.value)).toEqual([
        'new',
      ])
      expect(await store.sweep(at)).toBe(0)
      expect((await store.head()).lastId).toBe(3)
      expect((await store.add([sid('later', now + 500)], now))[0]?.id).toBe(4)
    })

    it('lets the sets expire with their last entry but never the id counter', async () => {
      const { store, keyspace } = isolatedStore('expiry')
      const now = nowSeconds()
      await store.add([sid('a', now + 600), sid('b', now + 60)], now)
      for (const set of ['log', 'expiry']) {
        expect(await context.redis.pexpiretime(`${keyspace}revocations:${set}`)).toBe(
          (now + 600) * 1000,
        )
      }
      expect(await context.redis.pttl(`${keyspace}revocations:last-id`)).toBe(-1)
    })

    it('writes only its epoch, its counter and its two sets, under its prefix', async () => {
      const { store, prefix, keyspace } = isolatedStore('keys')
      await store.add([sid('x', nowSeconds() + 60)], nowSeconds())
      expect((await keysUnder(context.redis, prefix)).sort()).toEqual(
        ['epoch', 'expiry', 'last-id', 'log'].map((name) => `${keyspace}revocations:${name}`),
      )
    })
  })
}
