/**
 * Password hashing with argon2id at OWASP's parameters (m = 19 MiB, t = 2, p = 1). node-argon2
 * computes on libuv's thread pool, so a login never blocks the event loop.
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import argon2 from 'argon2'

/** OWASP Password Storage Cheat Sheet, argon2id, first recommended configuration. */
export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19 * 1024, // KiB = 19 MiB
  timeCost: 2,
  parallelism: 1,
} as const

/**
 * For tests that do not test hashing (`PASSWORD_HASH_COST=low`, refused outside NODE_ENV=test):
 * the least memory and passes argon2 takes, about 1 ms a hash instead of about 80.
 */
export const ARGON2_TEST_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 1024, // KiB = 1 MiB
  timeCost: 1,
  parallelism: 1,
} as const

export interface PasswordHasher {
  hash(password: string): Promise<string>
  /** Checks `password` against a stored hash; `undefined` checks a dummy at the same cost. */
  verify(hash: string | undefined, password: string): Promise<boolean>
}

/**
 * Creates a hasher. Its dummy hash makes an unknown user cost the same as a wrong password, so
 * response time does not tell which usernames exist; it is computed in the background, so the
 * returned promise does not wait for it.
 *
 * @param cost `low` only in tests that do not test hashing (see `ARGON2_TEST_OPTIONS`).
 * @example
 * const passwords = await createPasswordHasher()
 * const ok = await passwords.verify(user?.passwordHash, 'abcd')
 */
export async function createPasswordHasher(
  cost: 'standard' | 'low' = 'standard',
): Promise<PasswordHasher> {
  const options = cost === 'low' ? ARGON2_TEST_OPTIONS : ARGON2_OPTIONS
  // Not awaited: it takes about 80 ms of the thread pool, which a start need not wait for. The
  // first unknown user's login waits on it instead (and fails, closed, if it failed).
  const dummyHash = argon2.hash(randomBytes(16).toString('hex'), options)
  dummyHash.catch(() => {})
  return {
    hash: (password) => argon2.hash(password, options),
    async verify(hash, password) {
      if (hash === undefined) {
        await argon2.verify(await dummyHash, password)
        return false
      }
      return argon2.verify(hash, password)
    },
  }
}
