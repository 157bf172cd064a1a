/**
 * Migration 0016 on a database of sessions opened before refresh tokens named their session:
 * their tokens (32 random bytes) go on refreshing, rotating and logging out; a rotated-away one
 * presented again is still reuse, and ends its session; a login after the upgrade gets a token
 * that names its session, and both kinds live side by side.
 *
 * @see issue 14, point 1 (flat from 1 to 1,000,000 sessions)
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../src/logging/create-logger.js'
import { openDatabase } from '../../src/store/open-database.js'
import { AUTH_MIGRATIONS } from '../../src/store/sql/migrations/index.js'
import { runMigrations } from '../../src/store/sql/run-migrations.js'
import type { AuthDatabase } from '../../src/store/sql/schema.js'
import { createSqlSessionStore } from '../../src/store/sql/sql-session-store.js'
import { createSqlUserStore } from '../../src/store/sql/sql-user-store.js'
import { createTestDatabases, isPostgresAvailable } from '../helpers/postgres-databases.js'
import {
  bearer,
  bindTestPort,
  errorBody,
  login,
  makeTempDir,
  request,
  sendJson,
  startAuthServerOn,
  testConfig,
} from '../helpers/test-servers.js'
import { REFRESH_INVALID, REFRESH_REUSED, refresh } from '../revocation/revocation-kit.js'

const SECRET = 'the refresh-token secret of the 0016 migration test'
const BEFORE_0016 = Object.fromEntries(
  Object.entries(AUTH_MIGRATIONS).filter(([name]) => name < '0016'),
)
const NOW = Math.floor(Date.now() / 1000)
const hashOf = (token: string) => createHmac('sha256', SECRET).update(token).digest('base64url')
const olderToken = () => randomBytes(32).toString('base64url')

/** When the stored sessions were opened, last rotated, and their last access token expired. */
const TIMES = {
  createdAt: NOW - 7200,
  lastUsedAt: NOW - 3600,
  expiresAt: NOW + 86_400,
  rotatedAt: NOW - 3600,
  accessExpiresAt: NOW - 2700,
}

/** A session as the code before 0016 stored it, rotated once an hour ago. */
function olderSession(userId: string) {
  return { id: randomUUID(), userId, current: olderToken(), retired: olderToken() }
}

/** Two older sessions written at 0015, then every migration run; the database is left closed. */
async function storeOlderSessions(url: string) {
  const db = openDatabase<AuthDatabase>(url)
  try {
    await runMigrations(db as Kysely<unknown>, BEFORE_0016)
    const userId = randomUUID()
    await createSqlUserStore(db).create({
      id: userId,
      username: 'Older',
      passwordHash: 'not used',
      createdAt: NOW - 7200,
    })
    const sessions = [olderSession(userId), olderSession(userId)]
    const old = db as unknown as Kysely<Record<string, Record<string, unknown>>>
    for (const session of sessions) {
      await old
        .insertInto('sessions')
        .values({
          ...TIMES,
          id: session.id,
          userId,
          refreshHash: hashOf(session.current),
          userAgent: 'OlderClient/1.0',
          ip: '127.0.0.1',
        })
        .execute()
      await old
        .insertInto('retiredRefreshTokens')
        .values({
          refreshHash: hashOf(session.retired),
          sessionId: session.id,
          retiredAt: NOW - 3600,
          retiredBy: 'a client of before',
        })
        .execute()
    }
    // A session with every column set, ended: only read back.
    const bound = {
      ...TIMES,
      id: randomUUID(),
      userId,
      userAgent: null,
      ip: '192.0.2.1',
      revokedAt: NOW - 60,
      dpopJkt: 'jkt-of-the-key',
    }
    const rotatedBy = 'jkt:rotating'
    await old
      .insertInto('sessions')
      .values({ ...bound, refreshHash: hashOf(olderToken()), rotatedBy })
      .execute()
    await runMigrations(db as Kysely<unknown>, AUTH_MIGRATIONS)
    // Every column came through (SQLite rebuilt the table).
    expect(await createSqlSessionStore(db).findById(bound.id)).toEqual(bound)
    const row = await db
      .selectFrom('sessions')
      .select(['rotatedBy', 'tokenVersion'])
      .where('id', '=', bound.id)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ rotatedBy, tokenVersion: 1 })
    return sessions
  } finally {
    await db.destroy()
  }
}

async function expectOlderSessionsWork(databaseUrl: string, dataDir: string) {
  const [kept, stolen] = await storeOlderSessions(databaseUrl)
  if (!kept || !stolen) throw new Error('two sessions expected')
  const bound = await bindTestPort()
  const auth = await startAuthServerOn(
    bound,
    testConfig(dataDir, {
      AUTH_SERVER_URL: `http://127.0.0.1:${bound.port}`,
      DATABASE_URL: databaseUrl,
      REFRESH_TOKEN_SECRET: SECRET,
    }),
    createLogger('test', 'silent'),
  )
  const authUrl = `http://127.0.0.1:${auth.port}`
  try {
    // An older token refreshes, and its successor keeps the older format.
    const first = await refresh(authUrl, kept.current)
    expect(first.status).toBe(200)
    expect(first.body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const repeat = await refresh(authUrl, kept.current) // within the grace window
    expect(repeat.body.refreshToken).toBe(first.body.refreshToken)
    const second = await refresh(authUrl, first.body.refreshToken)
    expect(second.status).toBe(200)

    // A token rotated away before the upgrade is still reuse: its session ends.
    const reused = await refresh(authUrl, stolen.retired)
    expect(reused.status).toBe(403)
    expect(reused.body).toEqual(errorBody(reused, REFRESH_REUSED))
    const afterTheft = await refresh(authUrl, stolen.current)
    expect(afterTheft.status).toBe(403)

    // A login after the upgrade gets a token naming its session, beside the older ones.
    const fresh = await login(authUrl)
    expect(fresh.refreshToken).toMatch(/^[A-Za-z0-9_-]{65}$/)
    const rotated = await refresh(authUrl, fresh.refreshToken)
    expect(rotated.status).toBe(200)
    expect(rotated.body.refreshToken).toMatch(/^[A-Za-z0-9_-]{65}$/)

    // Logout of an older session ends it; the other kind is not touched.
    const out = await sendJson(
      `${authUrl}/logout`,
      { refreshToken: second.body.refreshToken },
      'DELETE',
    )
    expect(out.status).toBe(204)
    const ended = await refresh(authUrl, second.body.refreshToken)
    expect(ended.body).toEqual(errorBody(ended, REFRESH_INVALID))
    expect((await refresh(authUrl, rotated.body.refreshToken)).status).toBe(200)
    expect(
      (await request(`${authUrl}/accessToken`, { headers: bearer(olderToken()) })).status,
    ).toBe(403)
  } finally {
    await auth.close()
  }
}

describe('migration 0016 on SQLite', () => {
  const temp = makeTempDir()
  afterAll(() => temp.remove())

  it('keeps the sessions stored before it refreshing, rotating, detecting reuse and logging out', async () => {
    await expectOlderSessionsWork(`sqlite:${temp.dir}/auth.db`, temp.dir)
  })
})

const postgres = await isPostgresAvailable('test/sessions/older-refresh-tokens.migration.test.ts')

describe.skipIf(!postgres)('migration 0016 on PostgreSQL', () => {
  const databases = createTestDatabases()
  const temp = makeTempDir()
  afterAll(async () => {
    await databases.dropAll()
    temp.remove()
  })

  it('keeps the sessions stored before it refreshing, rotating, detecting reuse and logging out', async () => {
    await expectOlderSessionsWork((await databases.create()).url, temp.dir)
  })
})
