/**
 * The load: a fresh Ed25519 key pair and HS256 secret per run, and 1,000 distinct live access
 * tokens per key type, shaped like Gatehouse's (RFC 9068: `typ: at+jwt`, `kid` for EdDSA; claims
 * iss, aud, sub, name, sid, jti, iat, exp = now + 1 h).
 *
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose'
import { AUDIENCE, ISSUER, TOKEN_TTL } from './config.js'

/** Which key signed a set of tokens. */
export type TokenKind = 'eddsa' | 'hs256'

/** Everything the servers and the load generator need to agree on. */
export interface BenchKeys {
  /** The tutorial's `ACCESS_TOKEN_SECRET`: 64 characters, 48 random bytes. */
  readonly secret: string
  /** The public JWKS served to the EdDSA verifiers. */
  readonly jwks: { readonly keys: readonly JWK[] }
  readonly tokens: Readonly<Record<TokenKind, readonly string[]>>
}

/** The tutorial's two users; the tokens alternate between them. */
export const USER_NAMES = ['Jane', 'John'] as const

/**
 * @param count Tokens per key type.
 * @example
 * const { secret, jwks, tokens } = await createBenchKeys(1000)
 */
export async function createBenchKeys(count: number): Promise<BenchKeys> {
  const secret = randomBytes(48).toString('base64url')
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', {
    crv: 'Ed25519',
    extractable: true,
  })
  const kid = `bench-${randomUUID()}`
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' }
  const hsKey = new TextEncoder().encode(secret)
  const now = Math.floor(Date.now() / 1000)
  const eddsa: string[] = []
  const hs256: string[] = []
  for (let i = 0; i < count; i++) {
    eddsa.push(
      await claimsFor(i, now)
        .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid })
        .sign(privateKey),
    )
    hs256.push(
      await claimsFor(i, now).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).sign(hsKey),
    )
  }
  return { secret, jwks: { keys: [jwk] }, tokens: { eddsa, hs256 } }
}

function claimsFor(index: number, now: number): SignJWT {
  return new SignJWT({ name: USER_NAMES[index % USER_NAMES.length], sid: randomUUID() })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(`user-${index}`)
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + TOKEN_TTL)
}
