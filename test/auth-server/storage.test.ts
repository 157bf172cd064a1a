import path from 'node:path'
import Database from 'better-sqlite3'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bearer,
  login,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'

const USER_AGENT = 'gatehouse-storage-test/1.0'

type Row = Record<string, unknown>

describe('what the auth server keeps in its database', () => {
  let servers: TestServers
  let db: Database.Database
  beforeAll(async () => {
    // Hashing is under test here: the real argon2 parameters, not the test suite's cheap ones.
    servers = await startTestServers({ PASSWORD_HASH_COST: 'standard' })
    db = new Database(path.join(servers.dataDir, 'auth.db'), {
      readonly: true,
      fileMustExist: true,
    })
  })
  afterAll(async () => {
    db.close()
    await servers.close()
  })

  async function loginWithAgent(username = 'Jane', password = 'abcd') {
    const res = await sendJson(`${servers.authUrl}/login`, { username, password }, 'POST', {
      'user-agent': USER_AGENT,
    })
    expect(res.status).toBe(200)
    return res.body as { accessToken: string; refreshToken: string }
  }

  const sessionRows = () => db.prepare('SELECT * FROM sessions').all() as Row[]
  const sessionRow = (sid: unknown) =>
    db.prepare('SELECT * FROM sessions WHERE id = ?').get(sid) as Row | undefined

  it('stores a row for the session, with the client user agent and ip', async () => {
    const tokens = await loginWithAgent()
    const sid = decodeJwt(tokens.accessToken).sid
    const row = sessionRow(sid)
    expect(row).toBeDefined()
    expect(row?.user_id).toBe(decodeJwt(tokens.accessToken).sub)
    expect(row?.user_agent).toBe(USER_AGENT)
    expect(row?.ip).toMatch(/127\.0\.0\.1$/)
    expect(row?.revoked_at).toBeNull()
    expect(Number(row?.expires_at)).toBeGreaterThan(Number(row?.created_at))
  })

  it('stores the refresh token nowhere in the sessions table, only a hash of it', async () => {
    const tokens = await loginWithAgent()
    const row = sessionRow(decodeJwt(tokens.accessToken).sid)
    expect(row?.refresh_hash).toEqual(expect.any(String))
    expect(row?.refresh_hash).not.toBe(tokens.refreshToken)
    const everything = JSON.stringify(sessionRows())
    expect(everything).not.toContain(tokens.refreshToken)
    expect(everything).not.toContain(tokens.refreshToken.slice(0, 16))
  })

  it('replaces the stored hash on refresh and stores the rotated token nowhere either', async () => {
    const tokens = await loginWithAgent()
    const sid = decodeJwt(tokens.accessToken).sid
    const before = sessionRow(sid)?.refresh_hash
    const refreshed = await request(`${servers.authUrl}/accessToken`, {
      headers: bearer(tokens.refreshToken),
    })
    expect(refreshed.status).toBe(200)
    const after = sessionRow(sid)?.refresh_hash
    expect(after).toEqual(expect.any(String))
    expect(after).not.toBe(before)
    const everything = JSON.stringify(sessionRows())
    expect(everything).not.toContain(refreshed.body.refreshToken)
    expect(everything).not.toContain(tokens.refreshToken)
  })

  it('marks the session revoked on logout instead of keeping it live', async () => {
    const tokens = await loginWithAgent()
    const sid = decodeJwt(tokens.accessToken).sid
    const out = await sendJson(
      `${servers.authUrl}/logout`,
      { refreshToken: tokens.refreshToken },
      'DELETE',
    )
    expect(out.status).toBe(204)
    expect(sessionRow(sid)?.revoked_at).toEqual(expect.any(Number))
  })

  it('stores passwords only as argon2id hashes', async () => {
    const username = 'stored-hash-check'
    const password = 'plain-text-never-stored'
    const created = await sendJson(`${servers.authUrl}/register`, { username, password })
    expect(created.status).toBe(201)
    const users = db.prepare('SELECT * FROM users').all() as Row[]
    expect(JSON.stringify(users)).not.toContain(password)
    const row = users.find((user) => user.id === created.body.id)
    expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/)
    const jane = users.find((user) => user.username === 'Jane')
    expect(jane?.password_hash).toMatch(/^\$argon2id\$/)
    expect(JSON.stringify(jane)).not.toContain('"abcd"')
  })

  it('does not keep the access token either', async () => {
    const tokens = await login(servers.authUrl)
    expect(JSON.stringify(sessionRows())).not.toContain(tokens.accessToken)
  })
})
