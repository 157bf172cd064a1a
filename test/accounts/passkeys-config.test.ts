/**
 * The relying-party settings: checked at start-up with one line naming the variable (an IP
 * address is no RP ID; an origin the RP ID cannot serve), and their defaults drawn from the
 * origins the server admits.
 *
 * @see issue 15, point 5
 */
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load-config.js'
import { resolveRelyingParty } from '../../src/passkeys/relying-party.js'
import { configMessageOf } from '../config/config-kit.js'

describe('the WebAuthn relying party', () => {
  it.each(['127.0.0.1', '::1', '[::1]'])('refuses the IP address %s as WEBAUTHN_RP_ID', (rpId) => {
    expect(configMessageOf({ WEBAUTHN_RP_ID: rpId })).toBe(
      'Invalid configuration: WEBAUTHN_RP_ID must be a domain name such as example.com or localhost, not an IP address (WebAuthn does not accept IP addresses as relying-party IDs)',
    )
  })

  it.each(['https://example.com', 'example.com:443', 'exa mple.com'])(
    'refuses %s, which is not a bare domain name',
    (rpId) => {
      expect(configMessageOf({ WEBAUTHN_RP_ID: rpId })).toBe(
        'Invalid configuration: WEBAUTHN_RP_ID must be a domain name such as example.com or localhost (no scheme, port or path)',
      )
    },
  )

  it('refuses origins the RP ID cannot serve, naming them', () => {
    expect(
      configMessageOf({
        WEBAUTHN_RP_ID: 'example.com',
        WEBAUTHN_ORIGINS: 'https://app.example.com,https://example.org',
      }),
    ).toBe(
      'Invalid configuration: WEBAUTHN_ORIGINS lists https://example.org, whose host is not the relying-party ID example.com (WEBAUTHN_RP_ID) or a subdomain of it',
    )
  })

  it('defaults to the first CORS origin that names a host, and its origins under it', () => {
    const config = loadConfig({
      CORS_ORIGINS: 'http://127.0.0.1:8080,https://app.example.com,https://example.org',
    })
    expect(resolveRelyingParty(config.webauthn, config.corsOrigins)).toEqual({
      id: 'app.example.com',
      name: 'Gatehouse',
      origins: ['https://app.example.com'],
    })
  })

  it('is localhost, for the demo app’s origins, when nothing is set', () => {
    const config = loadConfig({})
    expect(
      resolveRelyingParty(config.webauthn, ['http://localhost:8080', 'http://127.0.0.1:8080']),
    ).toEqual({ id: 'localhost', name: 'Gatehouse', origins: ['http://localhost:8080'] })
  })

  it('takes what is set', () => {
    const config = loadConfig({
      WEBAUTHN_RP_ID: 'Example.COM',
      WEBAUTHN_RP_NAME: 'Example',
      WEBAUTHN_ORIGINS: 'https://example.com,https://login.example.com',
    })
    expect(resolveRelyingParty(config.webauthn, [])).toEqual({
      id: 'example.com',
      name: 'Example',
      origins: ['https://example.com', 'https://login.example.com'],
    })
  })
})
