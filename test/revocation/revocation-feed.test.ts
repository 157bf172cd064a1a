import { randomUUID } from 'node:crypto'
import { readServerSentEvents, type ServerSentEvent } from '@gatehouse/verify'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULTS } from '../../src/config/defaults.js'
import { nowSeconds } from '../../src/lib/time.js'
import { createStores } from '../../src/store/create-stores.js'
import type { AuthStores } from '../../src/store/types.js'
import {
  bearer,
  login,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { feedToken } from './revocation-kit.js'

interface Entry {
  id: number
  sid?: string
  jti?: string
  exp: number
}

describe('GET /revocations', () => {
  let servers: TestServers
  let stores: AuthStores
  let feedUrl: string
  beforeAll(async () => {
    servers = await startTestServers({ ACCESS_TOKEN_TTL: '5m' })
    stores = await createStores(servers.config.databaseUrl)
    feedUrl = `${servers.authUrl}/revocations`
  })
  afterAll(async () => {
    await stores.close()
    await servers.close()
  })

  /** Logs in and out; returns the ended session's id. */
  async function endedSession(): Promise<string> {
    const tokens = await login(servers.authUrl)
    const res = await sendJson(
      `${servers.authUrl}/logout`,
      { refreshToken: tokens.refreshToken },
      'DELETE',
    )
    expect(res.status).toBe(204)
    return String(decodeJwt(tokens.accessToken).sid)
  }

  const asJson = (query = '') =>
    request<{ revocations: Entry[]; lastEventId: string }>(`${feedUrl}${query}`, {
      headers: { accept: 'application/json', ...bearer(feedToken(servers)) },
    })

  /** The entry id an event id `<epoch>.<id>` names. */
  const idOf = (eventId: string | undefined) => Number(String(eventId).split('.')[1])
  const epochOf = (eventId: string | undefined) => String(eventId).split('.')[0]

  /** Opens the event stream; `next()` yields its events in order. */
  async function openStream(headers: Record<string, string> = {}) {
    const abort = new AbortController()
    const response = await fetch(feedUrl, {
      headers: { accept: 'text/event-stream', ...bearer(feedToken(servers)), ...headers },
      signal: abort.signal,
    })
    if (!response.body) throw new Error('no body')
    const events = readServerSentEvents(response.body, () => {})
    return {
      response,
      async next(): Promise<ServerSentEvent> {
        const { value, done } = await events.next()
        if (done) throw new Error('the stream ended')
        return value
      },
      /** Events up to and including `event: synced`. */
      async untilSynced(): Promise<ServerSentEvent[]> {
        const seen: ServerSentEvent[] = []
        for (;;) {
          const event = await this.next()
          seen.push(event)
          if (event.event === 'synced') return seen
        }
      },
      close: () => abort.abort(),
    }
  }

  it('lists an ended session as {id, sid, exp} in JSON, with no-store', async () => {
    const before = nowSeconds()
    const sid = await endedSession()
    const res = await asJson()
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const entry = res.body.revocations.find((e) => e.sid === sid)
    expect(Object.keys(entry ?? {}).sort()).toEqual(['exp', 'id', 'sid'])
    // Until a verifier refuses the session's last access token anyway: its exp (issued TTL minus
    // the clock tolerance after login) plus that tolerance, so TTL after it was issued.
    expect(entry?.exp).toBeGreaterThanOrEqual(before + 300)
    expect(res.body.lastEventId).toMatch(/^[A-Za-z0-9_-]+\.\d+$/)
    expect(idOf(res.body.lastEventId)).toBe(res.body.revocations.at(-1)?.id)
  })

  it('lists a revoked token id as {id, jti, exp} and leaves out expired entries', async () => {
    const jti = randomUUID()
    const old = randomUUID()
    const now = nowSeconds()
    await stores.revocations.add(
      [
        { kind: 'jti', value: jti, expiresAt: now + 60 },
        // Past its cover and the linger verifiers with a larger tolerance get.
        { kind: 'sid', value: old, expiresAt: now - 1 - DEFAULTS.revocationFeedLinger },
      ],
      now,
    )
    const { revocations } = (await asJson()).body
    expect(revocations.find((e) => e.jti === jti)).toEqual({
      id: expect.any(Number),
      jti,
      exp: now + 60,
    })
    expect(revocations.some((e) => e.sid === old)).toBe(false)
  })

  it('pages with ?after=ID: only later entries, and the same lastEventId at the end', async () => {
    const first = await endedSession()
    const { lastEventId } = (await asJson()).body
    const second = await endedSession()
    const page = await asJson(`?after=${lastEventId}`)
    expect(page.body.revocations.map((e) => e.sid)).toEqual([second])
    expect(page.body.revocations.some((e) => e.sid === first)).toBe(false)
    const end = await asJson(`?after=${page.body.lastEventId}`)
    expect(end.body).toEqual({ revocations: [], lastEventId: page.body.lastEventId })
  })

  it('streams the current set, then event: synced, then new revocations live', async () => {
    const earlier = await endedSession()
    const { lastEventId } = (await asJson()).body
    const stream = await openStream()
    try {
      expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/)
      expect(stream.response.headers.get('cache-control')).toBe('no-store')
      const backlog = await stream.untilSynced()
      const synced = backlog.pop()
      expect(synced?.data).toBe(JSON.stringify({ lastEventId }))
      expect(synced?.id).toBe(lastEventId)
      expect(backlog.every((event) => event.event === 'message')).toBe(true)
      const entries = backlog.map((event) => ({ ...JSON.parse(event.data), eventId: event.id }))
      expect(entries.map((e) => e.id)).toEqual((await asJson()).body.revocations.map((e) => e.id))
      expect(entries.every((e) => e.eventId === `${epochOf(lastEventId)}.${e.id}`)).toBe(true)
      expect(entries.some((e) => e.sid === earlier)).toBe(true)

      const live = await endedSession()
      const next = await stream.next()
      expect(next.event).toBe('message')
      expect(JSON.parse(next.data)).toMatchObject({ sid: live })
      expect(idOf(next.id)).toBeGreaterThan(idOf(lastEventId))
    } finally {
      stream.close()
    }
  })

  it('resumes after Last-Event-ID with only the later revocations', async () => {
    await endedSession()
    const { lastEventId } = (await asJson()).body
    const later = await endedSession()
    const stream = await openStream({ 'last-event-id': lastEventId })
    try {
      const events = await stream.untilSynced()
      expect(events.map((event) => event.event)).toEqual(['message', 'synced'])
      expect(JSON.parse(events[0]?.data ?? '{}')).toMatchObject({ sid: later })
      expect(idOf(events[0]?.id)).toBeGreaterThan(idOf(lastEventId))
    } finally {
      stream.close()
    }
  })

  /** @see issue 9, point 3: ids of another log (or none that parse) must not skip entries. */
  it.each([
    ['of another epoch', 'another-log.906'],
    ['from before epochs', '906'],
    ['that does not parse', 'garbage'],
  ])('catches up in full from a Last-Event-ID %s, and from such an ?after=', async (_, stale) => {
    const sid = await endedSession()
    const all = (await asJson()).body
    const fromStale = await asJson(`?after=${stale}`)
    expect(fromStale.body).toEqual(all)
    expect(fromStale.body.revocations.some((e) => e.sid === sid)).toBe(true)
    const stream = await openStream({ 'last-event-id': stale })
    try {
      const events = await stream.untilSynced()
      const streamed = events.filter((event) => event.event === 'message')
      expect(streamed.map((event) => JSON.parse(event.data).id)).toEqual(
        all.revocations.map((e) => e.id),
      )
      expect(events.at(-1)?.id).toBe(all.lastEventId)
    } finally {
      stream.close()
    }
  })
})
