/**
 * Outgoing mail: to a real SMTP server, to the outbox folder without one, and to servers that
 * are down or hang, which must neither fail nor hold up the request that wanted to send.
 * @see issue 15, point 1
 */

import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLogger } from '../../src/logging/create-logger.js'
import { sample, scrape } from '../helpers/metrics-kit.js'
import {
  bearer,
  bindTestPort,
  closedPort,
  makeTempDir,
  sendJson,
  startAuthServerOn,
  startTestServers,
  type TestServers,
  testConfig,
} from '../helpers/test-servers.js'
import { METRICS_TOKEN, startAccountStack } from './account-kit.js'
import { linkToken, startSilentServer } from './smtp-kit.js'

const PASSWORD = 'correct horse 1'
const FAILED = 'gatehouse_mail_sent_total{outcome="failed"}'

function register(authUrl: string) {
  const username = `m${randomUUID().slice(0, 8)}`
  const email = `${username}@example.com`
  return sendJson(`${authUrl}/register`, { username, password: PASSWORD, email }).then((res) => ({
    res,
    email,
  }))
}

const failures = async (servers: TestServers) =>
  sample(await scrape(`${servers.authUrl}/metrics`, bearer(METRICS_TOKEN)), FAILED)

describe('mail', () => {
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  it('sends through SMTP from MAIL_FROM, with the link in text and HTML', async () => {
    const stack = await startAccountStack()
    cleanups.push(() => stack.close())
    const { res, email } = await register(stack.servers.authUrl)
    expect(res.status).toBe(201)
    const mail = await stack.inbox.next(email)
    expect(mail.raw).toMatch(/^From: Gatehouse <no-reply@gatehouse\.test>/m)
    const token = linkToken(mail, 'verify-email')
    expect(mail.html).toContain(`#verify-email=${token}`)
  })

  it('writes each message as an .eml file under DATA_DIR/outbox without MAIL_URL, readable by its owner only', async () => {
    const servers = await startTestServers()
    cleanups.push(() => servers.close())
    const { email } = await register(servers.authUrl)
    const outbox = path.join(servers.dataDir, 'outbox')
    const files = await vi.waitFor(
      () => {
        const found = fs.existsSync(outbox) ? fs.readdirSync(outbox) : []
        if (found.length === 0) throw new Error('no message yet')
        return found
      },
      { timeout: 5000 },
    )
    expect(files).toHaveLength(1)
    expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d-]+Z-[0-9a-f]{12}\.eml$/)
    const file = path.join(outbox, files[0] ?? '')
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    const text = fs.readFileSync(file, 'utf8')
    expect(text).toContain(`To: ${email}`)
    expect(text).toContain('Subject: Confirm your email address')
  })

  it('answers at once when the SMTP server refuses connections, and counts the message as failed', async () => {
    const servers = await startTestServers({
      MAIL_URL: `smtp://127.0.0.1:${await closedPort()}`,
      MAIL_FROM: 'no-reply@gatehouse.test',
      MAIL_RETRIES: '1',
      METRICS_TOKEN,
    })
    cleanups.push(() => servers.close())
    const { res } = await register(servers.authUrl)
    expect(res.status).toBe(201)
    const forgot = await sendJson(`${servers.authUrl}/password/forgot`, { username: 'someone' })
    expect(forgot.status).toBe(202)
    // One failure, after its retry: counted once.
    await vi.waitFor(async () => expect(await failures(servers)).toBe(1), { timeout: 10_000 })
  })

  it('answers while the SMTP server hangs, and gives up on it after MAIL_TIMEOUT', async () => {
    const silent = await startSilentServer()
    cleanups.push(() => silent.close())
    const servers = await startTestServers({
      MAIL_URL: silent.url,
      MAIL_FROM: 'no-reply@gatehouse.test',
      MAIL_TIMEOUT: '1s',
      MAIL_RETRIES: '0',
      METRICS_TOKEN,
    })
    cleanups.push(() => servers.close())
    const connected = silent.connected()
    const { res } = await register(servers.authUrl)
    expect(res.status).toBe(201)
    await connected
    // Answered while the message is still stuck on the silent server.
    expect(await failures(servers)).toBe(0)
    await vi.waitFor(async () => expect(await failures(servers)).toBe(1), { timeout: 10_000 })
  })

  it('says at start-up where mail goes, without the SMTP password', async () => {
    for (const [env, expected] of [
      [
        {},
        /^mail is not sent \(MAIL_URL unset\): messages are written as \.eml files to .*outbox$/,
      ],
      [
        { MAIL_URL: 'smtp://relay:s3cret-pass@127.0.0.1:2525', MAIL_FROM: 'a@b.c' },
        /^mail goes to smtp:\/\/relay:\[redacted\]@127\.0\.0\.1:2525$/,
      ],
    ] as const) {
      const temp = makeTempDir()
      const lines: Array<{ msg: string }> = []
      const logger = createLogger('mail-test', 'info', {
        write: (chunk: string) => {
          lines.push(JSON.parse(chunk))
        },
      })
      const running = await startAuthServerOn(
        await bindTestPort(),
        testConfig(temp.dir, env),
        logger,
      )
      await running.close()
      temp.remove()
      expect(lines.map((line) => line.msg)).toContainEqual(expect.stringMatching(expected))
      expect(JSON.stringify(lines)).not.toContain('s3cret-pass')
    }
  })

  it('refuses MAIL_URL without MAIL_FROM at start-up, naming the variable', async () => {
    await expect(startTestServers({ MAIL_URL: 'smtp://127.0.0.1:25' })).rejects.toThrow(
      /^Invalid configuration: MAIL_FROM must be set with MAIL_URL/,
    )
  })
})
