/**
 * Compact JWS signing (RFC 7515 §7.1) with `node:crypto`, synchronously: the access-token signer's
 * last step. jose signs through WebCrypto, whose every signature is a job on the thread pool and a
 * promise back; a refresh pays that once per token. Here each signing key becomes a `KeyObject`
 * once (kept per key) and signs in place. Only the algorithms Gatehouse issues are known.
 *
 * @module
 */
import { createHmac, createSecretKey, KeyObject, sign, type webcrypto } from 'node:crypto'
import type { CryptoKey } from 'jose'

/** What a key of the keyring is: a WebCrypto key (asymmetric), or the tutorial's secret bytes. */
export type SigningKeyMaterial = CryptoKey | Uint8Array

/** Each key as a `KeyObject`, converted on first use (keys are long-lived, so kept by identity). */
const keyObjects = new WeakMap<SigningKeyMaterial, KeyObject>()

function keyObjectOf(key: SigningKeyMaterial): KeyObject {
  let object = keyObjects.get(key)
  if (object === undefined) {
    object =
      key instanceof Uint8Array
        ? createSecretKey(key)
        : KeyObject.from(key as unknown as webcrypto.CryptoKey)
    keyObjects.set(key, object)
  }
  return object
}

/** The signature of `input` under `alg`, as JWS defines it (ES256: `r || s`, RFC 7518 §3.4). */
function signatureOf(alg: string, input: string, key: KeyObject): Buffer {
  switch (alg) {
    case 'EdDSA':
      return sign(null, Buffer.from(input), key)
    case 'ES256':
      return sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' })
    case 'RS256':
      return sign('sha256', Buffer.from(input), key)
    case 'HS256':
      return createHmac('sha256', key).update(input).digest()
    default:
      throw new Error(`signing with ${alg} is not supported`)
  }
}

/**
 * @param header The protected header (`alg` names the algorithm).
 * @param payload The claims.
 * @param key The keyring's key for `header.alg`.
 * @returns `<header>.<payload>.<signature>`, each part base64url without padding.
 * @example
 * const token = signCompact({ alg: 'EdDSA', typ: 'at+jwt', kid }, claims, key)
 */
export function signCompact(
  header: { readonly alg: string; readonly typ?: string; readonly kid?: string },
  payload: Record<string, unknown>,
  key: SigningKeyMaterial,
): string {
  const input = `${encode(header)}.${encode(payload)}`
  return `${input}.${signatureOf(header.alg, input, keyObjectOf(key)).toString('base64url')}`
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}
