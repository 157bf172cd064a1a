/**
 * The Redis `SessionStore` keeps every guarantee `src/store/types.ts` states: look-ups of current
 * and retired refresh hashes, the rotation's compare-and-swap (exactly one of 50 concurrent
 * callers, on several connections), idempotent revocation, revoke-all with `keep`, and store
 * errors as ERR_STORE_UNAVAILABLE. Real Redis under CI=true; skipped with a warning elsewhere
 * when none answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nowSeconds } from '../../../src/lib/time.js'
import { createLogger } from '../../../src/logging/create-logger.js'
import {
  createRedisClient,
  type RedisConnection,
} from '../../../src/store/redis/create-redis-client.js'
import { createRedisSessionStore } from '../../../src/store/redis/redis-session-store.js'
import type { SessionStore } from '../../../src/store/types.js'
import { coverAt } from '../../helpers/revocation-cover.js'
import { closedPort } from '../../helpers/test-servers.js'
import {
  newSession,
  openRedis,
  type RedisTestContext,
  randomHash,
  redisTestTargets,
  STORE_UNAVAILABLE,
  stubUsers,
} from './redis-store-kit.js'

const targets = await redisTestTargets('Redis session store tests')

for (const target of targets) {
  describe.runIf(target.run)(`the Redis session store on ${target.name}`, () => {
    const { store: users, ids } = stubUsers('Jane', 'John')
    const [jane = '', john = ''] = ids
    let context: RedisTestContext
    let store: SessionStore
    /** More connections, so that concurrent callers really are separate clients. */
    const others: RedisTestContext[] = []
    let stores: SessionStore[]

    beforeAll(async () => {
      context = await openRedis(target.url)
      store = createRedisSessionStore({ redis: context.redis, prefix: context.prefix, users })
      for (let i = 0; i < 4; i++) others.push(await openRedis(target.url))
      stores = [
        store,
        ...others.map((other) =>
          createRedisSessionStore({ redis: other.redis, prefix: context.prefix, users }),
        ),
      ]
    })
    afterAll(async () => {
      for (const other of others) other.redis.disconnect()
      await context?.cleanUp()
    })

    it('finds a new session by its refresh hash as the current one, with its username', async () => {
      const created = newSession(jane, { userAgent: null })
      await store.create(created)
      const found = await store.findByRefreshHash(created.refreshHash)
      expect(found).toEqual({
        session: {
          id: created.id,
          userId: jane,
          createdAt: created.createdAt,
          lastUsedAt: created.createdAt,
          expiresAt: created.expiresAt,
          userAgent: null,
          ip: '127.0.0.1',
          revokedAt: null,
          rotatedAt: null,
          dpopJkt: null,
          accessExpiresAt: created.accessExpiresAt,
        },
        username: 'Jane',
        currentHash: created.refreshHash,
        match: 'current',
        retiredAt: null,
        retiredBy: null,
      })
      expect(await store.findById(created.id)).toEqual(found?.session)
    })

    it('finds nothing for an unknown refresh hash or session id', async () => {
      expect(await store.findByRefreshHash(randomHash())).toBeUndefined()
      expect(await store.findById('no-such-session')).toBeUndefined()
    })

    it('finds nothing for a session whose user no longer exists', async () => {
      const orphan = newSession('user-deleted')
      await store.create(orphan)
      expect(await store.findByRefreshHash(orphan.refreshHash)).toBeUndefined()
    })

    it('rotates: the next hash becomes current and the presented one is retired at now', async () => {
      const created = newSession(jane)
      await store.create(created)
      const next = randomHash()
      const now = created.createdAt + 60
      expect(await store.rotate(created.id, created.refreshHash, next, now, now + 900)).toBe(true)

      const current = await store.findByRefreshHash(next)
      expect(current).toMatchObject({ match: 'current', currentHash: next, retiredAt: null })
      expect(current?.session).toMatchObject({ id: created.id, lastUsedAt: now, rotatedAt: now })
      const retired = await store.findByRefreshHash(created.refreshHash)
      expect(retired).toMatchObject({
        match: 'retired',
        currentHash: next,
        retiredAt: now,
        username: 'Jane',
      })
      expect(retired?.session.id).toBe(created.id)
    })

    it('refuses to rotate a hash the session no longer holds, or one it never held', async () => {
      const created = newSession(jane)
      await store.create(created)
      const now = created.createdAt
      expect(
        await store.rotate(created.id, created.refreshHash, randomHash(), now, now + 900),
      ).toBe(true)
      expect(
        await store.rotate(created.id, created.refreshHash, randomHash(), now, now + 900),
      ).toBe(false)
      expect(await store.rotate(created.id, randomHash(), randomHash(), now, now + 900)).toBe(false)
      expect(
        await store.rotate('no-such-session', created.refreshHash, randomHash(), now, now + 900),
      ).toBe(false)
    })

    it('refuses to rotate a revoked session', async () => {
      const created = newSession(jane)
      await store.create(created)
      await store.revoke(created.id, coverAt(created.createdAt))
      const next = randomHash()
      expect(
        await store.rotate(
          created.id,
          created.refreshHash,
          next,
          created.createdAt,
          created.createdAt + 900,
        ),
      ).toBe(false)
      expect(await store.findByRefreshHash(next)).toBeUndefined()
      expect((await store.findByRefreshHash(created.refreshHash))?.match).toBe('current')
    })

    it('lets exactly one of 50 concurrent rotations of one hash succeed, and keeps its successor', async () => {
      const created = newSession(jane)
      await store.create(created)
      const nexts = Array.from({ length: 50 }, () => randomHash())
      const results = await Promise.all(
        nexts.map((next, i) =>
          stores[i % stores.length]?.rotate(
            created.id,
            created.refreshHash,
            next,
            created.createdAt,
            created.createdAt + 900,
          ),
        ),
      )
      expect(results.filter((result) => result === true)).toHaveLength(1)
      const winner = nexts[results.indexOf(true)] ?? ''
      const losers = nexts.filter((next) => next !== winner)
      expect((await store.findByRefreshHash(created.refreshHash))?.currentHash).toBe(winner)
      expect((await store.findByRefreshHash(winner))?.match).toBe('current')
      for (const loser of losers) expect(await store.findByRefreshHash(loser)).toBeUndefined()
    })

    it('ends a session once: revoke answers true to the first call and false after', async () => {
      const created = newSession(jane)
      await store.create(created)
      const now = created.createdAt + 5
      expect(await store.revoke(created.id, coverAt(now))).toBe(true)
      expect(await store.revoke(created.id, coverAt(now + 1))).toBe(false)
      expect((await store.findById(created.id))?.revokedAt).toBe(now)
      expect(await store.revoke('no-such-session', coverAt(now))).toBe(false)
    })

    it('answers true to exactly one of 20 concurrent revocations of one session', async () => {
      const created = newSession(jane)
      await store.create(created)
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          stores[i % stores.length]?.revoke(created.id, coverAt(created.createdAt)),
        ),
      )
      expect(results.filter((result) => result === true)).toHaveLength(1)
    })

    it('still finds a revoked session by its current and retired hashes', async () => {
      const created = newSession(jane)
      await store.create(created)
      const next = randomHash()
      await store.rotate(
        created.id,
        created.refreshHash,
        next,
        created.createdAt,
        created.createdAt + 900,
      )
      await store.revoke(created.id, coverAt(created.createdAt + 1))
      for (const hash of [next, created.refreshHash]) {
        expect((await store.findByRefreshHash(hash))?.session.revokedAt).toBe(created.createdAt + 1)
      }
    })

    it('ends every live session of a user but the kept one, and returns the ids it ended', async () => {
      const { store: ownUsers, ids: own } = stubUsers('Mary', 'Paul')
      const [mary = '', paul = ''] = own
      const scoped = createRedisSessionStore({
        redis: context.redis,
        prefix: context.prefix,
        users: ownUsers,
      })
      const [kept, first, second, already] = [1, 2, 3, 4].map(() => newSession(mary))
      const pauls = newSession(paul)
      for (const session of [kept, first, second, already, pauls]) {
        if (session) await scoped.create(session)
      }
      const now = nowSeconds()
      await scoped.revoke(already?.id ?? '', coverAt(now))

      const ended = await scoped.revokeAllForUser(mary, coverAt(now), kept?.id)
      expect(ended.sort()).toEqual([first?.id, second?.id].sort())
      expect((await scoped.findById(kept?.id ?? ''))?.revokedAt).toBeNull()
      expect((await scoped.findById(pauls.id))?.revokedAt).toBeNull()
      expect((await scoped.findById(first?.id ?? ''))?.revokedAt).toBe(now)

      expect(await scoped.revokeAllForUser(mary, coverAt(now + 1))).toEqual([kept?.id])
      expect(await scoped.revokeAllForUser(mary, coverAt(now + 2))).toEqual([])
    })

    it('returns no ids for a user without sessions', async () => {
      expect(await store.revokeAllForUser(john, coverAt(nowSeconds()))).toEqual([])
    })
  })
}

describe('the Redis session store while Redis is unreachable', () => {
  let redis: RedisConnection
  let store: SessionStore
  beforeAll(async () => {
    redis = createRedisClient(
      `redis://127.0.0.1:${await closedPort()}`,
      createLogger('redis-store-test', 'silent'),
    )
    store = createRedisSessionStore({
      redis,
      prefix: 'gatehouse-test-unreachable:',
      users: stubUsers('Jane').store,
    })
  })
  afterAll(() => redis?.disconnect())

  it('rejects every method with ERR_STORE_UNAVAILABLE and a Retry-After, without waiting', async () => {
    const session = newSession('user-1')
    const now = nowSeconds()
    const calls = [
      store.create(session),
      store.findByRefreshHash(session.refreshHash),
      store.findById(session.id),
      store.rotate(session.id, session.refreshHash, randomHash(), now, now + 900),
      store.revoke(session.id, coverAt(now)),
      store.revokeAllForUser('user-1', coverAt(now)),
      store.listLiveForUser('user-1', now, 3600),
      store.sweep(now, now),
    ]
    for (const call of calls) {
      await expect(call).rejects.toMatchObject({ ...STORE_UNAVAILABLE, retryAfter: 5 })
    }
  })
})
