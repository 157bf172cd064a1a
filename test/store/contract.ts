/**
 * The store contract: what every backend of `AuthStores` must do, as one suite that each backend's
 * test file runs (`sqlite.test.ts`, `postgres.test.ts`). Tests make their own users, sessions and
 * revocations with fresh ids; those that see a whole table (keys, sweeps) open a fresh database.
 */
import { afterAll, beforeAll, describe } from 'vitest'
import type { AuthStores } from '../../src/store/types.js'
import { registerAuditStoreContract } from './contract-audit.js'
import { registerDpopProofStoreContract } from './contract-dpop-proofs.js'
import { registerKeyStoreContract } from './contract-keys.js'
import { registerMfaStoreContract } from './contract-mfa.js'
import { registerOneTimeSecretStoreContract } from './contract-one-time-secrets.js'
import { registerPasskeyStoreContract } from './contract-passkeys.js'
import { registerRevocationStoreContract } from './contract-revocations.js'
import { registerSessionStoreContract } from './contract-sessions.js'
import { registerUserStoreContract } from './contract-users.js'

/** One backend under test. */
export interface StoreBackend {
  /** Stores on a new, empty, migrated database. */
  openFresh(): Promise<AuthStores>
  /** Closes and removes every database `openFresh` made. */
  cleanup(): Promise<void>
  /**
   * Sessions past their absolute expiry vanish by themselves (Redis TTLs), so a sweep never
   * counts them; everything else in the contract is the same.
   */
  readonly expiresNatively?: boolean
}

/** What each part of the contract gets: stores shared by the file, and fresh ones on demand. */
export interface ContractContext {
  /** Stores shared by every test of the file (use fresh ids). */
  shared(): AuthStores
  /** Stores on a database of their own, for tests that look at a whole table. */
  fresh(): Promise<AuthStores>
  /** See `StoreBackend.expiresNatively`. */
  expiresNatively(): boolean
}

/**
 * Registers the contract suite for one backend.
 *
 * @param name The backend, as it appears in test titles.
 * @param createBackend Called once, before the file's tests.
 * @example
 * describeStoreContract('SQLite', async () => sqliteBackend())
 */
export function describeStoreContract(
  name: string,
  createBackend: () => Promise<StoreBackend>,
): void {
  describe(`the ${name} stores`, () => {
    let backend: StoreBackend | undefined
    let shared: AuthStores | undefined
    beforeAll(async () => {
      backend = await createBackend()
      shared = await backend.openFresh()
    })
    afterAll(async () => {
      await backend?.cleanup()
    })
    const context: ContractContext = {
      shared: () => {
        if (!shared) throw new Error('the backend did not open')
        return shared
      },
      fresh: () => {
        if (!backend) throw new Error('the backend did not open')
        return backend.openFresh()
      },
      expiresNatively: () => backend?.expiresNatively === true,
    }
    registerUserStoreContract(context)
    registerSessionStoreContract(context)
    registerKeyStoreContract(context)
    registerRevocationStoreContract(context)
    registerDpopProofStoreContract(context)
    registerAuditStoreContract(context)
    registerOneTimeSecretStoreContract(context)
    registerPasskeyStoreContract(context)
    registerMfaStoreContract(context)
  })
}
