/**
 * What a verified token must also allow, per route: scopes (RFC 9068 §2.2.3.1: the `scope` claim,
 * space-separated), a claim check of the app's own, and whether a request may come without a
 * token at all. Checked after the signature, the claims and the revocation feed, on every request
 * (a map look-up per scope: the token's scopes are split once, when it is first verified).
 *
 * @module
 */
import { GatehouseError } from './errors.js'
import type { VerifiedToken } from './verified-token.js'
import type { AccessTokenClaims } from './verify-access-token.js'

export interface AccessPolicyOptions {
  /** Scopes the token must all carry; a missing one is 403 `ERR_INSUFFICIENT_SCOPE`. */
  readonly requiredScopes?: readonly string[]
  /** Scopes of which the token must carry at least one; none is 403 `ERR_INSUFFICIENT_SCOPE`. */
  readonly anyScope?: readonly string[]
  /**
   * The app's own rule on the verified claims; `false` is 403 `ERR_CLAIM_CHECK_FAILED`. Runs
   * after the scope checks, on every request.
   */
  readonly claimCheck?: (claims: AccessTokenClaims) => boolean
  /**
   * `'required'`: a request without a token is refused (401). `'optional'`: it runs anonymously
   * (no claims); a request that does carry a token is still verified, and refused when the token
   * is bad: an expired or forged token is never silently treated as no token.
   * @default 'required'
   */
  readonly credentials?: 'required' | 'optional'
}

/** One route's policy, compiled once. */
export interface AccessPolicy {
  /** Whether a request without credentials runs anonymously. */
  readonly optional: boolean
  /** Throws `ERR_INSUFFICIENT_SCOPE` or `ERR_CLAIM_CHECK_FAILED` when the token does not allow it. */
  check(verified: VerifiedToken): void
}

const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/

/**
 * @example
 * const policy = createAccessPolicy({ requiredScopes: ['posts:write'] })
 * policy.check(verified) // throws ERR_INSUFFICIENT_SCOPE without posts:write
 */
export function createAccessPolicy(options: AccessPolicyOptions = {}): AccessPolicy {
  const required = [...(options.requiredScopes ?? [])]
  const any = [...(options.anyScope ?? [])]
  const { claimCheck } = options
  return {
    optional: options.credentials === 'optional',
    check(verified) {
      const { scopes } = verified
      for (const scope of required) {
        if (!scopes.has(scope))
          throw new GatehouseError('ERR_INSUFFICIENT_SCOPE', { scope: required })
      }
      if (any.length > 0 && !any.some((scope) => scopes.has(scope))) {
        throw new GatehouseError('ERR_INSUFFICIENT_SCOPE', { scope: any })
      }
      if (claimCheck && claimCheck(verified.claims) !== true) {
        throw new GatehouseError('ERR_CLAIM_CHECK_FAILED')
      }
    },
  }
}

/** @throws TypeError naming the first bad policy option (without the caller's name). */
export function validateAccessPolicyOptions(options: AccessPolicyOptions): void {
  for (const name of ['requiredScopes', 'anyScope'] as const) {
    const scopes = options[name]
    if (scopes === undefined) continue
    // RFC 6749 §3.3: a scope token is one or more printable ASCII characters but space, " and \.
    if (!Array.isArray(scopes) || scopes.some((scope) => !SCOPE_TOKEN.test(String(scope)))) {
      throw new TypeError(`"${name}" option must be an array of scope tokens (no spaces)`)
    }
  }
  if (options.claimCheck !== undefined && typeof options.claimCheck !== 'function') {
    throw new TypeError('"claimCheck" option must be a function')
  }
  const { credentials } = options
  if (credentials !== undefined && credentials !== 'required' && credentials !== 'optional') {
    throw new TypeError('"credentials" option must be "required" or "optional"')
  }
}
