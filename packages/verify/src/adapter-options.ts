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
import { GatehouseError, isGatehouseError } from './errors.js'
import type { VerifierOptions } from './options.js'
import type { VerifiedToken } from './verified-token.js'

/** A route's policy over a verifier shared with other routes. */
export interface SharedVerifierOptions extends AccessPolicyOptions {
  /** A verifier made by `createVerifier` (its owner closes it). */
  readonly verifier: Verifier
}

/** What an adapter's `requireAuth` accepts, besides its own answering options. */
export type AdapterOptions = VerifierOptions | SharedVerifierOptions

/** What every adapter's `requireAuth` result carries besides the handler itself. */
export interface AdapterHandle {
  readonly verifier: Verifier
  /** The revocation feed subscriber, once found (only with the `revocations` option). */
  readonly revocations: Verifier['revocations']
  /** Whether tokens can be verified now (for readiness checks). */
  hasKeys(): Promise<boolean>
  /** Stops the verifier's background work when the adapter created it; a shared one is left. */
  close(): void
}

/** The verifier and policy an adapter runs with. */
export interface AdapterSetup {
  readonly verifier: Verifier
  readonly policy: AccessPolicy
  /** Whether the adapter made its verifier (and so stops it in its `close()`). */
  readonly owned: boolean
  /**
   * Checks one request's `Authorization` header against the route's policy: the verified token
   * (`undefined`: anonymous, under optional credentials) at once when the token was verified
   * before, or a promise of it for a token not seen before. Refusals are thrown (or rejected) as
   * the `GatehouseError` to answer with.
   */
  check(header: string | undefined): ReturnType<Verifier['authenticate']>
  /**
   * `check`, then `admit(a, b, verified)` or `refuse(a, b, error)`: synchronously when the token
   * was verified before, later otherwise. `a` and `b` are the request's own objects (request,
   * response), passed through so that an adapter's `admit` and `refuse` are made once, not per
   * request: a cache hit allocates nothing. `admit` runs outside any `try`, so what it throws is
   * the caller's, as if it had been called directly.
   *
   * @example
   * setup.authenticate(header, req, res, admitRequest, refuseRequest)
   */
  authenticate<A, B>(
    header: string | undefined,
    a: A,
    b: B,
    admit: (a: A, b: B, verified: VerifiedToken | undefined) => void,
    refuse: (a: A, b: B, error: GatehouseError<string>) => void,
  ): void
  /** The handle to attach to the adapter's handler (`Object.assign(handler, setup.handle)`). */
  readonly handle: AdapterHandle
}

/**
 * @param caller The adapter function named in option errors.
 * @throws TypeError naming the first bad option.
 * @example
 * const { verifier, policy } = setUpAdapter(options, 'requireAuth')
 */
export function setUpAdapter(options: AdapterOptions, caller: string): AdapterSetup {
  const { verifier, policy } = readAdapterOptions(options, caller)
  const owned = !('verifier' in options)
  function check(header: string | undefined): ReturnType<Verifier['authenticate']> {
    let result: ReturnType<Verifier['authenticate']>
    try {
      result = verifier.authenticate(header, policy)
    } catch (error) {
      throw asRefusal(error)
    }
    return result instanceof Promise ? result.catch(rejectAsRefusal) : result
  }
  return {
    verifier,
    policy,
    owned,
    handle: {
      verifier,
      revocations: verifier.revocations,
      hasKeys: () => verifier.hasKeys(),
      close() {
        if (owned) verifier.close()
      },
    },
    check,
    authenticate(header, a, b, admit, refuse) {
      let result: ReturnType<Verifier['authenticate']>
      try {
        result = check(header)
      } catch (error) {
        refuse(a, b, error as GatehouseError<string>)
        return
      }
      if (!(result instanceof Promise)) {
        admit(a, b, result)
        return
      }
      result.then(
        (verified) => admit(a, b, verified),
        (error: GatehouseError<string>) => refuse(a, b, error),
      )
    },
  }
}

function readAdapterOptions(
  options: AdapterOptions,
  caller: string,
): { verifier: Verifier; policy: AccessPolicy } {
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

/**
 * `onRefuse` as the Express and Fastify adapters take it: `'respond'` (the default) or `'next'`.
 * @throws TypeError naming the option for anything else.
 */
export function readOnRefuse(value: unknown, caller: string): 'respond' | 'next' {
  const onRefuse = value ?? 'respond'
  if (onRefuse !== 'respond' && onRefuse !== 'next') {
    throw new TypeError(`${caller}: "onRefuse" option must be "respond" or "next"`)
  }
  return onRefuse
}

function rejectAsRefusal(error: unknown): never {
  throw asRefusal(error)
}

/** The verifier refuses with `GatehouseError`s; anything else (a bug) is an invalid token. */
function asRefusal(cause: unknown): GatehouseError<string> {
  return isGatehouseError(cause) ? cause : new GatehouseError('ERR_TOKEN_INVALID', { cause })
}
