/**
 * The user store's email methods on SQLite and, where it runs (always under CI), PostgreSQL: an
 * address is unique regardless of case among verified ones only, also when two accounts verify
 * it at once. @see issue 15, point 2
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuthStores } from '../../src/store/types.js'
import { isPostgresAvailable } from '../helpers/postgres-databases.js'
import { createPostgresBackend, createSqliteBackend } from '../store/backends.js'
import type { StoreBackend } from '../store/contract.js'

const postgres = await isPostgresAvailable('test/accounts/email-store.test.ts')
const BACKENDS: Array<[string, () => StoreBackend]> = [['SQLite', createSqliteBackend]]
if (postgres) BACKENDS.push(['PostgreSQL', createPostgresBackend])

describe.each(BACKENDS)('email addresses on %s', (_name, make) => {
  let backend: StoreBackend
  let stores: AuthStores
  let count = 0
  beforeAll(async () => {
    backend = make()
    stores = await backend.openFresh()
  })
  afterAll(() => backend.cleanup())

  async function user() {
    count += 1
    const id = `user-${count}`
    await stores.users.create({ id, username: `person${count}`, passwordHash: 'x', createdAt: 1 })
    return id
  }

  it('reads as before migration 0012 for a user without an address', async () => {
    const id = await user()
    expect(await stores.users.findById(id)).toEqual({
      id,
      username: `person${count}`,
      passwordHash: 'x',
      createdAt: 1,
    })
    expect(await stores.users.emailVerifiedOf(id)).toBeUndefined()
  })

  it("reads a token's claims in one go: scopes sorted, the address's state only when there is one", async () => {
    const id = await user()
    expect(await stores.users.tokenClaimsOf(id)).toEqual({ scopes: [] })
    await stores.users.grantScopes(id, ['posts:write', 'audit:read'])
    expect(await stores.users.tokenClaimsOf(id)).toEqual({ scopes: ['audit:read', 'posts:write'] })
    await stores.users.setEmail(id, 'claims@example.com')
    expect(await stores.users.tokenClaimsOf(id)).toEqual({
      scopes: ['audit:read', 'posts:write'],
      emailVerified: false,
    })
    expect(await stores.users.markEmailVerified(id, 'claims@example.com', 3)).toBe('verified')
    expect((await stores.users.tokenClaimsOf(id)).emailVerified).toBe(true)
    expect(await stores.users.tokenClaimsOf('no-such-user')).toEqual({ scopes: [] })
  })

  it("hands a current refresh token's session over with the same claims, scopes and address state", async () => {
    const id = await user()
    const session = (refreshHash: string) => ({
      id: `session-${refreshHash}`,
      userId: id,
      refreshHash,
      createdAt: 1,
      expiresAt: 9_999_999_999,
      userAgent: null,
      ip: null,
      accessExpiresAt: 2,
    })
    await stores.sessions.create(session('claims-hash-1'))
    expect(
      (await stores.sessions.findByRefreshHash('claims-hash-1', 'session-claims-hash-1'))?.claims,
    ).toEqual({
      scopes: [],
    })
    await stores.users.grantScopes(id, ['posts:write', 'audit:read', 'posts:read'])
    await stores.users.setEmail(id, 'lookup@example.com')
    const found = await stores.sessions.findByRefreshHash('claims-hash-1', 'session-claims-hash-1')
    expect(found?.claims).toEqual({
      scopes: ['audit:read', 'posts:read', 'posts:write'],
      emailVerified: false,
    })
    expect(found?.claims).toEqual(await stores.users.tokenClaimsOf(id))
    expect(found?.session.id).toBe('session-claims-hash-1')
    expect(found?.username).toBe(`person${count}`)
  })

  it('verifies an address only while it is still the user’s', async () => {
    const id = await user()
    await stores.users.setEmail(id, 'Old@Example.com')
    expect(await stores.users.emailVerifiedOf(id)).toBe(false)
    await stores.users.setEmail(id, 'new@example.com')
    expect(await stores.users.markEmailVerified(id, 'Old@Example.com', 5)).toBe('changed')
    expect(await stores.users.markEmailVerified(id, 'new@example.com', 5)).toBe('verified')
    expect(await stores.users.emailVerifiedOf(id)).toBe(true)
    expect((await stores.users.findByVerifiedEmail('NEW@example.COM'))?.id).toBe(id)
  })

  it('lets one of two accounts verifying one address at once have it, regardless of case', async () => {
    // Ten addresses, each raced by two accounts at once (on PostgreSQL, a lock-order deadlock
    // shows up within a few of them).
    await Promise.all(
      Array.from({ length: 10 }, async (_, n) => {
        const [a, b] = [await user(), await user()]
        await stores.users.setEmail(a, `race${n}@example.com`)
        await stores.users.setEmail(b, `Race${n}@Example.com`)
        const outcomes = await Promise.all([
          stores.users.markEmailVerified(a, `race${n}@example.com`, 7),
          stores.users.markEmailVerified(b, `Race${n}@Example.com`, 7),
        ])
        expect(outcomes.filter((outcome) => outcome === 'verified')).toHaveLength(1)
        const owner = await stores.users.findByVerifiedEmail(`RACE${n}@example.com`)
        const other = owner?.id === a ? b : a
        // The other account's unverified claim is gone, or (lost the race) refused.
        expect(await stores.users.emailVerifiedOf(other)).not.toBe(true)
      }),
    )
  })

  it('stores any address unverified, also one another account has verified', async () => {
    const [a, b] = [await user(), await user()]
    await stores.users.setEmail(a, 'taken@example.com')
    expect(await stores.users.markEmailVerified(a, 'taken@example.com', 9)).toBe('verified')
    await stores.users.setEmail(b, 'TAKEN@example.com')
    expect(await stores.users.markEmailVerified(b, 'TAKEN@example.com', 9)).toBe('taken')
    expect((await stores.users.findByVerifiedEmail('taken@example.com'))?.id).toBe(a)
  })
})
