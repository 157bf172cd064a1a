/**
 * How long Redis sessions live: every key of a session carries the session's absolute expiry as a
 * native TTL, retired hashes included; the list of live sessions leaves out revoked, expired and
 * idle ones; the sweep deletes long-revoked and idle sessions with all their keys. Real Redis
 * under CI=true; skipped with a warning elsewhere when none answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nowSeconds } from '../../../src/lib/time.js'
import { sessionsKeyspace } from '../../../src/store/redis/redis-key-layout.js'
import { createRedisSessionStore } from '../../../src/store/redis/redis-session-store.js'
import { coverAt } from '../../helpers/revocation-cover.js'
import {
  keysUnder,
  newSession,
  openRedis,
  type RedisTestContext,
  randomHash,
  redisTestTargets,
  stubUsers,
} from './redis-store-kit.js'

const targets = await redisTestTargets('Redis session store tests')

for (const target of targets) {
  describe.runIf(target.run)(`the lifetimes of Redis sessions on ${target.name}`, () => {
    let context: RedisTestContext
    beforeAll(async () => {
      context = await openRedis(target.url)
    })
    afterAll(() => context?.cleanUp())

    /** A store under a prefix of its own (inside this run's), so sweeps see only this test's keys. */
    function isolatedStore(name: string, ...usernames: string[]) {
      const prefix = `${context.prefix}${name}:`
      const { store: users, ids } = stubUsers(...usernames)
      const store = createRedisSessionStore({ redis: context.redis, prefix, users })
      return { store, prefix, keyspace: sessionsKeyspace(prefix), ids }
    }

    it('gives every key of a session its absolute expiry, retired hashes included', async () => {
      const { store, keyspace, ids } = isolatedStore('ttl', 'Jane')
      const [jane = ''] = ids
      const lifetime = 3600 // seconds
      const session = newSession(jane, { expiresAt: nowSeconds() + lifetime })
      await store.create(session)
      const next = randomHash()
      expect(
        await store.rotate(
          session.id,
          session.refreshHash,
          next,
          session.createdAt,
          session.createdAt + 900,
        ),
      ).toBe(true)

      const sessionKeys = [
        `${keyspace}session:${session.id}`,
        `${keyspace}refresh:${next}`,
        `${keyspace}retired:${session.refreshHash}`,
        `${keyspace}session-retired:${session.id}`,
        `${keyspace}user-sessions:${jane}`,
      ]
      for (const key of sessionKeys) {
        const ttl = await context.redis.pttl(key)
        expect(ttl, key).toBeGreaterThan(0)
        expect(ttl, key).toBeLessThanOrEqual(lifetime * 1000)
        expect(await context.redis.pexpiretime(key), key).toBe(session.expiresAt * 1000)
      }
      // The presented hash is no longer an index entry of a current token.
      expect(await context.redis.exists(`${keyspace}refresh:${session.refreshHash}`)).toBe(0)
    })

    it("keeps a user's set of sessions until the last of them expires", async () => {
      const { store, keyspace, ids } = isolatedStore('user-ttl', 'Jane')
      const [jane = ''] = ids
      const now = nowSeconds()
      const key = `${keyspace}user-sessions:${jane}`
      await store.create(newSession(jane, { expiresAt: now + 3600 }))
      await store.create(newSession(jane, { expiresAt: now + 600 }))
      expect(await context.redis.pexpiretime(key)).toBe((now + 3600) * 1000)
      await store.create(newSession(jane, { expiresAt: now + 7200 }))
      expect(await context.redis.pexpiretime(key)).toBe((now + 7200) * 1000)
    })

    it('does not keep a session created past its expiry', async () => {
      const { store, ids } = isolatedStore('born-expired', 'Jane')
      const [jane = ''] = ids
      const now = nowSeconds()
      const session = newSession(jane, { createdAt: now - 7200, expiresAt: now - 3600 })
      await store.create(session)
      expect(await store.findById(session.id)).toBeUndefined()
      expect(await store.findByRefreshHash(session.refreshHash)).toBeUndefined()
    })

    it('lists the live sessions of a user, newest first, leaving out revoked, expired and idle ones', async () => {
      const { store, ids } = isolatedStore('list', 'Jane', 'John')
      const [jane = '', john = ''] = ids
      const now = nowSeconds()
      const idleTtl = 1000 // seconds
      const at = now + 200 // when the list is asked for
      const older = newSession(jane, { createdAt: now - 300 })
      const newer = newSession(jane, { createdAt: now - 100 })
      const revoked = newSession(jane)
      const expiresBeforeAt = newSession(jane, { expiresAt: now + 100 })
      const idle = newSession(jane, { createdAt: now - 2000 })
      const refreshedAfterIdle = newSession(jane, { createdAt: now - 2000 })
      const johns = newSession(john)
      for (const session of [
        older,
        newer,
        revoked,
        expiresBeforeAt,
        idle,
        refreshedAfterIdle,
        johns,
      ])
        await store.create(session)
      await store.revoke(revoked.id, coverAt(now))
      await store.rotate(
        refreshedAfterIdle.id,
        refreshedAfterIdle.refreshHash,
        randomHash(),
        now,
        now + 900,
      )

      const live = await store.listLiveForUser(jane, at, idleTtl)
      expect(live.map((session) => session.id)).toEqual([newer.id, older.id, refreshedAfterIdle.id])
      expect(live[0]).toEqual({
        id: newer.id,
        userId: jane,
        createdAt: newer.createdAt,
        lastUsedAt: newer.createdAt,
        expiresAt: newer.expiresAt,
        userAgent: 'vitest',
        ip: '127.0.0.1',
        revokedAt: null,
        rotatedAt: null,
        dpopJkt: null,
        accessExpiresAt: newer.accessExpiresAt,
      })
      expect(await store.listLiveForUser('user-without-sessions', at, idleTtl)).toEqual([])
    })

    it('sweeps sessions revoked before `before` and idle ones, with every key they had', async () => {
      const { store, prefix, keyspace, ids } = isolatedStore('sweep', 'Jane')
      const [jane = ''] = ids
      const now = nowSeconds()
      const longRevoked = newSession(jane, { createdAt: now - 200 })
      const justRevoked = newSession(jane)
      const idle = newSession(jane, { createdAt: now - 1000 })
      const usedSince = newSession(jane, { createdAt: now - 1000 })
      const live = newSession(jane)
      for (const session of [longRevoked, justRevoked, idle, usedSince, live])
        await store.create(session)
      const longRevokedNext = randomHash()
      await store.rotate(
        longRevoked.id,
        longRevoked.refreshHash,
        longRevokedNext,
        now - 150,
        now - 150 + 900,
      )
      await store.revoke(longRevoked.id, coverAt(now - 100))
      await store.revoke(justRevoked.id, coverAt(now))
      await store.rotate(usedSince.id, usedSince.refreshHash, randomHash(), now, now + 900)

      expect(await store.sweep(now - 50, now - 500)).toBe(2)

      for (const gone of [longRevoked, idle]) {
        expect(await store.findById(gone.id)).toBeUndefined()
      }
      expect(await store.findByRefreshHash(longRevokedNext)).toBeUndefined()
      expect(await store.findByRefreshHash(longRevoked.refreshHash)).toBeUndefined()
      const left = (await keysUnder(context.redis, prefix)).join('\n')
      for (const trace of [longRevoked.id, longRevokedNext, longRevoked.refreshHash, idle.id]) {
        expect(left).not.toContain(trace)
      }
      expect(await context.redis.smembers(`${keyspace}user-sessions:${jane}`)).toEqual(
        expect.not.arrayContaining([longRevoked.id, idle.id]),
      )
      for (const kept of [justRevoked, usedSince, live]) {
        expect(await store.findById(kept.id), kept.id).toBeDefined()
      }
      expect(await store.sweep(now - 50, now - 500)).toBe(0)
    })

    it('sweeps the index entries of sessions that expired by themselves, without counting them', async () => {
      const { store, keyspace, ids } = isolatedStore('sweep-expired', 'Jane')
      const [jane = ''] = ids
      const now = nowSeconds()
      const expired = newSession(jane, { createdAt: now - 7200, expiresAt: now - 3600 })
      await store.create(expired)
      expect(await context.redis.zscore(`${keyspace}sessions:last-used`, expired.id)).not.toBeNull()
      expect(await store.sweep(now, now - 3600)).toBe(0)
      expect(await context.redis.zscore(`${keyspace}sessions:last-used`, expired.id)).toBeNull()
    })
  })
}
