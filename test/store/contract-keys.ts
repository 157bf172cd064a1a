/** The `KeyStore` part of the store contract (see `contract.ts`). Each test has its own database. */
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { AuthStores, StoredSigningKey } from '../../src/store/types.js'
import type { ContractContext } from './contract.js'

const NOW = 1_800_000_000 // seconds

function newKey(createdAt: number, alg = 'EdDSA'): StoredSigningKey {
  const kid = randomUUID()
  return {
    kid,
    alg,
    publicJwk: JSON.stringify({ kid, kty: 'OKP' }),
    privateJwk: `encrypted-${kid}`,
    createdAt,
    activatedAt: null,
    retireAt: null,
  }
}

/** Runs `test` on stores of a database of its own. */
async function withFresh(context: ContractContext, test: (stores: AuthStores) => Promise<void>) {
  const stores = await context.fresh()
  try {
    await test(stores)
  } finally {
    await stores.close()
  }
}

export function registerKeyStoreContract(context: ContractContext): void {
  describe('KeyStore', () => {
    it('has no current, upcoming or listed key while empty', () =>
      withFresh(context, async ({ keys }) => {
        expect(await keys.current()).toBeUndefined()
        expect(await keys.upcoming()).toBeUndefined()
        expect(await keys.list()).toEqual([])
        expect(await keys.listPublished(NOW)).toEqual([])
      }))

    it('publishes an upcoming key without making it current', () =>
      withFresh(context, async ({ keys }) => {
        const key = newKey(NOW)
        await keys.addUpcoming(key)
        expect(await keys.upcoming()).toEqual(key)
        expect(await keys.current()).toBeUndefined()
        expect(await keys.listPublished(NOW)).toEqual([key])
      }))

    it('makes the fallback current on a first rotation, and publishes the next upcoming key', () =>
      withFresh(context, async ({ keys }) => {
        const fallback = newKey(NOW)
        const next = newKey(NOW + 1)
        await keys.rotate(fallback, next, NOW + 600, NOW)
        expect(await keys.current()).toEqual({ ...fallback, activatedAt: NOW })
        expect(await keys.upcoming()).toEqual(next)
        expect((await keys.list()).map((key) => key.kid)).toEqual([next.kid, fallback.kid])
      }))

    it('promotes the upcoming key and retires the current one at retireAt', () =>
      withFresh(context, async ({ keys }) => {
        const first = newKey(NOW)
        const second = newKey(NOW + 1)
        await keys.rotate(first, second, NOW + 600, NOW)
        const unused = newKey(NOW + 100)
        const third = newKey(NOW + 101)
        await keys.rotate(unused, third, NOW + 700, NOW + 100)

        expect(await keys.current()).toEqual({ ...second, activatedAt: NOW + 100 })
        expect(await keys.upcoming()).toEqual(third)
        const listed = await keys.list()
        expect(listed.map((key) => key.kid)).toEqual([third.kid, second.kid, first.kid])
        expect(listed.find((key) => key.kid === first.kid)?.retireAt).toBe(NOW + 700)
        // Published until it retires, then dropped from the JWKS.
        expect((await keys.listPublished(NOW + 699)).map((key) => key.kid)).toContain(first.kid)
        expect((await keys.listPublished(NOW + 700)).map((key) => key.kid)).toEqual([
          third.kid,
          second.kid,
        ])
      }))

    it('promotes exactly one of two upcoming keys and leaves the other upcoming', () =>
      withFresh(context, async ({ keys }) => {
        const older = newKey(NOW)
        const newer = newKey(NOW + 1)
        await keys.addUpcoming(older)
        await keys.addUpcoming(newer)
        const next = newKey(NOW + 2)
        await keys.rotate(newKey(NOW + 2), next, NOW + 600, NOW + 10)

        expect((await keys.current())?.kid).toBe(older.kid)
        const waiting = (await keys.list()).filter((key) => key.activatedAt === null)
        expect(waiting.map((key) => key.kid).sort()).toEqual([newer.kid, next.kid].sort())
        expect((await keys.list()).filter((key) => key.activatedAt !== null)).toHaveLength(1)
      }))

    it('retires at once an upcoming key of another algorithm', () =>
      withFresh(context, async ({ keys }) => {
        const foreign = newKey(NOW, 'RS256')
        await keys.addUpcoming(foreign)
        const fallback = newKey(NOW + 1)
        await keys.rotate(fallback, newKey(NOW + 2), NOW + 600, NOW + 10)
        expect((await keys.current())?.kid).toBe(fallback.kid)
        const stored = (await keys.list()).find((key) => key.kid === foreign.kid)
        expect(stored).toMatchObject({ activatedAt: null, retireAt: NOW + 10 })
      }))

    it('serialises concurrent rotations: one current and one upcoming key afterwards', () =>
      withFresh(context, async ({ keys }) => {
        await keys.rotate(newKey(NOW), newKey(NOW + 1), NOW + 600, NOW)
        await Promise.all(
          [0, 1, 2].map((i) =>
            keys.rotate(newKey(NOW + 10 + i), newKey(NOW + 20 + i), NOW + 900, NOW + 100),
          ),
        )
        const live = (await keys.list()).filter((key) => key.retireAt === null)
        expect(live.filter((key) => key.activatedAt !== null)).toHaveLength(1)
        expect(live.filter((key) => key.activatedAt === null)).toHaveLength(1)
      }))
  })
}
