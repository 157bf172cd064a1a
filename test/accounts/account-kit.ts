/**
 * What the account-flow tests share: both servers with mail going to an in-process SMTP inbox,
 * and a user with a verified address (registered with it, link followed).
 */
import { randomUUID } from 'node:crypto'
import { decodeJwt } from 'jose'
import {
  bearer,
  login,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { type Inbox, linkToken, startInbox } from './smtp-kit.js'

export const METRICS_TOKEN = 'm'.repeat(40)

export interface AccountStack {
  readonly servers: TestServers
  readonly inbox: Inbox
  close(): Promise<void>
}

/** Both servers, `MAIL_URL` at a fresh inbox; `env` overrides any setting. */
export async function startAccountStack(env: Record<string, string> = {}): Promise<AccountStack> {
  const inbox = await startInbox()
  const servers = await startTestServers({
    MAIL_URL: inbox.url,
    MAIL_FROM: 'Gatehouse <no-reply@gatehouse.test>',
    ACCOUNT_LINK_URL: 'http://app.gatehouse.test',
    METRICS_TOKEN,
    ...env,
  })
  return {
    servers,
    inbox,
    async close() {
      await servers.close()
      await inbox.close()
    },
  }
}

/** A new account of a unique name and address, its address verified through the mailed link. */
export async function verifiedUser(stack: AccountStack, password = 'correct horse 1') {
  const username = `u${randomUUID().slice(0, 8)}`
  const email = `${username}@example.com`
  const registered = await sendJson(`${stack.servers.authUrl}/register`, {
    username,
    password,
    email,
  })
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}`)
  const token = linkToken(await stack.inbox.next(email), 'verify-email')
  const verified = await sendJson(`${stack.servers.authUrl}/email/verify`, { token })
  if (verified.status !== 200) throw new Error(`verify answered ${verified.status}`)
  return { id: registered.body.id as string, username, email, password }
}

/** The claims of a fresh login's access token. */
export async function loginClaims(authUrl: string, username: string, password: string) {
  const tokens = await login(authUrl, username, password)
  return { tokens, claims: decodeJwt(tokens.accessToken) }
}

export { bearer }
