/** The `SessionStore` part of the store contract (see `contract.ts`). */
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { AuthStores, NewSession } from '../../src/store/types.js'
import { coverAt } from '../helpers/revocation-cover.js'
import type { ContractContext } from './contract.js'
import { newUser } from './contract-users.js'

const NOW = 1_800_000_000 // seconds
const DAY = 24 * 60 * 60 // seconds

function newSession(userId: string, overrides: Partial<NewSession> = {}): NewSession {
  return {
    id: randomUUID(),
    userId,
    refreshHash: `hash-${randomUUID()}`,
    createdAt: NOW,
    expiresAt: NOW + 30 * DAY,
    userAgent: 'vitest',
    ip: '127.0.0.1',
    accessExpiresAt: NOW + 900,
    ...overrides,
  }
}

/** A new user and one session of theirs. */
async function userWithSession(stores: AuthStores, overrides: Partial<NewSession> = {}) {
  const user = newUser('holder')
  await stores.users.create(user)
  const session = newSession(user.id, overrides)
  await stores.sessions.create(session)
  return { user, session }
}

export function registerSessionStoreContract(context: ContractContext): void {
  describe('SessionStore', () => {
    /** The log's entries for `value`, in force at `now`. */
    async function entriesFor(stores: AuthStores, value: string, now = NOW) {
      const page = await stores.revocations.listActive(now, 0, 100_000)
      return page.entries.filter((entry) => entry.value === value)
    }

    it('appends the entry of a session it ends, until its last access token expires plus the tolerance', async () => {
      const stores = context.shared()
      const { session } = await userWithSession(stores)
      expect(await stores.sessions.revoke(session.id, coverAt(NOW + 10))).toBe(true)
      const entries = await entriesFor(stores, session.id)
      expect(entries).toEqual([
        { id: expect.any(Number), kind: 'sid', value: session.id, expiresAt: NOW + 900 + 5 },
      ])
      expect(await stores.sessions.revoke(session.id, coverAt(NOW + 20))).toBe(false)
      expect(await entriesFor(stores, session.id)).toEqual(entries)
    })

    it('appends no entry for a session whose last access token is past its cover', async () => {
      const stores = context.shared()
      const { session } = await userWithSession(stores, { accessExpiresAt: NOW - 100 })
      expect(await stores.sessions.revoke(session.id, coverAt(NOW))).toBe(true)
      expect(await entriesFor(stores, session.id, NOW - 1000)).toEqual([])
    })

    it('appends one entry for each session a revokeAllForUser ends, and none for the kept one', async () => {
      const stores = context.shared()
      const { user, session: kept } = await userWithSession(stores)
      const other = newSession(user.id, { accessExpiresAt: NOW + 300 })
      await stores.sessions.create(other)
      expect(await stores.sessions.revokeAllForUser(user.id, coverAt(NOW + 1), kept.id)).toEqual([
        other.id,
      ])
      expect((await entriesFor(stores, other.id)).map((entry) => entry.expiresAt)).toEqual([
        NOW + 305,
      ])
      expect(await entriesFor(stores, kept.id)).toEqual([])
    })

    it('records the latest access-token expiry on rotation and cover, never an earlier one', async () => {
      const stores = context.shared()
      const { session } = await userWithSession(stores)
      const next = `hash-${randomUUID()}`
      // A rotation under a lowered TTL: its token expires before the login's.
      expect(
        await stores.sessions.rotate(session.id, session.refreshHash, next, NOW + 1, NOW + 61),
      ).toBe(true)
      expect((await stores.sessions.findById(session.id))?.accessExpiresAt).toBe(NOW + 900)
      expect(await stores.sessions.coverAccessToken(session.id, NOW + 2000)).toBe(true)
      expect((await stores.sessions.findById(session.id))?.accessExpiresAt).toBe(NOW + 2000)
      await stores.sessions.revoke(session.id, coverAt(NOW + 2))
      expect(await stores.sessions.coverAccessToken(session.id, NOW + 3000)).toBe(false)
      expect((await stores.sessions.findById(session.id))?.accessExpiresAt).toBe(NOW + 2000)
      expect(await stores.sessions.coverAccessToken(randomUUID(), NOW + 3000)).toBe(false)
      expect((await entriesFor(stores, session.id)).map((entry) => entry.expiresAt)).toEqual([
        NOW + 2005,
      ])
    })

    it('creates a session and finds it by id, unrevoked and unrotated, with number timestamps', async () => {
      const { session } = await userWithSession(context.shared())
      expect(await context.shared().sessions.findById(session.id)).toEqual({
        id: session.id,
        userId: session.userId,
        createdAt: NOW,
        lastUsedAt: NOW,
        expiresAt: NOW + 30 * DAY,
        userAgent: 'vitest',
        ip: '127.0.0.1',
        revokedAt: null,
        rotatedAt: null,
        dpopJkt: null,
        accessExpiresAt: NOW + 900,
      })
      expect(await context.shared().sessions.findById(randomUUID())).toBeUndefined()
    })

    it('keeps the DPoP key thumbprint a session is bound to (issue 9, point 8)', async () => {
      const { sessions } = context.shared()
      const { session } = await userWithSession(context.shared(), { dpopJkt: 'jkt-of-the-key' })
      expect((await sessions.findById(session.id))?.dpopJkt).toBe('jkt-of-the-key')
      const found = await sessions.findByRefreshHash(session.refreshHash, session.id)
      expect(found?.session.dpopJkt).toBe('jkt-of-the-key')
    })

    /** @see issue 9, point 7: the grace window serves only the client that rotated. */
    it('keeps who rotated a refresh hash away with the retired hash, in the rotation', async () => {
      const { sessions } = context.shared()
      const { session } = await userWithSession(context.shared())
      const next = `hash-${randomUUID()}`
      expect(
        await sessions.rotate(session.id, session.refreshHash, next, NOW + 60, NOW + 960, 'ua:abc'),
      ).toBe(true)
      expect(await sessions.findByRefreshHash(session.refreshHash, session.id)).toMatchObject({
        match: 'retired',
        retiredBy: 'ua:abc',
      })
      expect(await sessions.findByRefreshHash(next, session.id)).toMatchObject({
        match: 'current',
        retiredBy: null,
      })
      const last = `hash-${randomUUID()}`
      expect(await sessions.rotate(session.id, next, last, NOW + 61, NOW + 961)).toBe(true)
      expect((await sessions.findByRefreshHash(next, session.id))?.retiredBy).toBeNull()
    })

    it('finds a session by its current refresh hash, with the username', async () => {
      const { sessions } = context.shared()
      const { user, session } = await userWithSession(context.shared())
      const found = await sessions.findByRefreshHash(session.refreshHash, session.id)
      expect(found).toMatchObject({
        username: user.username,
        currentHash: session.refreshHash,
        match: 'current',
        retiredAt: null,
      })
      expect(found?.session.id).toBe(session.id)
      expect(await sessions.findByRefreshHash(`hash-${randomUUID()}`, session.id)).toBeUndefined()
    })

    it('finds a token only under the session it names', async () => {
      const { sessions } = context.shared()
      const { session } = await userWithSession(context.shared())
      const { session: other } = await userWithSession(context.shared())
      const next = `hash-${randomUUID()}`
      expect(await sessions.rotate(session.id, session.refreshHash, next, NOW + 1, NOW + 901)).toBe(
        true,
      )
      for (const hash of [next, session.refreshHash]) {
        expect(await sessions.findByRefreshHash(hash, other.id)).toBeUndefined()
        expect(await sessions.findByRefreshHash(hash, randomUUID())).toBeUndefined()
      }
      expect((await sessions.findByRefreshHash(other.refreshHash, other.id))?.match).toBe('current')
    })

    it('rotates once: the old hash is then found as retired and cannot rotate again', async () => {
      const { sessions } = context.shared()
      const { session } = await userWithSession(context.shared())
      const next = `hash-${randomUUID()}`
      expect(
        await sessions.rotate(session.id, session.refreshHash, next, NOW + 60, NOW + 60 + 900),
      ).toBe(true)

      const retired = await sessions.findByRefreshHash(session.refreshHash, session.id)
      expect(retired).toMatchObject({ match: 'retired', retiredAt: NOW + 60, currentHash: next })
      expect(retired?.session).toMatchObject({ lastUsedAt: NOW + 60, rotatedAt: NOW + 60 })
      expect((await sessions.findByRefreshHash(next, session.id))?.match).toBe('current')

      const again = `hash-${randomUUID()}`
      expect(
        await sessions.rotate(session.id, session.refreshHash, again, NOW + 61, NOW + 61 + 900),
      ).toBe(false)
      expect(await sessions.findByRefreshHash(again, session.id)).toBeUndefined()
    })

    it('lets exactly one of 20 concurrent rotations of one refresh hash succeed', async () => {
      const { sessions } = context.shared()
      const { session } = await userWithSession(context.shared())
      const nexts = Array.from({ length: 20 }, () => `hash-${randomUUID()}`)
      const results = await Promise.all(
        nexts.map((next) =>
          sessions.rotate(session.id, session.refreshHash, next, NOW + 5, NOW + 5 + 900),
        ),
      )
      expect(results.filter(Boolean)).toHaveLength(1)
      const winner = nexts[results.indexOf(true)]
      expect((await sessions.findByRefreshHash(session.refreshHash, session.id))?.currentHash).toBe(
        winner,
      )
      for (const loser of nexts.filter((next) => next !== winner)) {
        expect(await sessions.findByRefreshHash(loser, session.id)).toBeUndefined()
      }
    })

    it('does not rotate a revoked session', async () => {
      const { sessions } = context.shared()
      const { session } = await userWithSession(context.shared())
      await sessions.revoke(session.id, coverAt(NOW + 1))
      expect(
        await sessions.rotate(session.id, session.refreshHash, 'hash-x', NOW + 2, NOW + 2 + 900),
      ).toBe(false)
      expect((await sessions.findByRefreshHash(session.refreshHash, session.id))?.currentHash).toBe(
        session.refreshHash,
      )
    })

    it('revokes once: a second revoke answers false and keeps the first time', async () => {
      const { sessions } = context.shared()
      const { session } = await userWithSession(context.shared())
      expect(await sessions.revoke(session.id, coverAt(NOW + 10))).toBe(true)
      expect(await sessions.revoke(session.id, coverAt(NOW + 20))).toBe(false)
      expect((await sessions.findById(session.id))?.revokedAt).toBe(NOW + 10)
      expect(await sessions.revoke(randomUUID(), coverAt(NOW))).toBe(false)
    })

    it('revokes every live session of a user but the kept one, and returns the ids it ended', async () => {
      const stores = context.shared()
      const { user, session: kept } = await userWithSession(stores)
      const others = [newSession(user.id), newSession(user.id)]
      const alreadyEnded = newSession(user.id)
      for (const session of [...others, alreadyEnded]) await stores.sessions.create(session)
      await stores.sessions.revoke(alreadyEnded.id, coverAt(NOW + 1))
      const { session: stranger } = await userWithSession(stores)

      const ended = await stores.sessions.revokeAllForUser(user.id, coverAt(NOW + 2), kept.id)
      expect(ended.sort()).toEqual(others.map((session) => session.id).sort())
      expect((await stores.sessions.findById(kept.id))?.revokedAt).toBeNull()
      expect((await stores.sessions.findById(alreadyEnded.id))?.revokedAt).toBe(NOW + 1)
      expect((await stores.sessions.findById(stranger.id))?.revokedAt).toBeNull()
      expect(await stores.sessions.revokeAllForUser(user.id, coverAt(NOW + 3))).toEqual([kept.id])
    })

    it('lists only the live sessions of a user, newest first, dropping idle and expired ones', async () => {
      const stores = context.shared()
      const idleTtl = DAY
      const { user, session: older } = await userWithSession(stores, { createdAt: NOW - 100 })
      const newer = newSession(user.id, { createdAt: NOW - 50 })
      const expired = newSession(user.id, { createdAt: NOW - 60, expiresAt: NOW })
      const idle = newSession(user.id, { createdAt: NOW - idleTtl })
      const revoked = newSession(user.id)
      for (const session of [newer, expired, idle, revoked]) await stores.sessions.create(session)
      await stores.sessions.revoke(revoked.id, coverAt(NOW - 1))

      const live = await stores.sessions.listLiveForUser(user.id, NOW, idleTtl)
      expect(live.map((session) => session.id)).toEqual([newer.id, older.id])
      expect(live[0]).toMatchObject({ createdAt: NOW - 50, lastUsedAt: NOW - 50, revokedAt: null })
    })

    it('sweeps sessions expired, revoked or idle before the cut-offs, with their retired hashes', async () => {
      const stores = await context.fresh()
      try {
        const { user, session: live } = await userWithSession(stores)
        // Redis ends a session at its absolute expiry with a key TTL on the real clock (its own
        // tests check the TTL), not in a sweep at this test's NOW: there, only idle and revoked.
        const expired = newSession(user.id, { expiresAt: NOW - 10 })
        const revoked = newSession(user.id)
        const idle = newSession(user.id, { createdAt: NOW - 500 })
        const swept = context.expiresNatively() ? [revoked, idle] : [expired, revoked, idle]
        for (const session of swept) await stores.sessions.create(session)
        const after = `hash-${randomUUID()}`
        expect(
          await stores.sessions.rotate(
            revoked.id,
            revoked.refreshHash,
            after,
            NOW - 6,
            NOW - 6 + 900,
          ),
        ).toBe(true)
        await stores.sessions.revoke(revoked.id, coverAt(NOW - 5))

        expect(await stores.sessions.sweep(NOW, NOW - 100)).toBe(swept.length)
        expect(await stores.sessions.findById(live.id)).toBeDefined()
        for (const gone of swept) {
          expect(await stores.sessions.findById(gone.id)).toBeUndefined()
        }
        expect(
          await stores.sessions.findByRefreshHash(revoked.refreshHash, revoked.id),
        ).toBeUndefined()
        expect(await stores.sessions.sweep(NOW, NOW - 100)).toBe(0)
      } finally {
        await stores.close()
      }
    })
  })
}
