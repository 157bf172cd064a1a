import { bearerChallenge } from '@gatehouse/verify'
import { describe, expect, it } from 'vitest'

describe('bearerChallenge', () => {
  it('names only the realm when no token was sent (RFC 6750 §3.1)', () => {
    expect(bearerChallenge('gatehouse', 'ERR_TOKEN_MISSING', 'A Bearer token is required')).toBe(
      'Bearer realm="gatehouse"',
    )
  })

  it('answers a malformed header with invalid_request', () => {
    expect(bearerChallenge('gatehouse', 'ERR_TOKEN_MALFORMED', 'Bad header')).toBe(
      'Bearer realm="gatehouse", error="invalid_request", error_description="Bad header"',
    )
  })

  it.each(['ERR_TOKEN_INVALID', 'ERR_TOKEN_EXPIRED', 'ERR_REFRESH_TOKEN_INVALID'] as const)(
    'answers %s with invalid_token',
    (code) => {
      expect(bearerChallenge('api', code, 'No.')).toBe(
        'Bearer realm="api", error="invalid_token", error_description="No."',
      )
    },
  )

  it('escapes double quotes and backslashes inside quoted strings', () => {
    expect(
      bearerChallenge('my "realm"', 'ERR_TOKEN_MALFORMED', 'must be "Bearer <token>" \\ ok'),
    ).toBe(
      'Bearer realm="my \\"realm\\"", error="invalid_request", error_description="must be \\"Bearer <token>\\" \\\\ ok"',
    )
  })

  it('drops characters a header cannot carry, such as line breaks and non-ASCII', () => {
    const challenge = bearerChallenge('gate\r\nhouse', 'ERR_TOKEN_INVALID', 'déjà\nvu')
    expect(challenge).toBe(
      'Bearer realm="gatehouse", error="invalid_token", error_description="djvu"',
    )
  })
})
