import { describe, expect, it } from 'vitest'
import { redactUrl } from '../../src/lib/redact-url.js'

describe('redactUrl', () => {
  it.each([
    ['postgres://app:s3cret@db:5432/auth', 'postgres://app:[redacted]@db:5432/auth'],
    ['postgresql://app:p%40ss%2Fword@db/auth', 'postgresql://app:[redacted]@db/auth'],
    ['postgres://:s3cret@db/auth', 'postgres://:[redacted]@db/auth'],
    [
      'postgres://db/auth?user=app&password=s3cret&sslmode=require',
      'postgres://db/auth?user=app&password=[redacted]&sslmode=require',
    ],
    ['redis://:s3cret@cache:6379', 'redis://:[redacted]@cache:6379'],
  ])('hides the password of %s', (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted)
    expect(redactUrl(url)).not.toMatch(/s3cret|p%40ss/)
  })

  it.each(['sqlite:./data/auth.db', 'postgres://app@db:5432/auth'])(
    'leaves %s, which has no password, as it is',
    (url) => {
      expect(redactUrl(url)).toBe(url)
    },
  )
})
