/**
 * The verification steps throw nothing but GatehouseError, whatever string they are given:
 * `parseBearerToken` for any header value, `createAccessTokenVerifier(...)` for any token text,
 * random segments, JSON headers and payloads of any shape, and mutations of a real token.
 */

import {
  type AccessTokenVerifier,
  createAccessTokenVerifier,
  parseBearerToken,
} from '@gatehouse/verify'
import fc from 'fast-check'
import { SignJWT } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { isGatehouseError } from '../../src/errors/index.js'
import { base64urlSegment, mutatedToken } from './fuzz-kit.js'

const SECRET = new TextEncoder().encode('a-test-secret-that-is-long-enough-for-hs256!')
const ISSUER = 'http://127.0.0.1:4000'
const AUDIENCE = 'gatehouse-api'
const NUM_RUNS = 500

/** Runs `action`; it may return or throw a GatehouseError, nothing else. */
async function expectOnlyGatehouseErrors(action: () => unknown): Promise<void> {
  try {
    await action()
  } catch (error) {
    expect(isGatehouseError(error), String(error)).toBe(true)
  }
}

const jsonSegment = fc
  .jsonValue()
  .map((value) => Buffer.from(JSON.stringify(value)).toString('base64url'))

describe('parseBearerToken', () => {
  it('returns a token or throws a GatehouseError for any string', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 9000 }),
          fc.string({ unit: 'binary' }).map((text) => `Bearer ${text}`),
          fc.string().map((text) => `bearer  ${text}  `),
        ),
        (header) => {
          try {
            const token = parseBearerToken(header)
            expect(header).toContain(token)
            expect(token).toMatch(/^[A-Za-z0-9\-._~+/]+=*$/)
          } catch (error) {
            expect(isGatehouseError(error), String(error)).toBe(true)
          }
        },
      ),
      { numRuns: NUM_RUNS },
    )
  })
})

describe('createAccessTokenVerifier', () => {
  let verify: AccessTokenVerifier
  let token: string
  beforeAll(async () => {
    verify = createAccessTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      key: SECRET,
      algorithms: ['HS256'],
      clockTolerance: 5,
    })
    token = await new SignJWT({ name: 'Jane', sid: 'session-1' })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('user-1')
      .setJti('jti-1')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(SECRET)
  })

  it('accepts the real token, so the properties below start from a valid one', async () => {
    await expect(verify(token)).resolves.toMatchObject({ sub: 'user-1', sid: 'session-1' })
  })

  it('throws only GatehouseError for arbitrary strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 2000 }), (text) =>
        expectOnlyGatehouseErrors(() => verify(text)),
      ),
      { numRuns: NUM_RUNS },
    )
  })

  it('throws only GatehouseError for three segments of random base64url or of any JSON', async () => {
    const segment = fc.oneof(base64urlSegment, jsonSegment)
    await fc.assert(
      fc.asyncProperty(fc.tuple(segment, segment, segment), (parts) =>
        expectOnlyGatehouseErrors(() => verify(parts.join('.'))),
      ),
      { numRuns: NUM_RUNS },
    )
  })

  it('throws only GatehouseError for a header of any JSON object signed with the real key', async () => {
    const header = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }))
    const known = fc.record({
      alg: fc.constantFrom('HS256', 'none', 'RS256', 42),
      typ: fc.jsonValue(),
    })
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(header, known, fc.jsonValue()),
        async ([extra, fields, payload]) => {
          const encode = (value: unknown) =>
            Buffer.from(JSON.stringify(value)).toString('base64url')
          const forged = `${encode({ ...extra, ...fields })}.${encode(payload)}.c2ln`
          await expectOnlyGatehouseErrors(() => verify(forged))
        },
      ),
      { numRuns: 200 },
    )
  })

  it('refuses every mutation of the real token with a GatehouseError', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedToken(token), async (mutated) => {
        fc.pre(mutated !== token)
        await expect(verify(mutated)).rejects.toSatisfy(isGatehouseError)
      }),
      { numRuns: NUM_RUNS },
    )
  })
})
