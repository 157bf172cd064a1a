/** The mail settings, checked at start-up with one line naming the variable. @see issue 15, point 1 */
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load-config.js'

const load = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env })

describe('mail settings', () => {
  it('default to the outbox, and links to the demo app', () => {
    expect(load({}).mail).toEqual({
      url: undefined,
      from: 'Gatehouse <no-reply@localhost>',
      timeout: 10,
      retries: 3,
      accountLinkUrl: 'http://localhost:8080',
    })
    expect(load({ DEMO_APP_PORT: '9090' }).mail.accountLinkUrl).toBe('http://localhost:9090')
    expect(load({ ACCOUNT_LINK_URL: 'https://app.example.com/' }).mail.accountLinkUrl).toBe(
      'https://app.example.com',
    )
  })

  it.each([
    [
      { MAIL_URL: 'http://mail.example.com' },
      /^Invalid configuration: MAIL_URL must be an smtp:\/\/ or smtps:\/\/ URL/,
    ],
    [
      { MAIL_URL: 'smtp://mail.example.com' },
      /^Invalid configuration: MAIL_FROM must be set with MAIL_URL/,
    ],
    [{ MAIL_FROM: 'a@b.c\r\nBcc: x@y.z' }, /^Invalid configuration: MAIL_FROM must be one line/],
    [{ MAIL_TIMEOUT: '0' }, /^Invalid configuration: MAIL_TIMEOUT must be longer than 0 seconds/],
    [
      { MAIL_RETRIES: '11' },
      /^Invalid configuration: MAIL_RETRIES must be a whole number from 0 to 10/,
    ],
    [
      { ACCOUNT_LINK_URL: 'javascript:alert(1)' },
      /^Invalid configuration: ACCOUNT_LINK_URL must be an/,
    ],
  ])('refuses %o', (env, message) => {
    expect(() => load(env)).toThrow(message)
  })

  it('never repeats the SMTP password in a refusal', () => {
    expect(() => load({ MAIL_URL: 'smtp://user:s3cret@mail.example.com' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('s3cret') }),
    )
  })
})
