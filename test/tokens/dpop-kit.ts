/**
 * A real DPoP client (RFC 9449) built on jose: a key pair of its own and a proof per request.
 * Options make the broken proofs an attacker would send.
 */
import { createHash, randomUUID } from 'node:crypto'
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose'

export interface ProofOptions {
  /** The access token presented with the proof: adds `ath`. */
  readonly accessToken?: string
  /** `iat`, in seconds since the epoch. Default: now. */
  readonly iat?: number
  readonly jti?: string
  readonly typ?: string
  /** Replaces the public `jwk` of the header. */
  readonly jwk?: JWK
  /** Claims to add or override. */
  readonly claims?: JWTPayload
}

export interface DpopClient {
  readonly alg: string
  readonly publicJwk: JWK
  /** RFC 7638 thumbprint of the public key (the session's `jkt`). */
  readonly thumbprint: string
  /** A fresh proof for `method` on `url` (the query is left out of `htu`, as RFC 9449 §4.2 says). */
  proof(method: string, url: string, options?: ProofOptions): Promise<string>
  /** The private JWK (for a test that leaks it into the header). */
  privateJwk(): Promise<JWK>
}

/**
 * @example
 * const client = await createDpopClient()
 * fetch(url, { headers: { dpop: await client.proof('GET', url) } })
 */
export async function createDpopClient(alg = 'ES256'): Promise<DpopClient> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true })
  const publicJwk = await exportJWK(publicKey)
  return {
    alg,
    publicJwk,
    thumbprint: await calculateJwkThumbprint(publicJwk, 'sha256'),
    async proof(method, url, options = {}) {
      const target = new URL(url)
      const htu = `${target.origin}${target.pathname}`
      const claims: JWTPayload = {
        htm: method,
        htu,
        jti: options.jti ?? randomUUID(),
        ...(options.accessToken === undefined ? {} : { ath: athOf(options.accessToken) }),
        ...options.claims,
      }
      return new SignJWT(claims)
        .setProtectedHeader({ alg, typ: options.typ ?? 'dpop+jwt', jwk: options.jwk ?? publicJwk })
        .setIssuedAt(options.iat ?? Math.floor(Date.now() / 1000))
        .sign(privateKey)
    },
    privateJwk: () => exportJWK(privateKey),
  }
}

/** `ath`: base64url SHA-256 of the access token. */
export function athOf(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('base64url')
}

/** An unsigned JWT (`alg: none`) with the given header and claims. */
export function unsignedJwt(header: object, claims: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'none', ...header })}.${part(claims)}.`
}
