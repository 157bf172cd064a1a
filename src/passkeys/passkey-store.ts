/**
 * The storage contract of passkeys: one row per WebAuthn credential, in the auth database (also
 * with `SESSION_STORE=redis`). Implemented by `store/sql/sql-passkey-store.ts` and checked by the
 * store contract (`test/store/contract-passkeys.ts`) on SQLite and PostgreSQL.
 *
 * @module
 */

/** How a passkey is kept: only public material, so a copy of the database signs nothing. */
export interface StoredPasskey {
  /** The credential id, base64url: how an assertion names its credential. */
  readonly id: string
  readonly userId: string
  /** The COSE public key, base64url. */
  readonly publicKey: string
  /** The signature counter last accepted (0 for authenticators that keep none). */
  readonly counter: number
  /** Transport hints the browser reported (`internal`, `usb`, `hybrid`, ...). */
  readonly transports: readonly string[]
  /** `singleDevice` or `multiDevice` (synced). */
  readonly deviceType: string
  readonly backedUp: boolean
  /** The user's label for it. */
  readonly name: string
  /** Seconds since the epoch. */
  readonly createdAt: number
  /** Last successful sign-in, seconds since the epoch; `null` before the first. */
  readonly lastUsedAt: number | null
}

export interface PasskeyStore {
  /**
   * Adds a passkey. A credential id already registered (to anyone) throws
   * `ERR_PASSKEY_REGISTRATION_INVALID`, also when two callers race for it.
   */
  add(passkey: StoredPasskey): Promise<void>
  /** The passkey with this credential id, whoever it belongs to. */
  find(id: string): Promise<StoredPasskey | undefined>
  /** The user's passkeys, oldest first. */
  list(userId: string): Promise<StoredPasskey[]>
  /** How many passkeys the user has. */
  count(userId: string): Promise<number>
  /**
   * Records a sign-in: sets the counter to `counter` and `lastUsedAt` to `now`, only when
   * `counter` is above the stored one, or both are 0 (an authenticator without a counter).
   * Returns whether it did: of two sign-ins racing with one counter value, one wins.
   */
  recordUse(id: string, counter: number, now: number): Promise<boolean>
  /** Removes the passkey `id` of `userId` only; returns whether there was one. */
  remove(userId: string, id: string): Promise<boolean>
}
