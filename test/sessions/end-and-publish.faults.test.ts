/**
 * Every way a session ends (or a token is revoked) commits the end and its revocation entry
 * together: with a real fault in the middle (a trigger on the real SQLite file that makes every
 * insert into the revocation log raise), the request fails with 503 (the CLI exits 1) and leaves
 * nothing half done; once the fault is gone, the retry succeeds, the entry is on the feed, and
 * both the running API server and one started afterwards refuse the access token.
 *
 * @see issue 9, point 2
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../src/logging/create-logger.js'
import { startApiServer } from '../../src/main/start-api-server.js'
import { runCli } from '../cli/run-cli.js'
import {
  bearer,
  login,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { expectRefusedByApi, feedToken, refresh } from '../revocation/revocation-kit.js'

type Tokens = Awaited<ReturnType<typeof login>>

/** One path that ends a session: how to set it up, what to send, and what it answers. */
interface EndingPath {
  readonly name: string
  /** Prepares the sessions; returns the attempt (repeatable) and the token it must kill. */
  setup(
    servers: TestServers,
    user: string,
  ): Promise<{
    attempt(): Promise<number>
    victim: Tokens
    /** What the log must hold afterwards: the session id, or the token id for `tokens revoke`. */
    entry: { sid: string } | { jti: string }
  }>
  /** The answer with the fault in place (an HTTP status, or the CLI's exit code). */
  readonly failed: number
  /** The answer of the retry once the fault is gone. */
  readonly succeeded: number
}

const PASSWORD = 'correct horse battery'
const sidOf = (tokens: Tokens) => String(decodeJwt(tokens.accessToken).sid)
const cliEnv = (servers: TestServers) => ({ NODE_ENV: 'test', DATA_DIR: servers.dataDir })
const status = async (res: Promise<{ status: number }>) => (await res).status

/** `gatehouse sessions revoke <option> <value>` ending the victim's session: exit 1, then 0. */
function sessionsRevokeByCli(
  option: '--id' | '--user',
  argumentOf: (victim: Tokens, user: string) => string,
): EndingPath {
  return {
    name: `gatehouse sessions revoke ${option}`,
    async setup(servers: TestServers, user: string) {
      const victim = await login(servers.authUrl, user, PASSWORD)
      const args = ['sessions', 'revoke', option, argumentOf(victim, user)]
      return {
        victim,
        entry: { sid: sidOf(victim) },
        attempt: async () => (await runCli(args, cliEnv(servers))).code ?? -1,
      }
    },
    failed: 1,
    succeeded: 0,
  }
}

const PATHS: EndingPath[] = [
  {
    name: 'DELETE /logout',
    async setup({ authUrl }, user) {
      const victim = await login(authUrl, user, PASSWORD)
      const body = { refreshToken: victim.refreshToken }
      return {
        victim,
        entry: { sid: sidOf(victim) },
        attempt: () => status(sendJson(`${authUrl}/logout`, body, 'DELETE')),
      }
    },
    failed: 503,
    succeeded: 204,
  },
  {
    name: 'POST /logout/all',
    async setup({ authUrl }, user) {
      const victim = await login(authUrl, user, PASSWORD)
      return {
        victim,
        entry: { sid: sidOf(victim) },
        attempt: () =>
          status(
            request(`${authUrl}/logout/all`, {
              method: 'POST',
              headers: bearer(victim.accessToken),
            }),
          ),
      }
    },
    failed: 503,
    succeeded: 204,
  },
  {
    name: 'POST /password (every session)',
    async setup({ authUrl }, user) {
      const caller = await login(authUrl, user, PASSWORD)
      const victim = await login(authUrl, user, PASSWORD)
      const body = { oldPassword: PASSWORD, newPassword: `${PASSWORD} again` }
      return {
        victim,
        entry: { sid: sidOf(victim) },
        attempt: () =>
          status(sendJson(`${authUrl}/password`, body, 'POST', bearer(caller.accessToken))),
      }
    },
    failed: 503,
    succeeded: 200,
  },
  {
    name: 'refresh-token reuse',
    async setup({ authUrl }, user) {
      const first = await login(authUrl, user, PASSWORD)
      const rotated = await refresh(authUrl, first.refreshToken)
      expect(rotated.status).toBe(200)
      return {
        victim: rotated.body,
        entry: { sid: sidOf(first) },
        // The grace window is off (REFRESH_REUSE_GRACE=0): the old token again is theft.
        attempt: () => status(refresh(authUrl, first.refreshToken)),
      }
    },
    failed: 503,
    succeeded: 403,
  },
  {
    name: 'DELETE /sessions/:id',
    async setup({ authUrl }, user) {
      const caller = await login(authUrl, user, PASSWORD)
      const victim = await login(authUrl, user, PASSWORD)
      const url = `${authUrl}/sessions/${sidOf(victim)}`
      return {
        victim,
        entry: { sid: sidOf(victim) },
        attempt: () =>
          status(request(url, { method: 'DELETE', headers: bearer(caller.accessToken) })),
      }
    },
    failed: 503,
    succeeded: 204,
  },
  sessionsRevokeByCli('--id', (victim) => sidOf(victim)),
  sessionsRevokeByCli('--user', (_victim, user) => user),
  {
    name: 'gatehouse tokens revoke --jti',
    async setup(servers, user) {
      const victim = await login(servers.authUrl, user, PASSWORD)
      const jti = String(decodeJwt(victim.accessToken).jti)
      return {
        victim,
        entry: { jti },
        attempt: async () =>
          (await runCli(['tokens', 'revoke', '--jti', jti], cliEnv(servers))).code ?? -1,
      }
    },
    failed: 1,
    succeeded: 0,
  },
]

describe('ending a session with the revocation log failing in the middle', () => {
  let servers: TestServers
  let db: Database.Database
  beforeAll(async () => {
    servers = await startTestServers({ ACCESS_TOKEN_TTL: '10m', REFRESH_REUSE_GRACE: '0' })
    db = new Database(path.join(servers.dataDir, 'auth.db'), { timeout: 10_000 })
  })
  afterAll(async () => {
    db?.close()
    await servers?.close()
  })

  const breakLog = () =>
    db.exec(`create trigger revocation_fault before insert on revocations
      begin select raise(abort, 'injected fault'); end`)
  const repairLog = () => db.exec('drop trigger revocation_fault')

  it('publishes a session that older code ended without its entry, when its logout is retried', async () => {
    const victim = await login(servers.authUrl)
    const sid = sidOf(victim)
    // What a failed logout of older code left: the session ended, the log without it.
    db.prepare('update sessions set revoked_at = ? where id = ?').run(
      Math.floor(Date.now() / 1000),
      sid,
    )
    const body = { refreshToken: victim.refreshToken }
    expect((await sendJson(`${servers.authUrl}/logout`, body, 'DELETE')).status).toBe(204)
    const feed = await request<{ revocations: Record<string, unknown>[] }>(
      `${servers.authUrl}/revocations`,
      { headers: { accept: 'application/json', ...bearer(feedToken(servers)) } },
    )
    expect(feed.body.revocations).toContainEqual(expect.objectContaining({ sid }))
    await expectRefusedByApi(servers.apiUrl, victim.accessToken)
  })

  it.each(PATHS.map((ending, index) => [ending.name, ending, index] as const))(
    '%s: 503 with the fault, then the retry publishes it and every API server refuses the token',
    async (_, ending, index) => {
      const user = `ender${index}`
      const registered = await sendJson(`${servers.authUrl}/register`, {
        username: user,
        password: PASSWORD,
      })
      expect(registered.status).toBe(201)
      const { attempt, victim, entry } = await ending.setup(servers, user)

      breakLog()
      try {
        expect(await attempt()).toBe(ending.failed)
      } finally {
        repairLog()
      }
      expect(await attempt()).toBe(ending.succeeded)

      const feed = await request<{ revocations: Record<string, unknown>[] }>(
        `${servers.authUrl}/revocations`,
        { headers: { accept: 'application/json', ...bearer(feedToken(servers)) } },
      )
      expect(feed.body.revocations).toContainEqual(expect.objectContaining(entry))
      await expectRefusedByApi(servers.apiUrl, victim.accessToken)

      // An API server started now (a restarted one: nothing in memory) learns it from the feed.
      const restarted = await startApiServer(servers.config, createLogger('test', 'silent'))
      try {
        await expectRefusedByApi(`http://127.0.0.1:${restarted.port}`, victim.accessToken, 5000)
      } finally {
        await restarted.close()
      }
    },
  )
})
