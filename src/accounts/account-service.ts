/**
 * Accounts: registration and password checks. Unknown users, wrong passwords and disabled
 * accounts fail the same way, at the same cost.
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import { GatehouseError, isGatehouseError } from '../errors/index.js'
import { nowSeconds } from '../lib/time.js'
import type { PasswordHasher } from '../passwords/password-hasher.js'
import type { User, UserStore } from '../store/types.js'

export interface Credentials {
  readonly username: string
  readonly password: string
}

export interface PublicUser {
  readonly id: string
  readonly username: string
}

export interface AccountService {
  /** Creates an account; throws `ERR_USERNAME_TAKEN` when the name exists. */
  register(credentials: Credentials, options?: { id?: string }): Promise<PublicUser>
  /**
   * The user these credentials belong to; throws `ERR_INVALID_CREDENTIALS` otherwise, and for a
   * disabled account (`gatehouse users disable`) too.
   */
  authenticate(credentials: Credentials): Promise<User>
  /** Replaces the password after checking the old one; throws `ERR_WRONG_PASSWORD` otherwise. */
  /**
   * Replaces the password after checking the old one (`ERR_WRONG_PASSWORD`). `beforeStore` runs
   * between the two, so that what it must do (end the other sessions) is retried with the old
   * password when it fails.
   */
  changePassword(
    userId: string,
    oldPassword: string,
    newPassword: string,
    beforeStore?: () => Promise<unknown>,
  ): Promise<void>
  /** The account with this id (its address included), if any. */
  findUser(userId: string): Promise<User | undefined>
  /** Checks the user's password (`ERR_WRONG_PASSWORD` otherwise): before changing the address. */
  checkPassword(userId: string, password: string): Promise<User>
  /**
   * Replaces the password without the old one: for a redeemed reset token, which is the proof.
   * `beforeStore` runs first, as in `changePassword`.
   */
  setPassword(
    userId: string,
    newPassword: string,
    beforeStore?: () => Promise<unknown>,
  ): Promise<void>
  /** Creates the account unless its name exists (demo seeding). Returns whether it created it. */
  ensure(credentials: Credentials, options?: { id?: string }): Promise<boolean>
}

export interface AccountServiceConfig {
  readonly users: UserStore
  readonly passwords: PasswordHasher
  /** Scopes each new account is granted (`DEFAULT_SCOPES`). */
  readonly defaultScopes: readonly string[]
}

/**
 * @example
 * const accounts = createAccountService({ users: stores.users, passwords, defaultScopes: ['posts:read'] })
 * const user = await accounts.authenticate({ username: 'Jane', password: 'abcd' })
 */
export function createAccountService({
  users,
  passwords,
  defaultScopes,
}: AccountServiceConfig): AccountService {
  async function register(credentials: Credentials, options: { id?: string } = {}) {
    const passwordHash = await passwords.hash(credentials.password)
    const user = await users.create({
      id: options.id ?? randomUUID(),
      username: credentials.username,
      passwordHash,
      createdAt: nowSeconds(),
      scopes: defaultScopes,
    })
    return { id: user.id, username: user.username }
  }

  return {
    register,

    async authenticate({ username, password }) {
      const user = await users.findByUsername(username)
      const valid = await passwords.verify(user?.passwordHash, password)
      // A disabled account is refused after the (full-cost) password check and exactly as a
      // wrong password is: a distinct answer would tell whoever guessed the password right.
      if (!user || !valid || isDisabled(user)) throw new GatehouseError('ERR_INVALID_CREDENTIALS')
      return user
    },

    async changePassword(userId, oldPassword, newPassword, beforeStore) {
      const user = await users.findById(userId)
      if (!user || !(await passwords.verify(user.passwordHash, oldPassword))) {
        throw new GatehouseError('ERR_WRONG_PASSWORD')
      }
      await beforeStore?.()
      await users.setPasswordHash(userId, await passwords.hash(newPassword))
    },

    findUser: (userId) => users.findById(userId),

    async checkPassword(userId, password) {
      const user = await users.findById(userId)
      if (!user || !(await passwords.verify(user.passwordHash, password))) {
        throw new GatehouseError('ERR_WRONG_PASSWORD')
      }
      return user
    },

    async setPassword(userId, newPassword, beforeStore) {
      const passwordHash = await passwords.hash(newPassword)
      await beforeStore?.()
      await users.setPasswordHash(userId, passwordHash)
    },

    async ensure(credentials, options) {
      if (await users.findByUsername(credentials.username)) return false
      try {
        await register(credentials, options)
        return true
      } catch (error) {
        // Another instance seeded it first: the account exists, which is all we wanted.
        if (isGatehouseError(error) && error.code === 'ERR_USERNAME_TAKEN') return false
        throw error
      }
    },
  }
}

/** Whether an operator has disabled the account (`gatehouse users disable`). */
export function isDisabled(user: User): boolean {
  return user.disabledAt !== undefined && user.disabledAt !== null
}
