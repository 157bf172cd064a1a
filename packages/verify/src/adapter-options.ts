/**
 * The options every adapter's `requireAuth` takes, and their one reading: either the verifier's
 * own options (the adapter then owns a verifier of its own), or an existing `verifier` shared by
 * many routes (one JWKS cache, one token cache, one feed connection) with each route's policy.
 *
 * @module
 */
import {
  type AccessPolicy,
  type AccessPolicyOptions,
  createAccessPolicy,
  validateAccessPolicyOptions,
} from './access-policy.js'
import { createVerifier, type Verifier } from './create-verifier.js'
import type { VerifierOptions } from './options.js'

/** A route's policy over a verifier shared with other routes. */
export interface SharedVerifierOptions extends AccessPolicyOptions {
  /** A verifier made by `createVerifier` (its owner closes it). */
  readonly verifier: Verifier
}

/** What an adapter's `requireAuth` accepts, besides its own answering options. */
export type AdapterOptions = VerifierOptions | SharedVerifierOptions

/** The verifier and policy an adapter runs with. */
export interface AdapterSetup {
  readonly verifier: Verifier
  readonly policy: AccessPolicy
}

/**
 * @param caller The adapter function named in option errors.
 * @throws TypeError naming the first bad option.
 * @example
 * const { verifier, policy } = setUpAdapter(options, 'requireAuth')
 */
export function setUpAdapter(options: AdapterOptions, caller: string): AdapterSetup {
  if (typeof options === 'object' && options !== null && 'verifier' in options) {
    const { verifier } = options
    if (typeof verifier?.authenticate !== 'function') {
      throw new TypeError(`${caller}: "verifier" option must come from createVerifier`)
    }
    try {
      validateAccessPolicyOptions(options)
    } catch (error) {
      throw new TypeError(`${caller}: ${(error as Error).message}`)
    }
    return { verifier, policy: createAccessPolicy(options) }
  }
  const verifier = createVerifier(options as VerifierOptions, caller)
  return { verifier, policy: createAccessPolicy(options as VerifierOptions) }
}
