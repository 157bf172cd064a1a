/**
 * A new asymmetric signing key, with its `kid` set to its RFC 7638 thumbprint.
 *
 * @module
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose'

/** The asymmetric algorithms Gatehouse signs with. */
export const SIGNING_ALGORITHMS = ['EdDSA', 'ES256', 'RS256'] as const
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number]

export interface GeneratedSigningKey {
  readonly kid: string
  readonly alg: SigningAlgorithm
  /** Public parameters only, with `kid`, `alg` and `use: "sig"`. */
  readonly publicJwk: JWK
  readonly privateJwk: JWK
}

/**
 * @example
 * const key = await generateSigningKey('EdDSA')
 */
export async function generateSigningKey(alg: SigningAlgorithm): Promise<GeneratedSigningKey> {
  const options =
    alg === 'RS256' ? { extractable: true, modulusLength: 2048 } : { extractable: true }
  const pair = await generateKeyPair(
    alg,
    alg === 'EdDSA' ? { ...options, crv: 'Ed25519' } : options,
  )
  const exported = await exportJWK(pair.publicKey)
  const kid = await calculateJwkThumbprint(exported)
  const publicJwk = { ...exported, kid, alg, use: 'sig' }
  const privateJwk = { ...(await exportJWK(pair.privateKey)), kid, alg }
  return { kid, alg, publicJwk, privateJwk }
}
