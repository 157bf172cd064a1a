/**
 * RFC 6238 Appendix B: the 8-digit codes of the test secrets at the given times, for SHA-1,
 * SHA-256 and SHA-512, through `mfa/totp.ts`, the code path the logins use.
 *
 * @see issue 15, point 4
 */

import { Secret } from 'otpauth'
import { describe, expect, it } from 'vitest'
import { matchTotpStep, totpCode } from '../../src/mfa/totp.js'

/** The ASCII seeds of Appendix B: 20, 32 and 64 bytes of "1234567890" repeated. */
const SEEDS = {
  SHA1: '12345678901234567890',
  SHA256: '12345678901234567890123456789012',
  SHA512: '1234567890123456789012345678901234567890123456789012345678901234',
} as const

/** Time (seconds), then the SHA-1, SHA-256 and SHA-512 codes (RFC 6238 Appendix B). */
const VECTORS: readonly [number, string, string, string][] = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
]

describe('RFC 6238 test vectors', () => {
  for (const [time, ...codes] of VECTORS) {
    for (const [index, algorithm] of (['SHA1', 'SHA256', 'SHA512'] as const).entries()) {
      it(`gives ${codes[index]} at T = ${time} with ${algorithm}`, () => {
        const options = { secret: base32(SEEDS[algorithm]), algorithm, digits: 8 }
        expect(totpCode(options, time * 1000)).toBe(codes[index])
        // And the check accepts it, at its own step (T0 = 0, X = 30).
        expect(matchTotpStep(options, codes[index] as string, time * 1000)).toBe(
          Math.floor(time / 30),
        )
      })
    }
  }

  it('refuses a vector code two steps away from its time', () => {
    const options = { secret: base32(SEEDS.SHA1), algorithm: 'SHA1' as const, digits: 8 }
    expect(matchTotpStep(options, '14050471', 1111111111 * 1000)).toBe(Math.floor(1111111111 / 30))
    expect(matchTotpStep(options, '14050471', (1111111111 + 60) * 1000)).toBeUndefined()
    expect(matchTotpStep(options, '14050471', (1111111111 + 30) * 1000)).toBe(
      Math.floor(1111111111 / 30),
    )
  })
})

/** The base32 form of an ASCII seed, as `TotpOptions.secret` takes it. */
function base32(ascii: string): string {
  return Secret.fromLatin1(ascii).base32
}
