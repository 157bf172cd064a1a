/**
 * Discovery: the auth server's metadata (RFC 8414) at
 * `<issuer>/.well-known/oauth-authorization-server`, from which `issuer` alone is enough to find
 * the JWKS (`jwks_uri`) and the revocation feed (`revocations_endpoint`). Fetched once and shared;
 * a failed fetch is retried on the next call, never cached.
 *
 * @module
 */

/** The fields of the server metadata the verifier uses. */
export interface ServerMetadata {
  readonly jwks_uri?: string
  readonly revocations_endpoint?: string
}

export interface Discovery {
  /** The metadata; rejects when it cannot be fetched now (the next call asks again). */
  metadata(): Promise<ServerMetadata>
}

/** Give up on one metadata fetch after this long, in seconds. */
export const DISCOVERY_TIMEOUT = 5

/**
 * @param issuer The auth server's URL, as in the tokens' `iss`.
 * @param url The metadata's URL when it is not under the issuer.
 * @example
 * const { jwks_uri } = await createDiscovery('http://localhost:4000').metadata()
 */
export function createDiscovery(issuer: string, url?: string): Discovery {
  const metadataUrl = url ?? `${issuer.replace(/\/+$/, '')}/.well-known/oauth-authorization-server`
  let fetched: Promise<ServerMetadata> | undefined
  return {
    metadata() {
      if (!fetched) {
        fetched = fetchMetadata(metadataUrl)
        fetched.catch(() => {
          fetched = undefined
        })
      }
      return fetched
    },
  }
}

async function fetchMetadata(url: string): Promise<ServerMetadata> {
  const response = await fetch(url, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(DISCOVERY_TIMEOUT * 1000),
  })
  if (!response.ok) throw new Error(`server metadata answered ${response.status}`)
  const body = (await response.json()) as Record<string, unknown> | null
  if (typeof body !== 'object' || body === null) throw new Error('server metadata is not an object')
  return {
    jwks_uri: typeof body.jwks_uri === 'string' ? body.jwks_uri : undefined,
    revocations_endpoint:
      typeof body.revocations_endpoint === 'string' ? body.revocations_endpoint : undefined,
  }
}
