/**
 * The revocation hub starts even when its store cannot be read (Redis down at start-up with
 * SESSION_STORE=redis), and once the store answers it follows the log from where it stands:
 * nothing published later is missed, nothing already in the log is replayed.
 */
import { describe, expect, it } from 'vitest'
import { GatehouseError } from '../../src/errors/index.js'
import { createLogger } from '../../src/logging/create-logger.js'
import { createRevocationHub } from '../../src/revocation/revocation-hub.js'
import type { Revocation, RevocationStore } from '../../src/store/types.js'

/** A log in memory that refuses every call while `down` is set. */
function flakyStore(existing: Revocation[]) {
  const log = [...existing]
  const state = { down: true }
  const guard = async <T>(work: () => T): Promise<T> => {
    if (state.down) throw new GatehouseError('ERR_STORE_UNAVAILABLE', { retryAfter: 5 })
    return work()
  }
  const store: RevocationStore = {
    add: (entries) =>
      guard(() => {
        const added = entries.map((entry, i) => ({ ...entry, id: log.length + i + 1 }))
        log.push(...added)
        return added
      }),
    listActive: (now, afterId, limit) =>
      guard(() => ({
        epoch: 'memory',
        entries: log.filter((entry) => entry.id > afterId && entry.expiresAt > now).slice(0, limit),
      })),
    head: () => guard(() => ({ epoch: 'memory', lastId: log.at(-1)?.id ?? 0 })),
    sweep: () => guard(() => 0),
  }
  return { store, state }
}

describe('the revocation hub with its store down at start-up', () => {
  it('starts, then hands listeners only what is published once the store is back', async () => {
    const far = Math.floor(Date.now() / 1000) + 3600
    const { store, state } = flakyStore([{ id: 1, kind: 'sid', value: 'before', expiresAt: far }])
    const hub = await createRevocationHub({
      store,
      pollIntervalMs: 60_000,
      logger: createLogger('hub-test', 'silent'),
    })
    try {
      const heard: string[] = []
      hub.subscribe((revocation) => heard.push(`${revocation.id}:${revocation.value}`))
      await expect(hub.publish([{ kind: 'sid', value: 'lost', expiresAt: far }])).rejects.toThrow(
        'A storage dependency is unavailable; try again shortly',
      )
      state.down = false
      await hub.publish([{ kind: 'sid', value: 'after', expiresAt: far }])
      expect(heard).toEqual(['2:after'])
    } finally {
      hub.stop()
    }
  })
})
