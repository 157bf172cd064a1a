/**
 * Who is calling, as the session service wants to know it: the user agent, the address Express
 * computed (`X-Forwarded-For` only under `TRUST_PROXY`, as for rate limits), and the key of the
 * request's DPoP proof when it carries one (RFC 9449), checked and its `jti` used up here.
 *
 * @module
 */
import type { Request } from 'express'
import { clientAddress } from '../../http/client-address.js'
import type { ClientInfo } from '../../sessions/session-service.js'
import type { AuthDeps } from '../deps.js'

/** Longest user agent kept; the rest is cut off. */
const MAX_USER_AGENT_LENGTH = 256

/**
 * @param deps The auth server's dependencies (for the DPoP verifier).
 * @param req The request.
 * @param accessToken The access token the request presents, which a proof's `ath` must hash.
 * @throws `ERR_DPOP_PROOF_INVALID` or `ERR_DPOP_PROOF_REPLAYED` for a bad `DPoP` header.
 * @example
 * const tokens = await deps.sessions.open(user, await readClient(deps, req))
 */
export async function readClient(
  deps: Pick<AuthDeps, 'dpop'>,
  req: Request,
  accessToken?: string,
): Promise<ClientInfo> {
  const dpopJkt = await deps.dpop.verify(req.get('dpop'), {
    method: req.method,
    path: req.path,
    accessToken,
  })
  return {
    userAgent: req.get('user-agent')?.slice(0, MAX_USER_AGENT_LENGTH) ?? null,
    ip: clientAddress(req),
    ...(dpopJkt === undefined ? {} : { dpopJkt }),
  }
}
