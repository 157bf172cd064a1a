import fs from 'node:fs'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createTestDatabases,
  isPostgresAvailable,
  type TestDatabases,
} from '../helpers/postgres-databases.js'
import {
  bearer,
  login,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'

const available = await isPostgresAvailable('test/postgres/flow.test.ts')

/** Rows of one query on the database at `url`. */
async function rowsOf(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query(text, values)).rows
  } finally {
    await client.end()
  }
}

describe.skipIf(!available)('the auth and API servers on PostgreSQL', () => {
  let databases: TestDatabases
  let servers: TestServers
  let authDbUrl: string
  let apiDbUrl: string
  beforeAll(async () => {
    databases = createTestDatabases()
    authDbUrl = (await databases.create()).url
    apiDbUrl = (await databases.create()).url
    servers = await startTestServers({ DATABASE_URL: authDbUrl, API_DATABASE_URL: apiDbUrl })
  })
  afterAll(async () => {
    await servers?.close()
    await databases?.dropAll()
  })

  it('registers, logs in, refreshes, writes and deletes posts, and logs out, with the rows in PostgreSQL', async () => {
    const username = `pg-${Date.now().toString(36)}`
    const registered = await sendJson(`${servers.authUrl}/register`, {
      username,
      password: 'a fine password',
    })
    expect(registered.status).toBe(201)
    const [user] = await rowsOf(authDbUrl, 'select id, username from users where username = $1', [
      username,
    ])
    expect(user).toEqual({ id: registered.body.id, username })

    const tokens = await login(servers.authUrl, username, 'a fine password')
    const refreshed = await request(`${servers.authUrl}/accessToken`, {
      headers: bearer(tokens.refreshToken),
    })
    expect(refreshed.status).toBe(200)
    const access = bearer(refreshed.body.accessToken)
    const sessions = await rowsOf(
      authDbUrl,
      'select s.id, s.revoked_at, s.rotated_at, count(r.*)::int as retired from sessions s left join retired_refresh_tokens r on r.session_id = s.id where s.user_id = $1 group by s.id',
      [user?.id],
    )
    expect(sessions).toHaveLength(1)
    expect(sessions[0]).toMatchObject({ revoked_at: null, retired: 1 })

    const empty = await request(`${servers.apiUrl}/posts`, { headers: access })
    expect(empty.status).toBe(200)
    expect(empty.body).toEqual([])

    const created = await sendJson(
      `${servers.apiUrl}/posts`,
      { title: 'On Postgres' },
      'POST',
      access,
    )
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ author: username, title: 'On Postgres', body: null })
    const listed = await request(`${servers.apiUrl}/posts`, { headers: access })
    expect(listed.body).toEqual([created.body])
    const stored = await rowsOf(
      apiDbUrl,
      'select id, author, title from posts where author_id = $1',
      [user?.id],
    )
    expect(stored).toEqual([{ id: created.body.id, author: username, title: 'On Postgres' }])

    const removed = await request(`${servers.apiUrl}/posts/${created.body.id}`, {
      method: 'DELETE',
      headers: access,
    })
    expect(removed.status).toBe(204)
    expect(await rowsOf(apiDbUrl, 'select id from posts where id = $1', [created.body.id])).toEqual(
      [],
    )

    const out = await sendJson(
      `${servers.authUrl}/logout`,
      { refreshToken: refreshed.body.refreshToken },
      'DELETE',
    )
    expect(out.status).toBe(204)
    const [ended] = await rowsOf(authDbUrl, 'select revoked_at from sessions where id = $1', [
      sessions[0]?.id,
    ])
    expect(typeof ended?.revoked_at).toBe('string') // pg's own client: int8 stays a string
    const revocations = await rowsOf(
      authDbUrl,
      'select kind, value from revocations where value = $1',
      [sessions[0]?.id],
    )
    expect(revocations).toEqual([{ kind: 'sid', value: sessions[0]?.id }])

    const afterLogout = await request(`${servers.authUrl}/accessToken`, {
      headers: bearer(refreshed.body.refreshToken),
    })
    expect(afterLogout.status).toBe(403)
    expect(afterLogout.body).toMatchObject({
      code: 'ERR_REFRESH_TOKEN_INVALID',
      message: 'The refresh token is unknown, expired or revoked',
    })
  })

  it('keeps the demo posts and the signing keys in PostgreSQL, not in SQLite files', async () => {
    const jane = await login(servers.authUrl, 'Jane', 'abcd')
    const posts = await request(`${servers.apiUrl}/posts`, { headers: bearer(jane.accessToken) })
    expect(posts.body.map((post: { title: string }) => post.title)).toEqual(['Post 1'])
    expect(await rowsOf(apiDbUrl, `select title from posts where author = 'Jane'`)).toEqual([
      { title: 'Post 1' },
    ])
    const keys = await rowsOf(authDbUrl, 'select kid from signing_keys where retire_at is null')
    expect(keys.length).toBeGreaterThan(0)
    expect(fs.readdirSync(servers.dataDir).filter((file) => file.endsWith('.db'))).toEqual([])
  })
})
