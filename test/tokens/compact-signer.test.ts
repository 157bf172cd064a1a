/**
 * The access-token signer's last step, `node:crypto` instead of jose's WebCrypto: every algorithm
 * Gatehouse issues gives a token jose verifies with the published key, and one changed byte of
 * it fails verification.
 */
import { type CryptoKey, importJWK, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { signCompact } from '../../src/tokens/compact-signer.js'
import { generateSigningKey } from '../../src/tokens/keys/generate-signing-key.js'

describe('signCompact', () => {
  it.each(['EdDSA', 'ES256', 'RS256'] as const)('signs %s tokens jose verifies', async (alg) => {
    const generated = await generateSigningKey(alg)
    const key = (await importJWK(generated.privateJwk, alg)) as CryptoKey
    const publicKey = await importJWK(generated.publicJwk, alg)
    const claims = { sub: 'user-1', sid: 'session-1', exp: Math.floor(Date.now() / 1000) + 60 }
    const token = signCompact({ alg, typ: 'at+jwt', kid: generated.kid }, claims, key)
    const { payload, protectedHeader } = await jwtVerify(token, publicKey, {
      algorithms: [alg],
      typ: 'at+jwt',
    })
    expect(payload).toEqual(claims)
    expect(protectedHeader).toEqual({ alg, typ: 'at+jwt', kid: generated.kid })
    const [header, body, signature] = token.split('.') as [string, string, string]
    const tampered = `${header}.${body.slice(0, -2)}${body.endsWith('A') ? 'B' : 'A'}${body.slice(-1)}.${signature}`
    await expect(jwtVerify(tampered, publicKey, { algorithms: [alg] })).rejects.toThrow()
  })

  it("signs HS256 with the tutorial's secret bytes", async () => {
    const secret = new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!!')
    const token = signCompact({ alg: 'HS256', typ: 'at+jwt' }, { sub: 'user-2' }, secret)
    const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'] })
    expect(payload.sub).toBe('user-2')
    await expect(
      jwtVerify(token, new TextEncoder().encode('another-secret-of-at-least-32-bytes!!!'), {
        algorithms: ['HS256'],
      }),
    ).rejects.toThrow()
  })

  it('refuses an algorithm it does not issue', () => {
    expect(() => signCompact({ alg: 'none' }, {}, new Uint8Array(32))).toThrow(/not supported/)
  })
})
