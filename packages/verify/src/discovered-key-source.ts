/**
 * A JWKS key source whose URL comes from discovery (the `jwks_uri` of the issuer's server
 * metadata): the metadata is fetched first, then keys come from that one URL as with `jwksUri`.
 * While the metadata cannot be fetched, a token that needs keys is `ERR_KEYS_UNAVAILABLE` (503,
 * retry), not a 403: the token may be fine.
 *
 * @module
 */
import type { JWTVerifyGetKey } from 'jose'
import type { Discovery } from './discovery.js'
import { GatehouseError } from './errors.js'
import {
  createJWKSKeySource,
  type JWKSKeySource,
  type JWKSOptions,
  KEYS_RETRY_AFTER,
} from './jwks-key-source.js'
import type { VerifierObserver } from './observer.js'

const WARM_UP_MAX_DELAY_MS = 30_000

/**
 * @example
 * const source = createDiscoveredKeySource(createDiscovery('http://localhost:4000'))
 */
export function createDiscoveredKeySource(
  discovery: Discovery,
  options: JWKSOptions = {},
  observer?: VerifierObserver,
): JWKSKeySource {
  let source: JWKSKeySource | undefined
  let finding: Promise<JWKSKeySource> | undefined
  let closed = false
  let retry: NodeJS.Timeout | undefined

  /** The source for the discovered URL; one discovery at a time, retried after a failure. */
  function find(): Promise<JWKSKeySource> {
    if (source) return Promise.resolve(source)
    if (!finding) {
      finding = discovery.metadata().then(({ jwks_uri }) => {
        if (jwks_uri === undefined) throw new Error('the server metadata names no jwks_uri')
        source ??= createJWKSKeySource(jwks_uri, options, observer)
        if (closed) source.close()
        return source
      })
      finding.catch(() => {
        finding = undefined
      })
    }
    return finding
  }

  const getKey: JWTVerifyGetKey = async function getDiscoveredKey(header, token) {
    let found: JWKSKeySource
    try {
      found = await find()
    } catch (error) {
      throw new GatehouseError('ERR_KEYS_UNAVAILABLE', {
        cause: error,
        retryAfter: KEYS_RETRY_AFTER,
      })
    }
    return found.getKey(header, token)
  }

  function warmUp(delay = 500) {
    find().then(
      (found) => found.warmUp(),
      () => {
        if (closed) return
        retry = setTimeout(() => warmUp(Math.min(delay * 2, WARM_UP_MAX_DELAY_MS)), delay)
        retry.unref()
      },
    )
  }

  return {
    getKey,
    warmUp: () => warmUp(),
    hasKeys: () =>
      find().then(
        (found) => found.hasKeys(),
        () => false,
      ),
    close() {
      closed = true
      clearTimeout(retry)
      source?.close()
    },
  }
}
