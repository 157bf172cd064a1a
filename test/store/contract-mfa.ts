/** The `MfaStore` part of the store contract (see `contract.ts`). @see issue 15, point 4 */
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { ContractContext } from './contract.js'

const NOW = 1_800_000_000 // seconds

/** A user of its own, since factors belong to an existing account (a foreign key). */
async function newUserId(context: ContractContext): Promise<string> {
  const id = randomUUID()
  await context.shared().users.create({
    id,
    username: `mfa-${id.slice(0, 8)}`,
    passwordHash: 'x',
    createdAt: NOW,
  })
  return id
}

const codes = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ id: randomUUID(), hash: `$argon2id$code-${i}` }))

export function registerMfaStoreContract(context: ContractContext): void {
  describe('MfaStore', () => {
    it('keeps an enrolment pending until confirmed, replacing a pending one, never a confirmed one', async () => {
      const { mfa } = context.shared()
      const userId = await newUserId(context)
      expect(await mfa.beginTotp(userId, 'sealed-1', NOW)).toBe(true)
      expect(await mfa.beginTotp(userId, 'sealed-2', NOW + 1)).toBe(true)
      expect(await mfa.findTotp(userId)).toEqual({
        userId,
        sealedSecret: 'sealed-2',
        createdAt: NOW + 1,
        confirmedAt: null,
        lastStep: 0,
      })
      // The replaced enrolment cannot be confirmed any more.
      expect(await mfa.confirmTotp(userId, 'sealed-1', 100, codes(10), NOW + 2)).toBe(false)
      expect(await mfa.confirmTotp(userId, 'sealed-2', 100, codes(10), NOW + 2)).toBe(true)
      expect(await mfa.countRecoveryCodes(userId)).toBe(10)
      expect(await mfa.beginTotp(userId, 'sealed-3', NOW + 3)).toBe(false)
      expect(await mfa.findTotp(userId)).toMatchObject({
        sealedSecret: 'sealed-2',
        confirmedAt: NOW + 2,
        lastStep: 100,
      })
    })

    it('confirms once of 10 concurrent confirmations', async () => {
      const { mfa } = context.shared()
      const userId = await newUserId(context)
      await mfa.beginTotp(userId, 'sealed', NOW)
      const results = await Promise.all(
        Array.from({ length: 10 }, () => mfa.confirmTotp(userId, 'sealed', 7, codes(10), NOW)),
      )
      expect(results.filter(Boolean)).toHaveLength(1)
      expect(await mfa.countRecoveryCodes(userId)).toBe(10)
    })

    it('accepts each step once, and never one at or before the last accepted', async () => {
      const { mfa } = context.shared()
      const userId = await newUserId(context)
      expect(await mfa.acceptStep(userId, 5)).toBe(false) // no factor
      await mfa.beginTotp(userId, 'sealed', NOW)
      expect(await mfa.acceptStep(userId, 5)).toBe(false) // not confirmed yet
      await mfa.confirmTotp(userId, 'sealed', 100, codes(1), NOW)
      const racing = await Promise.all(
        Array.from({ length: 20 }, () => mfa.acceptStep(userId, 101)),
      )
      expect(racing.filter(Boolean)).toHaveLength(1)
      expect(await mfa.acceptStep(userId, 100)).toBe(false)
      expect(await mfa.acceptStep(userId, 102)).toBe(true)
    })

    it('uses a recovery code once of 20 concurrent uses, and counts what is left', async () => {
      const { mfa } = context.shared()
      const userId = await newUserId(context)
      await mfa.beginTotp(userId, 'sealed', NOW)
      await mfa.confirmTotp(userId, 'sealed', 1, codes(3), NOW)
      const [first] = await mfa.unusedRecoveryCodes(userId)
      const racing = await Promise.all(
        Array.from({ length: 20 }, () => mfa.useRecoveryCode(first?.id ?? '', NOW)),
      )
      expect(racing.filter(Boolean)).toHaveLength(1)
      expect(await mfa.countRecoveryCodes(userId)).toBe(2)
      expect((await mfa.unusedRecoveryCodes(userId)).map((row) => row.id)).not.toContain(first?.id)
    })

    it("removes a user's factor and codes, and no one else's", async () => {
      const { mfa } = context.shared()
      const [userId, otherId] = [await newUserId(context), await newUserId(context)]
      for (const id of [userId, otherId]) {
        await mfa.beginTotp(id, 'sealed', NOW)
        await mfa.confirmTotp(id, 'sealed', 1, codes(2), NOW)
      }
      expect(await mfa.removeAll(userId)).toBe(true)
      expect(await mfa.removeAll(userId)).toBe(false)
      expect(await mfa.findTotp(userId)).toBeUndefined()
      expect(await mfa.countRecoveryCodes(userId)).toBe(0)
      expect(await mfa.countRecoveryCodes(otherId)).toBe(2)
    })

    it('goes with its user', async () => {
      const { mfa, users } = context.shared()
      const userId = await newUserId(context)
      await mfa.beginTotp(userId, 'sealed', NOW)
      await mfa.confirmTotp(userId, 'sealed', 1, codes(2), NOW)
      await users.delete(userId)
      expect(await mfa.findTotp(userId)).toBeUndefined()
      expect(await mfa.countRecoveryCodes(userId)).toBe(0)
    })
  })
}
