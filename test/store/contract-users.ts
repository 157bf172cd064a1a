/** The `UserStore` part of the store contract (see `contract.ts`). */
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { NewUser } from '../../src/store/types.js'
import type { ContractContext } from './contract.js'

const TAKEN = { code: 'ERR_USERNAME_TAKEN', message: 'That username is already taken' }

/** A user with fresh id and name; `name` gets a random suffix. */
export function newUser(name = 'user', createdAt = 1_700_000_000): NewUser {
  return {
    id: randomUUID(),
    username: `${name}-${randomUUID().slice(0, 8)}`,
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    createdAt,
  }
}

export function registerUserStoreContract(context: ContractContext): void {
  describe('UserStore', () => {
    it('creates a user and finds it by id and by name, with createdAt as a number', async () => {
      const { users } = context.shared()
      const user = newUser('Alice', 1_800_000_123)
      expect(await users.create(user)).toEqual(user)
      expect(await users.findById(user.id)).toEqual(user)
      expect(await users.findByUsername(user.username)).toEqual(user)
      expect(typeof (await users.findById(user.id))?.createdAt).toBe('number')
    })

    it('disables a user from a time, enables them again, and says whether the user exists', async () => {
      const { users } = context.shared()
      const user = newUser('Disabled')
      await users.create(user)
      expect(await users.setDisabledAt(user.id, 1_800_000_000)).toBe(true)
      expect(await users.findByUsername(user.username)).toEqual({
        ...user,
        disabledAt: 1_800_000_000,
      })
      expect(await users.setDisabledAt(user.id, null)).toBe(true)
      expect(await users.findById(user.id)).toEqual(user)
      expect(await users.setDisabledAt(randomUUID(), 1)).toBe(false)
    })

    it('deletes a user with their scopes, and lists users oldest first', async () => {
      const { users } = context.shared()
      const older = newUser('Older', 1_000)
      const younger = { ...newUser('Younger', 2_000), scopes: ['posts:read'] }
      await users.create(younger)
      await users.create(older)
      const listed = (await users.list()).map((user) => user.id)
      expect(listed.indexOf(older.id)).toBeLessThan(listed.indexOf(younger.id))
      expect(await users.delete(younger.id)).toBe(true)
      expect(await users.findById(younger.id)).toBeUndefined()
      expect(await users.listScopes(younger.id)).toEqual([])
      expect((await users.list()).map((user) => user.id)).not.toContain(younger.id)
      expect(await users.delete(younger.id)).toBe(false)
    })

    it('finds a user by its name written in another case', async () => {
      const { users } = context.shared()
      const user = newUser('MixedCase')
      await users.create(user)
      expect(await users.findByUsername(user.username.toUpperCase())).toEqual(user)
      expect(await users.findByUsername(user.username.toLowerCase())).toEqual(user)
    })

    it('answers undefined for an unknown name or id', async () => {
      const { users } = context.shared()
      expect(await users.findByUsername(`nobody-${randomUUID()}`)).toBeUndefined()
      expect(await users.findById(randomUUID())).toBeUndefined()
    })

    it('refuses a name taken in another case with ERR_USERNAME_TAKEN', async () => {
      const { users } = context.shared()
      const user = newUser('Bob')
      await users.create(user)
      const twin = { ...newUser(), username: user.username.toUpperCase() }
      await expect(users.create(twin)).rejects.toMatchObject(TAKEN)
      expect(await users.findById(twin.id)).toBeUndefined()
    })

    it('lets exactly one of ten concurrent creates of one name succeed', async () => {
      const { users } = context.shared()
      const name = newUser('race').username
      const attempts = Array.from({ length: 10 }, (_, i) => ({
        ...newUser(),
        username: i % 2 === 0 ? name : name.toUpperCase(),
      }))
      const results = await Promise.allSettled(attempts.map((user) => users.create(user)))
      const won = results.filter((result) => result.status === 'fulfilled')
      const lost = results.filter((result) => result.status === 'rejected')
      expect(won).toHaveLength(1)
      expect(lost).toHaveLength(9)
      for (const result of lost) expect(result.reason).toMatchObject(TAKEN)
      const winner = attempts[results.findIndex((result) => result.status === 'fulfilled')]
      expect((await users.findByUsername(name))?.id).toBe(winner?.id)
    })

    /** @see issue 9, point 11 */
    it('refuses a look-alike of a taken name (its TS #39 skeleton) with ERR_USERNAME_TAKEN', async () => {
      const { users } = context.shared()
      const user = { ...newUser(), username: `Jane-${randomUUID().slice(0, 8)}` }
      await users.create(user)
      const twin = { ...newUser(), username: user.username.replace('a', '\u0430') }
      await expect(users.create(twin)).rejects.toMatchObject(TAKEN)
      expect(await users.findById(twin.id)).toBeUndefined()
      expect(await users.findByUsername(twin.username)).toBeUndefined()
    })

    it('lets exactly one of ten concurrent creates of look-alike names succeed', async () => {
      const { users } = context.shared()
      const name = `Jane-${randomUUID().slice(0, 8)}`
      const spellings = [name, name.replace('a', '\u0430'), name.replace('J', '\u0408')]
      const attempts = Array.from({ length: 10 }, (_, i) => ({
        ...newUser(),
        username: spellings[i % spellings.length] ?? name,
      }))
      const results = await Promise.allSettled(attempts.map((user) => users.create(user)))
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1)
      for (const result of results) {
        if (result.status === 'rejected') expect(result.reason).toMatchObject(TAKEN)
      }
    })

    it('replaces the password hash of one user only', async () => {
      const { users } = context.shared()
      const user = newUser('Carol')
      const other = newUser('Dave')
      await users.create(user)
      await users.create(other)
      await users.setPasswordHash(user.id, '$argon2id$new')
      expect((await users.findById(user.id))?.passwordHash).toBe('$argon2id$new')
      expect((await users.findById(other.id))?.passwordHash).toBe(other.passwordHash)
    })

    it('stores the scopes given at creation and lists them sorted, once each', async () => {
      const { users } = context.shared()
      const user = { ...newUser('Scoped'), scopes: ['posts:write', 'posts:read', 'posts:write'] }
      await users.create(user)
      expect(await users.listScopes(user.id)).toEqual(['posts:read', 'posts:write'])
      expect(await users.findById(user.id)).not.toHaveProperty('scopes')
    })

    it('lists no scopes for a user created without any, or for an unknown id', async () => {
      const { users } = context.shared()
      const user = newUser('Unscoped')
      await users.create(user)
      expect(await users.listScopes(user.id)).toEqual([])
      expect(await users.listScopes(randomUUID())).toEqual([])
    })

    it('grants scopes to one user only, keeping a scope granted twice once', async () => {
      const { users } = context.shared()
      const user = { ...newUser('Grantee'), scopes: ['posts:read'] }
      const other = { ...newUser('Bystander'), scopes: ['posts:read'] }
      await users.create(user)
      await users.create(other)
      expect(await users.grantScopes(user.id, ['posts:write', 'posts:read'])).toEqual([
        'posts:read',
        'posts:write',
      ])
      expect(await users.grantScopes(user.id, ['posts:write'])).toEqual([
        'posts:read',
        'posts:write',
      ])
      expect(await users.listScopes(user.id)).toEqual(['posts:read', 'posts:write'])
      expect(await users.listScopes(other.id)).toEqual(['posts:read'])
    })

    it('revokes scopes of one user only, ignoring scopes it does not have', async () => {
      const { users } = context.shared()
      const user = { ...newUser('Revokee'), scopes: ['posts:read', 'posts:write'] }
      const other = { ...newUser('Witness'), scopes: ['posts:read', 'posts:write'] }
      await users.create(user)
      await users.create(other)
      expect(await users.revokeScopes(user.id, ['posts:write', 'admin'])).toEqual(['posts:read'])
      expect(await users.revokeScopes(user.id, ['posts:write'])).toEqual(['posts:read'])
      expect(await users.listScopes(other.id)).toEqual(['posts:read', 'posts:write'])
    })

    it('refuses a grant to an unknown user with ERR_NOT_FOUND', async () => {
      const { users } = context.shared()
      const unknown = randomUUID()
      await expect(users.grantScopes(unknown, ['posts:read'])).rejects.toMatchObject({
        code: 'ERR_NOT_FOUND',
      })
      expect(await users.listScopes(unknown)).toEqual([])
    })

    it('creates no user and no scopes when the name is taken', async () => {
      const { users } = context.shared()
      const user = newUser('Taken')
      await users.create(user)
      const twin = { ...newUser(), username: user.username, scopes: ['posts:write'] }
      await expect(users.create(twin)).rejects.toMatchObject(TAKEN)
      expect(await users.listScopes(twin.id)).toEqual([])
    })
  })
}
