/**
 * The credential of `POST /oauth/introspect`: a resource server's client id and secret from
 * `INTROSPECTION_CLIENTS`, sent as HTTP Basic (`client_secret_basic`, RFC 6749 §2.3.1: each part
 * form-urlencoded, then base64), which oauth4webapi and most resource-server libraries send.
 * Checked before the body is read. Secrets are compared as SHA-256 digests in constant time, and
 * an unknown id costs the same comparison, so timing tells neither the secret nor which ids exist.
 * Anything else is 401 `invalid_client` with `WWW-Authenticate: Basic` (RFC 6749 §5.2).
 *
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { RequestHandler } from 'express'
import { GatehouseError } from '../../errors/index.js'

/** Longest `Authorization` header read: a long id and secret, not a body's worth. */
const MAX_BASIC_LENGTH = 1024

/**
 * @param clients Client id → secret.
 * @param realm `realm` of the `WWW-Authenticate` challenge.
 * @example
 * router.post('/introspect', requireIntrospectionClient(config.introspectionClients, 'gatehouse'), introspect)
 */
export function requireIntrospectionClient(
  clients: ReadonlyMap<string, string>,
  realm: string,
): RequestHandler {
  const digests = new Map([...clients].map(([id, secret]) => [id, digest(secret)]))
  // Compared against when the id is unknown, so that the answer takes the same time.
  const nobody = digest('')
  return function checkIntrospectionClient(req, _res, next) {
    const presented = parseBasic(req.headers.authorization)
    const expected = presented ? digests.get(presented.id) : undefined
    const matches = timingSafeEqual(digest(presented?.secret ?? ''), expected ?? nobody)
    if (!presented || !expected || !matches) {
      throw new GatehouseError('ERR_INTROSPECTION_CLIENT_INVALID', {
        wwwAuthenticate: `Basic realm="${realm}", charset="UTF-8"`,
      })
    }
    next()
  }
}

/** The id and secret of `Authorization: Basic …`, or `undefined` for anything malformed. */
function parseBasic(header: string | undefined): { id: string; secret: string } | undefined {
  if (header === undefined || header.length > MAX_BASIC_LENGTH) return undefined
  const match = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(header)
  if (!match?.[1]) return undefined
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  try {
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) }
  } catch {
    return undefined
  }
}

function formDecode(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '))
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}
