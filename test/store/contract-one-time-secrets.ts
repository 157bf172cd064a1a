/** The `OneTimeSecretStore` part of the store contract (see `contract.ts`). @see issue 15 */
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { OneTimeSecret } from '../../src/store/types.js'
import type { ContractContext } from './contract.js'

const NOW = 1_800_000_000 // seconds

function secret(overrides: Partial<OneTimeSecret> = {}): OneTimeSecret {
  return {
    hash: randomUUID(),
    purpose: 'password-reset',
    userId: randomUUID(),
    detail: null,
    createdAt: NOW,
    expiresAt: NOW + 600,
    ...overrides,
  }
}

export function registerOneTimeSecretStoreContract(context: ContractContext): void {
  describe('OneTimeSecretStore', () => {
    it('redeems a secret once, with what it was stored with', async () => {
      const { oneTimeSecrets } = context.shared()
      const stored = secret({ detail: '{"email":"jane@example.com"}' })
      await oneTimeSecrets.add(stored)
      expect(await oneTimeSecrets.redeem(stored.hash, stored.purpose, NOW + 1)).toEqual(stored)
      expect(await oneTimeSecrets.redeem(stored.hash, stored.purpose, NOW + 2)).toBeUndefined()
    })

    it('keeps the flows apart and refuses an expired secret', async () => {
      const { oneTimeSecrets } = context.shared()
      const stored = secret({ userId: null })
      await oneTimeSecrets.add(stored)
      expect(await oneTimeSecrets.redeem(stored.hash, 'email-verification', NOW)).toBeUndefined()
      expect(await oneTimeSecrets.redeem(stored.hash, stored.purpose, NOW + 600)).toBeUndefined()
      // Neither refusal used it up.
      expect(await oneTimeSecrets.redeem(stored.hash, stored.purpose, NOW + 599)).toEqual(stored)
    })

    it('lets exactly one of 20 concurrent redemptions of one secret succeed', async () => {
      const { oneTimeSecrets } = context.shared()
      const stored = secret()
      await oneTimeSecrets.add(stored)
      const results = await Promise.all(
        Array.from({ length: 20 }, () => oneTimeSecrets.redeem(stored.hash, stored.purpose, NOW)),
      )
      expect(results.filter((result) => result !== undefined)).toHaveLength(1)
    })

    it("voids and counts one user's outstanding secrets of one flow, and no one else's", async () => {
      const { oneTimeSecrets } = context.shared()
      const userId = randomUUID()
      const first = secret({ userId })
      const second = secret({ userId })
      const mine = [first, second, secret({ userId })]
      const otherFlow = secret({ userId, purpose: 'email-verification' })
      const otherUser = secret()
      for (const row of [...mine, otherFlow, otherUser]) await oneTimeSecrets.add(row)
      await oneTimeSecrets.redeem(first.hash, first.purpose, NOW)
      expect(await oneTimeSecrets.countOutstanding(userId, 'password-reset', NOW)).toBe(2)
      expect(await oneTimeSecrets.voidAll(userId, 'password-reset', NOW)).toBe(2)
      expect(await oneTimeSecrets.countOutstanding(userId, 'password-reset', NOW)).toBe(0)
      expect(await oneTimeSecrets.redeem(second.hash, second.purpose, NOW)).toBeUndefined()
      expect(await oneTimeSecrets.redeem(otherFlow.hash, otherFlow.purpose, NOW)).toEqual(otherFlow)
      expect(await oneTimeSecrets.redeem(otherUser.hash, otherUser.purpose, NOW)).toEqual(otherUser)
    })

    it('sweeps expired secrets and keeps the others', async () => {
      const stores = await context.fresh()
      const expired = secret({ expiresAt: NOW + 10 })
      const live = secret({ expiresAt: NOW + 100 })
      await stores.oneTimeSecrets.add(expired)
      await stores.oneTimeSecrets.add(live)
      expect(await stores.oneTimeSecrets.sweep(NOW + 50)).toBe(1)
      expect(await stores.oneTimeSecrets.redeem(live.hash, live.purpose, NOW + 60)).toEqual(live)
      await stores.close()
    })
  })
}
