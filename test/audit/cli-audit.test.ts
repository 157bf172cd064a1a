/**
 * `gatehouse audit list` reads the audit log with filters, as a table or JSON; the commands that
 * change things without a request (scopes, sessions, keys) record their events as `actor: 'cli'`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { usernameKey } from '../../src/lib/username-key.js'
import { runCli } from '../cli/run-cli.js'
import { login, sendJson } from '../helpers/test-servers.js'
import { type AuditServer, PASSWORD, registerUser, startAuditServer } from './audit-kit.js'

describe('gatehouse audit list, and the events of the CLI', () => {
  let server: AuditServer
  beforeAll(async () => {
    server = await startAuditServer({ NODE_ENV: 'test' })
  })
  afterAll(() => server.close())

  const gatehouse = (...args: string[]) =>
    runCli(args, { NODE_ENV: 'test', DATA_DIR: server.dataDir, LOG_LEVEL: 'silent' })

  it('records an account made, scopes granted and revoked, sessions ended from the command line', async () => {
    const username = `cli-${Date.now()}`
    const created = await runCli(
      ['users', 'create', '--user', username],
      { NODE_ENV: 'test', DATA_DIR: server.dataDir, LOG_LEVEL: 'silent' },
      `${PASSWORD}\n`,
    )
    expect(created.code, created.stderr).toBe(0)
    const user = { username, id: (await server.stores.users.findByUsername(username))?.id ?? '' }
    await login(server.authUrl, user.username, PASSWORD)
    for (const change of ['grant', 'revoke']) {
      const result = await gatehouse('users', change, '--user', user.username, '--scope', 'audit:x')
      expect(result.code, result.stderr).toBe(0)
    }
    const revoked = await gatehouse('sessions', 'revoke', '--user', user.username)
    expect(revoked.code, revoked.stderr).toBe(0)
    const events = (await server.eventsOf(user.id)).filter((e) => e.actor === 'cli')
    expect(events.map((e) => [e.event, e.detail])).toEqual([
      ['sessions.ended_all', { reason: 'revoked from the command line', sessionsEnded: 1 }],
      ['scopes.revoked', { scopes: ['audit:x'], scopesAfter: ['posts:read', 'posts:write'] }],
      [
        'scopes.granted',
        { scopes: ['audit:x'], scopesAfter: ['audit:x', 'posts:read', 'posts:write'] },
      ],
      ['user.registered', null],
    ])
    for (const event of events) expect(event).toMatchObject({ ip: null, requestId: null })
  })

  it('records a key rotation', async () => {
    const result = await gatehouse('keys', 'rotate')
    expect(result.code, result.stderr).toBe(0)
    const kid = /new signing key (\S+)/.exec(result.stdout)?.[1]
    const rotations = await server.stores.audit.list({ event: 'key.rotated', limit: 10 })
    expect(rotations.map((e) => [e.actor, e.detail?.kid])).toEqual([['cli', kid]])
  })

  it('lists a user’s events, filtered by event and time, as JSON', async () => {
    const user = await registerUser(server.authUrl)
    await login(server.authUrl, user.username, PASSWORD)
    const failed = await sendJson(`${server.authUrl}/login`, {
      username: user.username,
      password: 'Wrong-Passw0rd!',
    })
    expect(failed.status).toBe(401)
    const all = await gatehouse('audit', 'list', '--user', user.username, '--json')
    expect(all.code, all.stderr).toBe(0)
    const events = JSON.parse(all.stdout)
    expect(events.map((e: { event: string }) => e.event)).toEqual([
      'login.failed',
      'login.succeeded',
      'user.registered',
    ])
    expect(events[0]).toMatchObject({
      userId: user.id,
      requestId: failed.headers.get('x-request-id'),
    })
    expect(new Date(events[0].at).toISOString()).toBe(events[0].at)

    const onlyFailed = await gatehouse(
      'audit',
      'list',
      '--user',
      user.username,
      '--event',
      'login.failed',
      '--since',
      '1h',
      '--json',
    )
    expect(JSON.parse(onlyFailed.stdout).map((e: { event: string }) => e.event)).toEqual([
      'login.failed',
    ])
    const future = await gatehouse(
      'audit',
      'list',
      '--user',
      user.username,
      '--since',
      '2999-01-01T00:00:00Z',
      '--json',
    )
    expect(JSON.parse(future.stdout)).toEqual([])
    const limited = await gatehouse(
      'audit',
      'list',
      '--user',
      user.username,
      '--limit',
      '1',
      '--json',
    )
    expect(JSON.parse(limited.stdout)).toHaveLength(1)
  })

  it('finds failed logins typed as a name no account has, in a table by default', async () => {
    const typed = `Ghost-${Date.now()}`
    const failed = await sendJson(`${server.authUrl}/login`, {
      username: typed,
      password: 'Guess-Passw0rd!',
    })
    expect(failed.status).toBe(401)
    const result = await gatehouse('audit', 'list', '--user', typed)
    expect(result.code, result.stderr).toBe(0)
    const [header, row, ...rest] = result.stdout.trim().split('\n')
    expect(header).toMatch(/^time\s+event\s+actor\s+user\s+username/)
    expect(rest).toEqual([])
    expect(row).toContain('login.failed')
    expect(row).toContain(usernameKey(typed))
    expect(row).toContain('127.0.0.1')
  })

  it('refuses an unknown event name or a bad --since, naming what it takes', async () => {
    const event = await gatehouse('audit', 'list', '--event', 'login.maybe')
    expect(event.code).toBe(1)
    expect(event.stderr).toContain('login.failed')
    const since = await gatehouse('audit', 'list', '--since', 'yesterday')
    expect(since.code).toBe(1)
    expect(since.stderr).toContain('ISO 8601')
  })
})
