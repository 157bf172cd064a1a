/**
 * Who is calling, as the session service wants to know it: the user agent, the address Express
 * computed (`X-Forwarded-For` only under `TRUST_PROXY`, as for rate limits), and the key of the
 * request's DPoP proof when it carries one (RFC 9449), checked and its `jti` used up here, and
 * the transport its refresh token travels on. DPoP binds tokens a client holds itself; the
 * cookie transport's refresh token is held by the browser, so a proof with it is refused.
 *
 * @module
 */
import type { Request } from 'express'
import { GatehouseError } from '../../errors/index.js'
import { clientAddress } from '../../http/client-address.js'
import { requestIdOf } from '../../http/request-id.js'
import type { ClientInfo } from '../../sessions/session-service.js'
import type { Transport } from '../../tokens/refresh-tokens.js'
import type { AuthDeps } from '../deps.js'

/** Longest user agent kept; the rest is cut off. */
const MAX_USER_AGENT_LENGTH = 256

/**
 * @param deps The auth server's dependencies (for the DPoP verifier).
 * @param req The request.
 * @param transport How the request's refresh token travels (or the one it asks for).
 * @param accessToken The access token the request presents, which a proof's `ath` must hash.
 * @throws `ERR_DPOP_PROOF_INVALID` or `ERR_DPOP_PROOF_REPLAYED` for a bad `DPoP` header,
 * `ERR_VALIDATION` for any `DPoP` header on the cookie transport.
 * @example
 * const tokens = await deps.sessions.open(user, await readClient(deps, req, 'bearer'))
 */
export async function readClient(
  deps: Pick<AuthDeps, 'dpop'>,
  req: Request,
  transport: Transport,
  accessToken?: string,
): Promise<ClientInfo> {
  if (transport === 'cookie' && req.get('dpop') !== undefined) {
    throw new GatehouseError('ERR_VALIDATION', {
      message: 'DPoP: not with Gatehouse-Transport: cookie (DPoP is for the bearer transport)',
    })
  }
  const dpopJkt = await deps.dpop.verify(req.get('dpop'), {
    method: req.method,
    path: req.path,
    accessToken,
  })
  return {
    userAgent: userAgentOf(req.get('user-agent')),
    ip: clientAddress(req),
    transport,
    ...(dpopJkt === undefined ? {} : { dpopJkt }),
    ...(req.res === undefined ? {} : { requestId: requestIdOf(req.res.locals) }),
  }
}

/** The `User-Agent` header as a session records it: cut off at `MAX_USER_AGENT_LENGTH`. */
export function userAgentOf(header: string | undefined): string | null {
  return header?.slice(0, MAX_USER_AGENT_LENGTH) ?? null
}
