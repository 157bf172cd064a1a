/**
 * An auth server whose log is kept in memory, and the audit log's own stores opened on the same
 * database beside it, so that a test can do something over HTTP and then read what was recorded.
 */
import { randomUUID } from 'node:crypto'
import { decodeJwt } from 'jose'
import type { AuditEvent } from '../../src/audit/events.js'
import { type BuiltServer, buildAuthServer } from '../../src/auth-server/build-auth-server.js'
import type { Config } from '../../src/config/load-config.js'
import { createLogger } from '../../src/logging/create-logger.js'
import { type RunningServer, startServer } from '../../src/main/start-server.js'
import { createStores } from '../../src/store/create-stores.js'
import type { AuthStores } from '../../src/store/types.js'
import { makeTempDir, sendJson, testConfig } from '../helpers/test-servers.js'

export const PASSWORD = 'Audit-Passw0rd-Secret!'

export interface AuditServer {
  readonly authUrl: string
  readonly config: Config
  readonly dataDir: string
  /** Every log line the server wrote, parsed. */
  readonly lines: Record<string, unknown>[]
  /** The same database, opened apart from the server. */
  readonly stores: AuthStores
  /** Every event of `userId`, newest first. */
  eventsOf(userId: string): Promise<AuditEvent[]>
  close(): Promise<void>
}

/**
 * @example
 * const server = await startAuditServer({ REFRESH_REUSE_GRACE: '0s' })
 */
export async function startAuditServer(env: Record<string, string> = {}): Promise<AuditServer> {
  const temp = makeTempDir('gatehouse-audit-')
  const lines: Record<string, unknown>[] = []
  const logger = createLogger('audit-test', 'info', {
    write: (chunk: string) => {
      lines.push(JSON.parse(chunk))
    },
  })
  const config = testConfig(temp.dir, env)
  const built: BuiltServer = await buildAuthServer(config, logger)
  const running: RunningServer = await startServer(built, 0, '127.0.0.1')
  const stores = await createStores(config.databaseUrl)
  return {
    authUrl: `http://127.0.0.1:${running.port}`,
    config,
    dataDir: temp.dir,
    lines,
    stores,
    eventsOf: (userId) => stores.audit.list({ userId, limit: 1000 }),
    async close() {
      await stores.close()
      await running.close()
      temp.remove()
    },
  }
}

/** Registers a user with a name no other test uses; returns its id and name. */
export async function registerUser(
  authUrl: string,
  prefix = 'audit',
): Promise<{ id: string; username: string }> {
  const username = `${prefix}-${randomUUID().slice(0, 8)}`
  const res = await sendJson(`${authUrl}/register`, { username, password: PASSWORD })
  if (res.status !== 201) throw new Error(`register answered ${res.status}`)
  return res.body
}

/** The `sid` claim of an access token (read, not verified: the server issued it). */
export function sidOf(accessToken: string): string {
  return String(decodeJwt(accessToken).sid)
}
