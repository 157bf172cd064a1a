/**
 * The headers the contract names, each described once: the challenges and back-off hints
 * servers send, the refresh cookie, and what browser and DPoP clients send besides the token.
 *
 * @module
 */
import { z } from 'zod'

export const wwwAuthenticateHeader = z.string().meta({
  description: 'RFC 6750 §3 challenge: `Bearer realm="…", error="…", error_description="…"`.',
})

export const retryAfterHeader = z
  .string()
  .meta({ description: 'Seconds to wait before trying again (RFC 9110 §10.2.3).' })

export const setCookieHeader = z.string().meta({
  description:
    'Cookie transport only: the `HttpOnly`, `Secure` refresh cookie scoped to `/session` (or its removal).',
})

export const cacheControlHeader = z.string().meta({ description: 'Caching policy.' })

/** Request headers of the token routes: how the client wants its refresh token, and DPoP. */
export const tokenRequestHeaders = z.object({
  'Gatehouse-Transport': z.enum(['bearer', 'cookie']).optional().meta({
    description:
      '`cookie` (browsers): the refresh token goes into the `HttpOnly` cookie, not the body; the origin must be allowed.',
  }),
  DPoP: z
    .string()
    .optional()
    .meta({ description: 'RFC 9449 proof: binds the session (or proves it) to the client key.' }),
})

/** What the `/session/*` routes need: the transport header, its presence being the CSRF guard. */
export const cookieRouteHeaders = z.object({
  'Gatehouse-Transport': z.literal('cookie').meta({
    description: 'Required: a cross-site form cannot send it, so its absence is refused (CSRF).',
  }),
})
