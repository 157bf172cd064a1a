/**
 * A stream whose client stops reading is paused, not buffered: what is published meanwhile is
 * read again from the store once the client takes up what it was sent, so the client gets every
 * entry once, in order, and nothing in between was queued for it.
 *
 * @see issue 9, point 5 (c)
 */
import { randomUUID } from 'node:crypto'
import { readServerSentEvents } from '@gatehouse/verify'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nowSeconds } from '../../src/lib/time.js'
import { createStores } from '../../src/store/create-stores.js'
import {
  bearer,
  login,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { feedToken, METRICS_TOKEN, metric, pollUntil } from './revocation-kit.js'

/** More than a loopback socket's kernel buffers hold (see revocation-feed.limits.test.ts). */
const IN_FORCE = 60_000

describe('a feed stream whose client stops reading', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({ ACCESS_TOKEN_TTL: '5m', METRICS_TOKEN })
    const stores = await createStores(servers.config.databaseUrl)
    const now = nowSeconds()
    for (let done = 0; done < IN_FORCE; done += 1000) {
      const batch = Array.from({ length: 1000 }, () => ({
        kind: 'sid' as const,
        value: randomUUID(),
        expiresAt: now + 3600,
      }))
      await stores.revocations.add(batch, now)
    }
    await stores.close()
  }, 60_000)
  afterAll(() => servers.close())

  it('pauses, then resumes from its cursor with every entry once, including those made meanwhile', async () => {
    const abort = new AbortController()
    const response = await fetch(`${servers.authUrl}/revocations`, {
      headers: { accept: 'text/event-stream', ...bearer(feedToken(servers)) },
      signal: abort.signal,
    })
    try {
      expect(response.status).toBe(200)
      // Not reading the body: the server's writes stop being taken up, and the stream pauses.
      const paused = await pollUntil(
        () => metric(servers.authUrl, 'gatehouse_revocation_streams_paused'),
        (count) => count >= 1,
        20_000,
      )
      expect(paused).toBe(1)
      const tokens = await login(servers.authUrl)
      const res = await sendJson(
        `${servers.authUrl}/logout`,
        { refreshToken: tokens.refreshToken },
        'DELETE',
      )
      expect(res.status).toBe(204)
      const ended = String(decodeJwt(tokens.accessToken).sid)

      const ids: number[] = []
      let endedAt = -1
      let syncedAt = -1
      if (!response.body) throw new Error('no body')
      for await (const event of readServerSentEvents(response.body, () => {})) {
        if (event.event === 'synced') syncedAt = ids.length
        if (event.event === 'message') {
          const entry = JSON.parse(event.data) as { id: number; sid?: string }
          ids.push(entry.id)
          if (entry.sid === ended) endedAt = ids.length
        }
        if (endedAt !== -1 && syncedAt !== -1) break
      }
      // Every entry in force, then the one made while paused: once each, in order.
      expect(ids.length).toBe(IN_FORCE + 1)
      expect(ids.every((id, i) => i === 0 || id > (ids[i - 1] ?? 0))).toBe(true)
      expect(endedAt).toBe(IN_FORCE + 1)
    } finally {
      abort.abort()
    }
  }, 60_000)
})
