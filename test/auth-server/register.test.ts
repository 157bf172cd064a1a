import { randomUUID } from 'node:crypto'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  errorBody,
  login,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'

/** A username no other test (or run) has taken. */
function freshName(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`
}

describe('POST /register', () => {
  let servers: TestServers
  let url: string
  beforeAll(async () => {
    // This suite registers more accounts from 127.0.0.1 than the default 10 per hour allow.
    servers = await startTestServers({ RATE_LIMIT_REGISTER_IP: '1000/1h' })
    url = `${servers.authUrl}/register`
  })
  afterAll(() => servers.close())

  async function expectValidationError(body: unknown, message: string) {
    const res = await sendJson(url, body)
    expect(res.status).toBe(400)
    expect(res.body).toEqual(errorBody(res, { code: 'ERR_VALIDATION', message }))
  }

  it('creates an account and answers 201 with its id and username only', async () => {
    const username = freshName('alice')
    const res = await sendJson(url, { username, password: 'correct horse' })
    expect(res.status).toBe(201)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(Object.keys(res.body).sort()).toEqual(['id', 'username'])
    expect(res.body.username).toBe(username)
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('gives every account its own id', async () => {
    const first = await sendJson(url, { username: freshName(), password: 'password-1' })
    const second = await sendJson(url, { username: freshName(), password: 'password-2' })
    expect(first.status).toBe(201)
    expect(second.status).toBe(201)
    expect(first.body.id).not.toBe(second.body.id)
  })

  it('lets a registered user log in, with their id as sub and their name as name', async () => {
    const username = freshName('bob')
    const created = await sendJson(url, { username, password: 'bobs password' })
    expect(created.status).toBe(201)
    const tokens = await login(servers.authUrl, username, 'bobs password')
    const claims = decodeJwt(tokens.accessToken)
    expect(claims.sub).toBe(created.body.id)
    expect(claims.name).toBe(username)
  })

  it('does not let a registered user log in with another password', async () => {
    const username = freshName('carol')
    expect((await sendJson(url, { username, password: 'carols password' })).status).toBe(201)
    const res = await sendJson(`${servers.authUrl}/login`, { username, password: 'not hers!' })
    expect(res.status).toBe(401)
    expect(res.body).toEqual(
      errorBody(res, {
        code: 'ERR_INVALID_CREDENTIALS',
        message: 'Invalid username or password',
      }),
    )
  })

  it('refuses a username that is already taken with 409 ERR_USERNAME_TAKEN', async () => {
    const username = freshName('dave')
    expect((await sendJson(url, { username, password: 'first password' })).status).toBe(201)
    const res = await sendJson(url, { username, password: 'second password' })
    expect(res.status).toBe(409)
    expect(res.body).toEqual(
      errorBody(res, {
        code: 'ERR_USERNAME_TAKEN',
        message: 'That username is already taken',
      }),
    )
  })

  it('refuses the demo name Jane when it differs only by case', async () => {
    for (const username of ['jane', 'JANE', 'Jane']) {
      const res = await sendJson(url, { username, password: 'a long password' })
      expect(res.status, username).toBe(409)
      expect(res.body).toEqual(
        errorBody(res, {
          code: 'ERR_USERNAME_TAKEN',
          message: 'That username is already taken',
        }),
      )
    }
  })

  it('refuses a name that differs only by Unicode width (NFKC)', async () => {
    const res = await sendJson(url, { username: 'ｊａｎｅ', password: 'a long password' })
    expect(res.status).toBe(409)
    expect(res.body.code).toBe('ERR_USERNAME_TAKEN')
  })

  it('keeps the original password of a taken name working', async () => {
    const username = freshName('erin')
    expect((await sendJson(url, { username, password: 'original pw' })).status).toBe(201)
    expect((await sendJson(url, { username, password: 'hijacker pw' })).status).toBe(409)
    await expect(login(servers.authUrl, username, 'original pw')).resolves.toBeDefined()
    const hijack = await sendJson(`${servers.authUrl}/login`, { username, password: 'hijacker pw' })
    expect(hijack.status).toBe(401)
  })

  it('refuses a password shorter than 8 characters', async () => {
    await expectValidationError(
      { username: freshName(), password: '1234567' },
      'password: must be at least 8 characters',
    )
  })

  it('accepts a password of exactly 8 characters', async () => {
    const res = await sendJson(url, { username: freshName(), password: 'k7#qv2!m' })
    expect(res.status).toBe(201)
  })

  it('refuses a body without a username or without a password', async () => {
    await expectValidationError({ password: 'long enough' }, 'username: must be a string')
    await expectValidationError({ username: freshName() }, 'password: must be a string')
    await expectValidationError({}, 'username: must be a string')
  })

  it('refuses fields that are numbers, arrays or null', async () => {
    for (const wrong of [42, ['jane'], null, { name: 'x' }, true]) {
      await expectValidationError(
        { username: wrong, password: 'long enough' },
        'username: must be a string',
      )
      await expectValidationError(
        { username: freshName(), password: wrong },
        'password: must be a string',
      )
    }
  })

  it('refuses an empty username', async () => {
    await expectValidationError(
      { username: '', password: 'long enough' },
      'username: must not be empty',
    )
  })

  it('refuses a username with control characters', async () => {
    for (const username of ['bad\nname', 'bad\u0000name', 'tab\tname', 'del\u007fname']) {
      await expectValidationError(
        { username, password: 'long enough' },
        'username: must not contain control or invisible characters',
      )
    }
  })

  it('refuses a username with leading or trailing spaces', async () => {
    for (const username of [' frank', 'frank ', '  frank  ']) {
      await expectValidationError(
        { username, password: 'long enough' },
        'username: must not start or end with spaces',
      )
    }
  })

  it('refuses a username over 64 characters and accepts one of exactly 64', async () => {
    await expectValidationError(
      { username: 'a'.repeat(65), password: 'long enough' },
      'username: must be at most 64 characters',
    )
    const exact = `${randomUUID()}`.padEnd(64, 'x')
    const res = await sendJson(url, { username: exact, password: 'long enough' })
    expect(res.status).toBe(201)
    expect(res.body.username).toBe(exact)
  })

  it('refuses a password over 256 characters before hashing it', async () => {
    await expectValidationError(
      { username: freshName(), password: 'p'.repeat(257) },
      'password: must be at most 256 characters',
    )
  })

  it('refuses a body that is not a JSON object', async () => {
    await expectValidationError(
      [{ username: freshName(), password: 'long enough' }],
      'The request body must be a JSON object sent with Content-Type: application/json',
    )
  })

  it('does not create the account when validation fails', async () => {
    const username = freshName('gina')
    await expectValidationError(
      { username, password: 'short' },
      'password: must be at least 8 characters',
    )
    const res = await sendJson(url, { username, password: 'long enough now' })
    expect(res.status).toBe(201)
  })
})
