/**
 * The shared secret of tutorial mode, turned into keys once: a `CryptoKey` per HMAC algorithm,
 * imported on first use and reused. Handing jose raw bytes instead would import the key again on
 * every verification (DESIGN.md, performance notes: "import keys once").
 *
 * @module
 */
import { webcrypto } from 'node:crypto'
import type { CryptoKey, JWTVerifyGetKey } from 'jose'

const HASH_OF: Record<string, string> = { HS256: 'SHA-256', HS384: 'SHA-384', HS512: 'SHA-512' }

/**
 * @param secret The shared secret (UTF-8 bytes of a string, as jsonwebtoken uses it).
 * @example
 * const key = createSecretKey(process.env.ACCESS_TOKEN_SECRET)
 */
export function createSecretKey(secret: string | Uint8Array): JWTVerifyGetKey {
  const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret
  const imported = new Map<string, Promise<CryptoKey>>()
  return function secretKeyFor(header) {
    const hash = HASH_OF[header.alg ?? '']
    // jose has already refused any algorithm outside the pinned list; raw bytes make it refuse
    // whatever else it is handed.
    if (!hash) return bytes
    let key = imported.get(hash)
    if (!key) {
      key = webcrypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash }, false, [
        'verify',
      ]) as Promise<CryptoKey>
      imported.set(hash, key)
    }
    return key
  }
}
