/**
 * Username enumeration: an unknown user and a wrong password get the same status, the same
 * headers and byte-identical bodies apart from the request id, also once the limit locks them.
 * (Their timing is compared in the benchmark, never asserted here.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServers, type TestServers } from '../helpers/test-servers.js'
import { register, uniqueName, WRONG_PASSWORD } from './abuse-kit.js'

/** Status, headers (less the per-request ones) and raw body text with the id blanked. */
async function rawLogin(url: string, username: string, password: string) {
  const res = await fetch(`${url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  const id = res.headers.get('x-request-id') ?? ''
  const text = await res.text()
  const headers = [...res.headers].filter(
    ([name]) => !['date', 'x-request-id', 'etag', 'retry-after'].includes(name),
  )
  return {
    status: res.status,
    headers,
    body: text.replace(id, '<id>'),
    idInBody: text.includes(id),
  }
}

describe('unknown users and wrong passwords look alike', () => {
  let servers: TestServers
  let existing: string
  beforeAll(async () => {
    // The same cost for an unknown user and a wrong password is under test: real argon2.
    servers = await startTestServers({ PASSWORD_HASH_COST: 'standard' })
    existing = uniqueName('real')
    await register(servers.authUrl, existing)
  })
  afterAll(() => servers.close())

  it('answers both with the same status, headers and body bytes apart from the request id', async () => {
    const wrong = await rawLogin(servers.authUrl, existing, WRONG_PASSWORD)
    const unknown = await rawLogin(servers.authUrl, uniqueName('nobody'), WRONG_PASSWORD)
    expect(wrong.status).toBe(401)
    expect(wrong.idInBody && unknown.idInBody).toBe(true)
    expect(unknown).toEqual(wrong)
    expect(JSON.parse(wrong.body)).toEqual({
      code: 'ERR_INVALID_CREDENTIALS',
      message: 'Invalid username or password',
      requestId: '<id>',
    })
  })

  it('locks an unknown name and a real account after the same number of failures, alike', async () => {
    const real = uniqueName('real')
    const ghost = uniqueName('ghost')
    await register(servers.authUrl, real)
    const history = async (username: string) => {
      const answers = []
      for (let i = 0; i < 6; i += 1)
        answers.push(await rawLogin(servers.authUrl, username, WRONG_PASSWORD))
      return answers
    }
    const realAnswers = await history(real)
    const ghostAnswers = await history(ghost)
    expect(realAnswers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429])
    expect(ghostAnswers).toEqual(realAnswers)
  })
})
