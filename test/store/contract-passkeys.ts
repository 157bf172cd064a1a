/** The `PasskeyStore` part of the store contract (see `contract.ts`). @see issue 15 */
import { randomBytes, randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { StoredPasskey } from '../../src/passkeys/passkey-store.js'
import type { ContractContext } from './contract.js'
import { newUser } from './contract-users.js'

const NOW = 1_800_000_000 // seconds

function passkey(userId: string, overrides: Partial<StoredPasskey> = {}): StoredPasskey {
  return {
    id: randomBytes(16).toString('base64url'),
    userId,
    publicKey: randomBytes(77).toString('base64url'),
    counter: 0,
    transports: ['internal', 'hybrid'],
    deviceType: 'multiDevice',
    backedUp: true,
    name: 'Laptop',
    createdAt: NOW,
    lastUsedAt: null,
    ...overrides,
  }
}

export function registerPasskeyStoreContract(context: ContractContext): void {
  describe('PasskeyStore', () => {
    it('stores a passkey and finds it by credential id, with every field as it was given', async () => {
      const { users, passkeys } = context.shared()
      const user = newUser('passkey')
      await users.create(user)
      const stored = passkey(user.id, { counter: 7, backedUp: false, deviceType: 'singleDevice' })
      await passkeys.add(stored)
      expect(await passkeys.find(stored.id)).toEqual(stored)
      expect(await passkeys.find(randomBytes(16).toString('base64url'))).toBeUndefined()
    })

    it("lists and counts one user's passkeys oldest first, and no one else's", async () => {
      const { users, passkeys } = context.shared()
      const [jane, john] = [newUser('jane'), newUser('john')]
      for (const user of [jane, john]) await users.create(user)
      const older = passkey(jane.id, { createdAt: NOW - 10 })
      const newer = passkey(jane.id, { createdAt: NOW })
      for (const row of [newer, older, passkey(john.id)]) await passkeys.add(row)
      expect(await passkeys.list(jane.id)).toEqual([older, newer])
      expect(await passkeys.count(jane.id)).toBe(2)
      expect(await passkeys.count(randomUUID())).toBe(0)
    })

    it('refuses a credential id registered already, also to another user', async () => {
      const { users, passkeys } = context.shared()
      const [jane, john] = [newUser('jane'), newUser('john')]
      for (const user of [jane, john]) await users.create(user)
      const stored = passkey(jane.id)
      await passkeys.add(stored)
      await expect(passkeys.add({ ...stored, userId: john.id })).rejects.toMatchObject({
        code: 'ERR_PASSKEY_REGISTRATION_INVALID',
      })
      expect(await passkeys.find(stored.id)).toEqual(stored)
    })

    it('records a use only when the counter moves forward, or stays 0 on a counterless authenticator', async () => {
      const { users, passkeys } = context.shared()
      const user = newUser('counter')
      await users.create(user)
      const counted = passkey(user.id, { counter: 5 })
      const counterless = passkey(user.id)
      for (const row of [counted, counterless]) await passkeys.add(row)
      expect(await passkeys.recordUse(counted.id, 5, NOW + 1)).toBe(false)
      expect(await passkeys.recordUse(counted.id, 4, NOW + 1)).toBe(false)
      expect(await passkeys.recordUse(counted.id, 0, NOW + 1)).toBe(false)
      expect(await passkeys.find(counted.id)).toEqual(counted)
      expect(await passkeys.recordUse(counted.id, 6, NOW + 2)).toBe(true)
      expect(await passkeys.find(counted.id)).toEqual({
        ...counted,
        counter: 6,
        lastUsedAt: NOW + 2,
      })
      expect(await passkeys.recordUse(counterless.id, 0, NOW + 3)).toBe(true)
      expect(await passkeys.find(counterless.id)).toMatchObject({ counter: 0, lastUsedAt: NOW + 3 })
    })

    it('lets one of 10 concurrent uses with one counter value through', async () => {
      const { users, passkeys } = context.shared()
      const user = newUser('race')
      await users.create(user)
      const stored = passkey(user.id, { counter: 1 })
      await passkeys.add(stored)
      const results = await Promise.all(
        Array.from({ length: 10 }, () => passkeys.recordUse(stored.id, 2, NOW)),
      )
      expect(results.filter(Boolean)).toHaveLength(1)
    })

    it("removes only the user's own passkey, and says whether it did", async () => {
      const { users, passkeys } = context.shared()
      const [jane, john] = [newUser('jane'), newUser('john')]
      for (const user of [jane, john]) await users.create(user)
      const stored = passkey(jane.id)
      await passkeys.add(stored)
      expect(await passkeys.remove(john.id, stored.id)).toBe(false)
      expect(await passkeys.find(stored.id)).toEqual(stored)
      expect(await passkeys.remove(jane.id, stored.id)).toBe(true)
      expect(await passkeys.remove(jane.id, stored.id)).toBe(false)
      expect(await passkeys.find(stored.id)).toBeUndefined()
    })

    it('goes with its user when the user is deleted', async () => {
      const { users, passkeys } = context.shared()
      const user = newUser('deleted')
      await users.create(user)
      const stored = passkey(user.id)
      await passkeys.add(stored)
      await users.delete(user.id)
      expect(await passkeys.find(stored.id)).toBeUndefined()
    })
  })
}
