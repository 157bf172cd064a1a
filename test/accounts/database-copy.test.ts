/**
 * A copy of the auth database holds no usable verification or reset token: the SQLite files are
 * read byte by byte for every token the mails carried. @see issue 15, point 7
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sendJson } from '../helpers/test-servers.js'
import { type AccountStack, startAccountStack } from './account-kit.js'
import { linkToken } from './smtp-kit.js'

describe('a copy of the database', () => {
  let stack: AccountStack
  beforeAll(async () => {
    stack = await startAccountStack()
  })
  afterAll(() => stack.close())

  it('contains none of the tokens that were mailed, used or not', async () => {
    const { authUrl } = stack.servers
    const email = 'copy@example.com'
    await sendJson(`${authUrl}/register`, { username: 'copy', password: 'correct horse 1', email })
    const verify = linkToken(await stack.inbox.next(email), 'verify-email')
    expect((await sendJson(`${authUrl}/email/verify`, { token: verify })).status).toBe(200)
    await sendJson(`${authUrl}/password/forgot`, { email })
    const used = linkToken(await stack.inbox.next(email), 'reset-password')
    await sendJson(`${authUrl}/password/forgot`, { username: 'copy' })
    const unused = linkToken(await stack.inbox.next(email), 'reset-password')
    expect(
      (await sendJson(`${authUrl}/password/reset`, { token: used, newPassword: 'another horse 2' }))
        .status,
    ).toBe(204)

    const files = fs
      .readdirSync(stack.servers.dataDir)
      .filter((name) => name.startsWith('auth.db'))
      .map((name) => fs.readFileSync(path.join(stack.servers.dataDir, name)))
    expect(files.length).toBeGreaterThan(0)
    for (const token of [verify, used, unused]) {
      for (const bytes of files) {
        expect(bytes.includes(token)).toBe(false)
        expect(bytes.includes(Buffer.from(token, 'base64url'))).toBe(false)
      }
    }
  })
})
