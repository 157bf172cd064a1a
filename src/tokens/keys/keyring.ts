/**
 * The auth server's signing keys. Asymmetric mode keeps them in the store (private halves
 * encrypted) and publishes the public halves as a JWKS; tutorial mode has one shared HS256 secret
 * and publishes nothing.
 *
 * The current key is read from the store on every signature, so a rotation made by the CLI or by
 * another instance applies at once; decrypted keys are imported once per `kid` and kept.
 *
 * @module
 */
import { type CryptoKey, importJWK, type JWK } from 'jose'
import { nowSeconds } from '../../lib/time.js'
import type { KeyStore, StoredSigningKey } from '../../store/types.js'
import { generateSigningKey, type SigningAlgorithm } from './generate-signing-key.js'
import type { KeyEncryption } from './key-encryption.js'

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
  /** Makes a new current key; the old one stays published until tokens it signed expired. */
  rotate(): Promise<StoredSigningKey>
  /** Creates the first key, or rotates when the configured algorithm changed. */
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
  const imported = new Map<string, Promise<CryptoKey | Uint8Array>>()

  function importPrivate(stored: StoredSigningKey) {
    let key = imported.get(stored.kid)
    if (!key) {
      key = importJWK(JSON.parse(config.encryption.decrypt(stored.privateJwk)), stored.alg)
      key.catch(() => imported.delete(stored.kid))
      imported.set(stored.kid, key)
    }
    return key
  }

  async function rotate() {
    const generated = await generateSigningKey(config.alg)
    const now = nowSeconds()
    const stored = {
      kid: generated.kid,
      alg: generated.alg,
      publicJwk: JSON.stringify(generated.publicJwk),
      privateJwk: config.encryption.encrypt(JSON.stringify(generated.privateJwk)),
      createdAt: now,
      retireAt: null,
    }
    await config.keys.rotate(stored, now + config.overlap)
    return stored
  }

  return {
    mode: 'asymmetric',
    async signingKey() {
      const current = (await config.keys.current()) ?? (await rotate())
      return { kid: current.kid, alg: current.alg, key: await importPrivate(current) }
    },
    async publicJwks() {
      const published = await config.keys.listPublished(nowSeconds())
      return { keys: published.map((stored) => JSON.parse(stored.publicJwk) as JWK) }
    },
    rotate,
    async ensureCurrent() {
      const current = await config.keys.current()
      if (current?.alg !== config.alg) await rotate()
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
  const signing = { kid: undefined, alg: 'HS256', key: new TextEncoder().encode(secret) }
  return {
    mode: 'secret',
    signingKey: async () => signing,
    publicJwks: async () => ({ keys: [] }),
    rotate: () => {
      throw new Error(
        'Tutorial mode signs with ACCESS_TOKEN_SECRET: rotate it by changing that secret',
      )
    },
    ensureCurrent: async () => {},
  }
}
