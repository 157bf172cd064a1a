/**
 * A rotation by `KEY_ROTATION_INTERVAL` has no request and no operator behind it: it is recorded
 * as `key.rotated` by the `system`, with the new key's id.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { type AuditServer, startAuditServer } from './audit-kit.js'

describe('a scheduled key rotation', () => {
  let server: AuditServer
  beforeAll(async () => {
    server = await startAuditServer({ KEY_ROTATION_INTERVAL: '1s' })
  })
  afterAll(() => server.close())

  it('is recorded as key.rotated by the system', async () => {
    const rotation = await vi.waitFor(
      async () => {
        const [event] = await server.stores.audit.list({ event: 'key.rotated', limit: 1 })
        if (!event) throw new Error('no rotation recorded yet')
        return event
      },
      { timeout: 30_000, interval: 100 },
    )
    const kids = (await server.stores.keys.list()).map((key) => key.kid)
    expect(rotation).toMatchObject({ actor: 'system', userId: null, ip: null, requestId: null })
    expect(kids).toContain(rotation.detail?.kid)
    const line = server.lines.find((l) => l.event === 'key.rotated')
    expect(line).toMatchObject({ actor: 'system', detail: { reason: 'KEY_ROTATION_INTERVAL' } })
  })
})
