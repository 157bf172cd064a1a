/** The `AuditStore` part of the store contract (see `contract.ts`): SQL on every backend. */
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { NewAuditEvent } from '../../src/audit/sql-audit-store.js'
import type { ContractContext } from './contract.js'

const NOW = 1_800_000_000 // seconds

function event(overrides: Partial<NewAuditEvent> = {}): NewAuditEvent {
  return {
    at: NOW,
    event: 'login.succeeded',
    actor: 'user',
    userId: null,
    username: null,
    sessionId: null,
    ip: '192.0.2.1',
    userAgent: 'contract/1.0',
    requestId: randomUUID(),
    detail: null,
    ...overrides,
  }
}

export function registerAuditStoreContract(context: ContractContext): void {
  describe('AuditStore', () => {
    it('reads back a user’s events newest first, with every field and its detail', async () => {
      const { audit } = context.shared()
      const userId = randomUUID()
      const first = event({ userId, at: NOW, sessionId: randomUUID() })
      const second = event({ userId, at: NOW + 1, event: 'login.failed', username: 'jane' })
      // Same second: the later insert comes first.
      const third = event({
        userId,
        at: NOW + 1,
        event: 'scopes.granted',
        detail: { scopes: ['a:b'] },
      })
      for (const e of [first, second, third]) await audit.append(e)
      await audit.append(event({ userId: randomUUID() }))
      const listed = await audit.list({ userId, limit: 10 })
      expect(listed.map(({ id: _id, ...rest }) => rest)).toEqual([third, second, first])
      expect(await audit.list({ userId, limit: 2 })).toHaveLength(2)
    })

    it('filters by event, by time and by the name typed, also where no account has it', async () => {
      const { audit } = context.shared()
      const userId = randomUUID()
      const typed = `ghost-${randomUUID()}`
      await audit.append(event({ userId, at: NOW - 100, event: 'login.failed' }))
      await audit.append(event({ userId, at: NOW, event: 'login.failed' }))
      await audit.append(event({ userId, at: NOW, event: 'login.succeeded' }))
      await audit.append(event({ at: NOW, event: 'login.failed', username: typed }))
      const failedSince = await audit.list({ userId, event: 'login.failed', since: NOW, limit: 10 })
      expect(failedSince.map((e) => [e.event, e.at])).toEqual([['login.failed', NOW]])
      const byName = await audit.list({ username: typed, limit: 10 })
      expect(byName.map((e) => [e.userId, e.username])).toEqual([[null, typed]])
      const either = await audit.list({ userId, username: typed, event: 'login.failed', limit: 10 })
      expect(either).toHaveLength(3)
    })

    it('sweeps events older than the cut-off and keeps the others', async () => {
      const stores = await context.fresh()
      await stores.audit.append(event({ at: NOW - 10 }))
      await stores.audit.append(event({ at: NOW }))
      expect(await stores.audit.sweep(NOW)).toBe(1)
      expect((await stores.audit.list({ limit: 10 })).map((e) => e.at)).toEqual([NOW])
      await stores.close()
    })
  })
}
