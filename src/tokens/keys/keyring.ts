/**
 * The auth server's signing keys. Asymmetric mode keeps them in the store (private halves
 * encrypted) and publishes the public halves as a JWKS; tutorial mode has one shared HS256 secret
 * and publishes nothing.
 *
 * The current key is read from the store at most a second apart, so a rotation made by the CLI or
 * by another instance applies within a second (its key was already published a rotation ahead,
 * so verifiers know it); decrypted keys are imported once per `kid` and kept.
 *
 * @module
 */

import { createSecretKey } from '@gatehouse/verify'
import { type CryptoKey, errors, importJWK, type JWK, type JWTVerifyGetKey } from 'jose'
import { nowSeconds } from '../../lib/time.js'
import type { KeyStore, StoredSigningKey } from '../../store/types.js'
import { generateSigningKey, type SigningAlgorithm } from './generate-signing-key.js'
import type { KeyEncryption } from './key-encryption.js'

/** Longest a server keeps signing with the current key it read, in milliseconds. */
const CURRENT_KEY_MAX_AGE_MS = 1000

/** What a token is signed with. */
export interface SigningKey {
  /** Absent in tutorial mode, where there is only one key. */
  readonly kid: string | undefined
  readonly alg: string
  readonly key: CryptoKey | Uint8Array
}

export interface Keyring {
  /** `asymmetric`: keys in the store, published as JWKS. `secret`: the tutorial's HS256. */
  readonly mode: 'asymmetric' | 'secret'
  signingKey(): Promise<SigningKey>
  /** The public keys verifiers may use: never private parameters, never a symmetric key. */
  publicJwks(): Promise<{ keys: JWK[] }>
  /** The key (or key resolver) this auth server verifies its own access tokens with. */
  verificationKey(): Uint8Array | JWTVerifyGetKey
  /**
   * Makes the upcoming key current (it was already published) and publishes a new upcoming one;
   * the old key stays published until tokens it signed expired.
   */
  rotate(): Promise<StoredSigningKey>
  /** Creates the first keys, rotates when the configured algorithm changed, publishes an upcoming key. */
  ensureCurrent(): Promise<void>
}

export interface AsymmetricKeyringConfig {
  readonly keys: KeyStore
  readonly encryption: KeyEncryption
  readonly alg: SigningAlgorithm
  /** How long a replaced key stays published: the access-token lifetime plus clock tolerance, in seconds. */
  readonly overlap: number
}

/**
 * @example
 * const keyring = createAsymmetricKeyring({ keys: stores.keys, encryption, alg: 'EdDSA', overlap: 905 })
 */
export function createAsymmetricKeyring(config: AsymmetricKeyringConfig): Keyring {
  const privateKeys = new Map<string, Promise<CryptoKey | Uint8Array>>()
  /** The current key as last read, so that a busy server reads it once a second, not per token. */
  let currentKey: { stored: StoredSigningKey; readAt: number } | undefined
  const publicKeys = new Map<string, Promise<CryptoKey | Uint8Array>>()

  /** Imports a key once per `kid`; a failed import is forgotten so it can be tried again. */
  function importOnce(
    cache: Map<string, Promise<CryptoKey | Uint8Array>>,
    stored: StoredSigningKey,
    jwk: () => JWK,
  ) {
    let key = cache.get(stored.kid)
    if (!key) {
      key = importJWK(jwk(), stored.alg)
      key.catch(() => cache.delete(stored.kid))
      cache.set(stored.kid, key)
    }
    return key
  }

  function importPrivate(stored: StoredSigningKey) {
    return importOnce(privateKeys, stored, () =>
      JSON.parse(config.encryption.decrypt(stored.privateJwk)),
    )
  }

  /** Verification against the published keys, read from the store: a rotation elsewhere is seen at once. */
  const verifyWithPublished: JWTVerifyGetKey = async function publishedKey(header) {
    const published = await config.keys.listPublished(nowSeconds())
    const match = published.find((stored) => stored.kid === header.kid && stored.alg === header.alg)
    if (!match) throw new errors.JWKSNoMatchingKey()
    return importOnce(publicKeys, match, () => JSON.parse(match.publicJwk))
  }

  async function newKey(): Promise<StoredSigningKey> {
    const generated = await generateSigningKey(config.alg)
    return {
      kid: generated.kid,
      alg: generated.alg,
      publicJwk: JSON.stringify(generated.publicJwk),
      privateJwk: config.encryption.encrypt(JSON.stringify(generated.privateJwk)),
      createdAt: nowSeconds(),
      activatedAt: null,
      retireAt: null,
    }
  }

  /**
   * Promotes the key published at the previous rotation, so that verifiers which cached the
   * JWKS since then already know it, and publishes its successor for the next one.
   */
  async function rotate(): Promise<StoredSigningKey> {
    const now = nowSeconds()
    await config.keys.rotate(await newKey(), await newKey(), now + config.overlap, now)
    const current = await config.keys.current()
    if (!current) throw new Error('signing key rotation left no current key')
    currentKey = { stored: current, readAt: Date.now() }
    return current
  }

  return {
    mode: 'asymmetric',
    async signingKey() {
      const now = Date.now()
      if (!currentKey || now - currentKey.readAt >= CURRENT_KEY_MAX_AGE_MS) {
        const stored = (await config.keys.current()) ?? (await rotate())
        currentKey = { stored, readAt: now }
      }
      const { stored } = currentKey
      return { kid: stored.kid, alg: stored.alg, key: await importPrivate(stored) }
    },
    async publicJwks() {
      const published = await config.keys.listPublished(nowSeconds())
      return { keys: published.map((stored) => JSON.parse(stored.publicJwk) as JWK) }
    },
    verificationKey: () => verifyWithPublished,
    rotate,
    async ensureCurrent() {
      const current = await config.keys.current()
      if (current?.alg !== config.alg) {
        await rotate()
        return
      }
      if ((await config.keys.upcoming())?.alg !== config.alg)
        await config.keys.addUpcoming(await newKey())
    },
  }
}

/**
 * Tutorial mode: every token is HS256 with `ACCESS_TOKEN_SECRET`, shared with the API servers.
 *
 * @example
 * const keyring = createSecretKeyring(process.env.ACCESS_TOKEN_SECRET)
 */
export function createSecretKeyring(secret: string): Keyring {
  const verificationKey = createSecretKey(secret)
  const signing = { kid: undefined, alg: 'HS256', key: new TextEncoder().encode(secret) }
  return {
    mode: 'secret',
    signingKey: async () => signing,
    publicJwks: async () => ({ keys: [] }),
    // The verifier's own key resolver: the HMAC key is imported once, not per token.
    verificationKey: () => verificationKey,
    rotate: () => {
      throw new Error(
        'Tutorial mode signs with ACCESS_TOKEN_SECRET: rotate it by changing that secret',
      )
    },
    ensureCurrent: async () => {},
  }
}
