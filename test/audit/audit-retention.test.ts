/**
 * `AUDIT_RETENTION`: the sweep that removes expired sessions also removes audit events older
 * than the retention, and keeps the others. The clock is the audit log's `now` option. And a
 * database that cannot take the event does not make recording throw: the log line keeps it.
 */
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createAuditLog } from '../../src/audit/audit-log.js'
import { loadConfig } from '../../src/config/load-config.js'
import { createLogger } from '../../src/logging/create-logger.js'
import { sweepExpired } from '../../src/sessions/schedule-sweep.js'
import { createStores } from '../../src/store/create-stores.js'
import type { AuthStores } from '../../src/store/types.js'
import { makeTempDir } from '../helpers/test-servers.js'

const DAY = 86_400

describe('audit retention', () => {
  const cleanups: (() => Promise<void> | void)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  async function freshStores(): Promise<AuthStores> {
    const temp = makeTempDir('gatehouse-audit-retention-')
    const stores = await createStores(`sqlite:${path.join(temp.dir, 'auth.db')}`)
    cleanups.push(temp.remove, () => stores.close())
    return stores
  }

  it('defaults to 90 days and reads AUDIT_RETENTION as a duration', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).auditRetention).toBe(90 * DAY)
    expect(loadConfig({ NODE_ENV: 'test', AUDIT_RETENTION: '30d' }).auditRetention).toBe(30 * DAY)
    expect(() => loadConfig({ NODE_ENV: 'test', AUDIT_RETENTION: '0' })).toThrow(/AUDIT_RETENTION/)
  })

  it('sweeps events older than the retention with the sessions, and keeps the rest', async () => {
    const stores = await freshStores()
    let now = 1_800_000_000
    const audit = createAuditLog({
      store: stores.audit,
      logger: createLogger('retention-test', 'silent'),
      retention: 30 * DAY,
      now: () => now,
    })
    await audit.record({ event: 'key.rotated', actor: 'cli', detail: { kid: 'old' } })
    now += 20 * DAY
    await audit.record({ event: 'key.rotated', actor: 'cli', detail: { kid: 'newer' } })
    now += 10 * DAY + 1
    const deleted = await sweepExpired({
      sessions: stores.sessions,
      revocations: stores.revocations,
      audit,
      interval: 600,
      idleTtl: DAY,
      accessTokenReach: 900,
      logger: createLogger('retention-test', 'silent'),
    })
    expect(deleted.auditEvents).toBe(1)
    const left = await audit.list({ limit: 10 })
    expect(left.map((event) => event.detail?.kid)).toEqual(['newer'])
  })

  it('does not throw when the event cannot be stored, and logs it', async () => {
    const stores = await freshStores()
    const lines: Record<string, unknown>[] = []
    const audit = createAuditLog({
      store: stores.audit,
      logger: createLogger('retention-test', 'info', {
        write: (chunk: string) => {
          lines.push(JSON.parse(chunk))
        },
      }),
      retention: DAY,
    })
    await stores.close()
    await expect(audit.record({ event: 'key.rotated', actor: 'cli' })).resolves.toBeUndefined()
    expect(lines.map((line) => [line.level, line.event])).toEqual([
      [30, 'key.rotated'],
      [40, 'key.rotated'],
    ])
  })
})
