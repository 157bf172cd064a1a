/**
 * The rows of the benchmark, in order: what each one is and which tokens it is loaded with. The
 * implementations live in `variants/<id>.ts` and are loaded only by the server process that runs
 * them, so the load generator never imports a middleware.
 *
 * @module
 */
import { FEED_REVOCATIONS } from './config.js'
import type { TokenKind } from './tokens.js'

export type VariantId =
  | 'no-auth'
  | 'tutorial'
  | 'express-jwt'
  | 'oauth2-jwt-bearer'
  | 'gatehouse-eddsa'
  | 'gatehouse-eddsa-revocations'
  | 'gatehouse-hs256'
  | 'empty-middleware'
  | 'no-auth-again'

export interface VariantInfo {
  readonly id: VariantId
  /** Short row name in the results table. */
  readonly label: string
  /** Tokens sent in `Authorization: Bearer` (the no-auth row gets them too, and ignores them). */
  readonly tokens: TokenKind
  /** What the row measures, for the header of BENCHMARKS.md. */
  readonly description: string
}

export const VARIANTS: readonly VariantInfo[] = [
  {
    id: 'no-auth',
    label: '(a) no auth',
    tokens: 'eddsa',
    description:
      'The same route with no middleware; the EdDSA tokens are still sent, so requests are the same size, and ignored.',
  },
  {
    id: 'tutorial',
    label: '(b) tutorial verifyToken',
    tokens: 'hs256',
    description:
      "The tutorial's hand-written `verifyToken` (chapters 09-11): `jwt.verify(token, process.env.ACCESS_TOKEN_SECRET, cb)` with jsonwebtoken, HS256, string secret, `req.user = { name }`.",
  },
  {
    id: 'express-jwt',
    label: '(c) express-jwt',
    tokens: 'hs256',
    description:
      '`expressjwt({ secret, algorithms: ["HS256"], issuer, audience })` (express-jwt 8, jsonwebtoken underneath); payload on `req.auth`.',
  },
  {
    id: 'oauth2-jwt-bearer',
    label: '(d) express-oauth2-jwt-bearer',
    tokens: 'eddsa',
    description:
      "Auth0's `auth({ issuer, audience, jwksUri, tokenSigningAlg: 'EdDSA', validators: { typ: 'at+jwt' } })` against the bench's JWKS, EdDSA tokens (`strict` would also demand a `client_id` claim, which Gatehouse tokens do not have); payload on `req.auth.payload`.",
  },
  {
    id: 'gatehouse-eddsa',
    label: '(e) gatehouse EdDSA (jwksUri)',
    tokens: 'eddsa',
    description:
      "`requireAuth({ issuer, audience, algorithms: ['EdDSA'], jwksUri })` from `src/verify` (`gatehouse/express`), default options: verified-token cache on, no revocation feed configured.",
  },
  {
    id: 'gatehouse-eddsa-revocations',
    label: '(f) gatehouse EdDSA + revocation feed',
    tokens: 'eddsa',
    description: `As (e), plus \`revocations: { url }\`: the middleware follows the bench's revocation feed (Server-Sent Events shaped like the auth server's \`GET /revocations\`: ${FEED_REVOCATIONS} revoked sessions, none of them a load token's, then \`event: synced\` and a heartbeat every 15 s) and checks every request against the set it holds in memory. Measured only once the feed has synced. This is the configuration the design's 0.95x target is about.`,
  },
  {
    id: 'gatehouse-hs256',
    label: '(g) gatehouse HS256 (tutorial mode)',
    tokens: 'hs256',
    description:
      "`requireAuth({ issuer, audience, algorithms: ['HS256'], secret })`: Gatehouse's tutorial mode with the same secret, default options as in (e).",
  },
  {
    id: 'empty-middleware',
    label: '(h) empty middleware',
    tokens: 'eddsa',
    description:
      "The floor of any Express middleware: one that only checks that an `Authorization` header is there (401 without one) and calls `next()`. Every verifier above pays that extra layer too. By profile, the middleware's own frames are 0.5% of the samples, about 1 µs a request; what (h) shows over (a) beyond that is the harness's noise (row (i)).",
  },
  {
    id: 'no-auth-again',
    label: '(i) no auth, second server',
    tokens: 'eddsa',
    description:
      "Row (a) again, in a server process of its own: the control. Nothing differs but the process, so its distance from (a) is the harness's own resolution on this machine, and a row no further from (a) than (i) is is within the noise.",
  },
]

/** The control: row (a)'s route in a second server process. */
export const CONTROL_ROW: VariantId = 'no-auth-again'

/** The rows whose route has no middleware: row (a) and its control, row (i). */
const UNPROTECTED: ReadonlySet<VariantId> = new Set(['no-auth', CONTROL_ROW])

/** Whether the row's route refuses a request without a token. */
export function isProtected(variant: VariantInfo): boolean {
  return !UNPROTECTED.has(variant.id)
}

/** @throws Error for an id that is not a row of the benchmark. */
export function variantById(id: string | undefined): VariantInfo {
  const variant = VARIANTS.find((candidate) => candidate.id === id)
  if (!variant) {
    throw new Error(
      `unknown variant "${id}"; one of ${VARIANTS.map((candidate) => candidate.id).join(', ')}`,
    )
  }
  return variant
}

/**
 * @param ids Variant ids, in any order; empty for all.
 * @returns The chosen rows, in the benchmark's order.
 * @throws Error for an unknown id.
 */
export function selectVariants(ids: readonly string[]): readonly VariantInfo[] {
  const chosen = new Set(ids.map((id) => variantById(id).id))
  return chosen.size === 0 ? VARIANTS : VARIANTS.filter((variant) => chosen.has(variant.id))
}
