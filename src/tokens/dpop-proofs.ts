/**
 * DPoP proofs (RFC 9449): a client that holds a key pair signs, for each request, a short JWT
 * naming the method and URL, with its public key in the header. A session opened with a proof is
 * bound to that key's RFC 7638 thumbprint, and each of its refreshes must carry a fresh proof from
 * the same key, so a copied refresh token is useless without the private key.
 *
 * The checks follow RFC 9449 §4.3: one well-formed JWT; `typ` `dpop+jwt`; an asymmetric algorithm
 * of `DPOP_SIGNING_ALGORITHMS` (never `none` or HS*); a signature by the public `jwk` of its
 * header (jose's `EmbeddedJWK` refuses a private key); `htm` and `htu` equal to this request's
 * method and URL (without query and fragment); `iat` within `maxAge` (and the clock tolerance);
 * `ath` equal to the hash of the access token where one is presented; and a `jti` never seen
 * before, on any instance (`DpopProofStore`). Signatures are jose's, never hand-written.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import { calculateJwkThumbprint, EmbeddedJWK, errors, jwtVerify } from 'jose'
import { GatehouseError } from '../errors/index.js'
import { nowSeconds } from '../lib/time.js'
import type { DpopProofStore } from '../store/types.js'

/** The algorithms a DPoP proof may use: asymmetric only, as RFC 9449 §4.2 requires. */
export const DPOP_SIGNING_ALGORITHMS = ['EdDSA', 'Ed25519', 'ES256', 'ES384', 'PS256', 'RS256']

/** Longest `jti` kept; a proof with a longer one is refused rather than stored. */
const MAX_JTI_LENGTH = 256

export interface DpopProofVerifierConfig {
  /** Where the `jti`s already seen are kept, shared by every instance. */
  readonly proofs: DpopProofStore
  /**
   * The server's public base URL (`AUTH_SERVER_URL`): `htu` must be it followed by the path. A
   * proof names the URL the client called, which behind a proxy is not the one Node sees.
   */
  readonly publicUrl: string
  /** How long after its `iat` a proof is accepted, in seconds. */
  readonly maxAge: number
  /** Allowed clock skew, in seconds. */
  readonly clockTolerance: number
}

/** What a proof is checked against. */
export interface DpopRequest {
  /** The HTTP method, e.g. `POST`. */
  readonly method: string
  /** The request's path, without query (Express's `req.path`). */
  readonly path: string
  /** The access token presented with the proof, whose hash `ath` must be; absent: no `ath`. */
  readonly accessToken?: string
}

export interface DpopProofVerifier {
  /**
   * Checks the `DPoP` header of a request and uses up its `jti`. Returns the thumbprint (`jkt`)
   * of the proof's key, or `undefined` when the request carries no proof. Throws
   * `ERR_DPOP_PROOF_INVALID` for a proof that fails a check, `ERR_DPOP_PROOF_REPLAYED` for one
   * whose `jti` was seen before.
   */
  verify(header: string | undefined, request: DpopRequest): Promise<string | undefined>
}

/**
 * @param config The replay store, the public URL and the time window.
 * @example
 * const dpop = createDpopProofVerifier({ proofs, publicUrl, maxAge: 60, clockTolerance: 5 })
 * const jkt = await dpop.verify(req.get('dpop'), { method: req.method, path: req.path })
 */
export function createDpopProofVerifier(config: DpopProofVerifierConfig): DpopProofVerifier {
  const base = config.publicUrl.replace(/\/+$/, '')
  return {
    async verify(header, request) {
      if (header === undefined) return undefined
      // Node joins repeated headers with ", ": a JWT has no comma, so this is also "exactly one".
      if (header === '' || header.includes(',')) throw invalid('one DPoP header is allowed')
      let verified: Awaited<ReturnType<typeof jwtVerify>>
      try {
        verified = await jwtVerify(header, EmbeddedJWK, {
          typ: 'dpop+jwt',
          algorithms: DPOP_SIGNING_ALGORITHMS,
          maxTokenAge: config.maxAge,
          clockTolerance: config.clockTolerance,
          requiredClaims: ['jti', 'htm', 'htu', 'iat'],
        })
      } catch (cause) {
        if (cause instanceof errors.JOSEError) throw invalid(undefined, cause)
        throw cause
      }
      const { payload, protectedHeader } = verified
      if (payload.htm !== request.method) throw invalid('htm is not the request method')
      if (!sameUrl(payload.htu, `${base}${request.path}`)) throw invalid('htu is not this URL')
      if (request.accessToken !== undefined && payload.ath !== hashOf(request.accessToken))
        throw invalid('ath is not the hash of the access token')
      const { jti, iat } = payload
      if (typeof jti !== 'string' || jti === '' || jti.length > MAX_JTI_LENGTH)
        throw invalid('jti must be a string of 1 to 256 characters')
      // The jti is kept for as long as a proof with this iat is accepted, and no longer.
      const keepUntil = Math.max(iat ?? 0, nowSeconds()) + config.maxAge + config.clockTolerance
      if (!(await config.proofs.use(jti, keepUntil)))
        throw new GatehouseError('ERR_DPOP_PROOF_REPLAYED')
      const jwk = protectedHeader.jwk
      if (!jwk) throw invalid('the header has no jwk')
      return calculateJwkThumbprint(jwk, 'sha256')
    },
  }
}

/** `ath`: base64url SHA-256 of the access token (RFC 9449 §4.2). */
function hashOf(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('base64url')
}

/** RFC 9449 §4.3 step 9: compare without query and fragment, after URL normalisation. */
function sameUrl(claimed: unknown, expected: string): boolean {
  if (typeof claimed !== 'string' || !URL.canParse(claimed)) return false
  const a = new URL(claimed)
  const b = new URL(expected)
  return a.origin === b.origin && a.pathname === b.pathname
}

function invalid(detail: string | undefined, cause?: unknown): GatehouseError {
  return new GatehouseError('ERR_DPOP_PROOF_INVALID', {
    cause,
    message: detail === undefined ? undefined : `The DPoP proof is invalid: ${detail}`,
  })
}
