/**
 * Several tabs of one app, played by several clients in one process that share a channel name:
 * Node 20 has `BroadcastChannel` (the tabs' messages really travel through it) but no Web Locks,
 * so the tabs share an in-process lock with the Web Locks semantics (`createProcessLocks`).
 * The refresh token is shared the way the bearer transport shares it; the cookie transport's
 * tabs share a cookie jar instead (the browser tests cover it).
 *
 * @see issue 12, point 7
 */
import type { GatehouseClient } from '@gatehouse/client'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createClientWith } from '../../packages/client/src/create-client.js'
import type { LockSource } from '../../packages/client/src/refresh-lock.js'
import { startTestServers, type TestServers } from '../helpers/test-servers.js'
import { METRICS_TOKEN, metric } from '../revocation/revocation-kit.js'
import {
  createProcessLocks,
  createWedgedLock,
  type Exchange,
  eventCount,
  nextEvent,
  recordingFetch,
  toPath,
  uniqueChannel,
} from './client-kit.js'

// seconds: ACCESS_TOKEN_TTL. `iat` is whole seconds, so a token may be accepted up to 1 s less
// than `expiresIn` says: 6 s leaves a refresh at two thirds a second to spare.
const LIFETIME = 6

let servers: TestServers
beforeAll(async () => {
  servers = await startTestServers({
    ACCESS_TOKEN_TTL: `${LIFETIME}s`,
    CLOCK_TOLERANCE: '1s',
    METRICS_TOKEN,
  })
})
afterAll(() => servers.close())

let open: GatehouseClient[] = []
afterEach(() => {
  for (const client of open) client.dispose()
  open = []
})

/** `count` tabs of one app: one channel, one lock, one recording of what they all sent. */
function openTabs(count: number, locks: LockSource = createProcessLocks(), lockTimeout = 3000) {
  const recorder = recordingFetch()
  const channelName = uniqueChannel()
  const openTab = () => {
    const tab = createClientWith(
      {
        authUrl: servers.authUrl,
        transport: 'bearer',
        fetch: recorder.fetch,
        channelName,
        lockTimeout,
      },
      locks,
    )
    open.push(tab)
    return tab
  }
  const tabs = Array.from({ length: count }, openTab)
  return { tabs, exchanges: recorder.exchanges, openTab }
}

const refreshes = (exchanges: Exchange[]) => toPath(exchanges, '/accessToken')

describe('five tabs of one app', () => {
  it('share one sign-in: the other tabs adopt its token when they resume, with no refresh', async () => {
    const { tabs, exchanges } = openTabs(5)
    const [first, ...others] = tabs as [GatehouseClient, ...GatehouseClient[]]
    const before = await metric(servers.authUrl, 'gatehouse_refreshes_total{outcome="rotated"}')
    const user = await first.login({ username: 'Jane', password: 'abcd' })
    const adopted = others.map((tab) => nextEvent(tab, 'signedIn'))
    // Signed in by the broadcast already, or by the answer to their ask.
    const resumed = await Promise.all(others.map((tab) => tab.resume()))
    expect(resumed).toEqual(others.map(() => user))
    expect(await Promise.all(adopted)).toEqual(others.map(() => ({ user })))
    for (const tab of others) expect((await tab.fetch(`${servers.apiUrl}/posts`)).status).toBe(200)
    expect(refreshes(exchanges)).toEqual([])
    expect(await metric(servers.authUrl, 'gatehouse_refreshes_total{outcome="rotated"}')).toBe(
      before,
    )
  })

  it('answer a tab opened later: it resumes from their token, without a refresh', async () => {
    const { tabs, exchanges, openTab } = openTabs(1)
    await tabs[0]?.login({ username: 'Jane', password: 'abcd' })
    // Opened after the sign-in was broadcast: it can only learn of it by asking.
    const late = openTab()
    expect(late.user).toBeNull()
    const signedIn = nextEvent(late, 'signedIn')
    expect(await late.resume()).toEqual(tabs[0]?.user)
    expect((await signedIn).user.name).toBe('Jane')
    expect(refreshes(exchanges)).toEqual([])
    // Another app (another channel) hears nothing, and has no refresh token of its own.
    const [stranger] = openTabs(1).tabs
    expect(await stranger?.resume()).toBeNull()
  })

  it('sign out together: logout in one tab emits signedOut "logout" in every tab', async () => {
    const { tabs } = openTabs(5)
    const [first, ...others] = tabs as [GatehouseClient, ...GatehouseClient[]]
    await first.login({ username: 'Jane', password: 'abcd' })
    await Promise.all(others.map((tab) => tab.resume()))
    const signedOut = tabs.map((tab) => nextEvent(tab, 'signedOut'))
    await others[2]?.logout()
    expect(await Promise.all(signedOut)).toEqual(tabs.map(() => ({ reason: 'logout' })))
    expect(tabs.map((tab) => tab.user)).toEqual(tabs.map(() => null))
    expect((await first.fetch(`${servers.apiUrl}/posts`)).status).toBe(401)
  })

  it('make at most one refresh per rotation period between them, each with the newest refresh token', async () => {
    const locks = createProcessLocks()
    const { tabs, exchanges } = openTabs(5, locks)
    const [first, ...others] = tabs as [GatehouseClient, ...GatehouseClient[]]
    await first.login({ username: 'Jane', password: 'abcd' })
    await Promise.all(others.map((tab) => tab.resume()))
    const signedOut: string[] = []
    for (const tab of tabs) tab.on('signedOut', ({ reason }) => signedOut.push(reason))
    const before = await metric(servers.authUrl, 'gatehouse_refreshes_total{outcome="rotated"}')
    const periods = 2
    const seen = await Promise.all(tabs.map((tab) => eventCount(tab, 'refreshed', periods)))
    // Every tab went through the same tokens, and no tab was signed out.
    const expiries = seen.map((events) => events.map((event) => event.expiresAt))
    for (const tab of expiries) expect(tab).toEqual(expiries[0])
    expect(signedOut).toEqual([])
    const sent = refreshes(exchanges)
    expect(sent.map((exchange) => exchange.status)).toEqual(Array(periods).fill(200))
    // Each refresh presented the refresh token the one before it got: never one twice.
    const presented = sent.map((exchange) => exchange.headers.get('authorization'))
    const issued = [toPath(exchanges, '/login')[0], ...sent].map(
      (exchange) => `Bearer ${exchange?.body.refreshToken}`,
    )
    expect(presented).toEqual(issued.slice(0, periods))
    // A token is refreshed only once it has lived half its lifetime (ahead of expiry, at 2/3):
    // a second tab refreshing right after the first would break this lower bound.
    const issuedAt = [toPath(exchanges, '/login')[0], ...sent].map((exchange) => exchange?.sentAt)
    sent.forEach((exchange, index) => {
      expect(exchange.sentAt - (issuedAt[index] as number)).toBeGreaterThan((LIFETIME * 1000) / 2)
    })
    expect(await metric(servers.authUrl, 'gatehouse_refreshes_total{outcome="rotated"}')).toBe(
      before + periods,
    )
    // The other tabs did ask for the lock, and found the refresh done.
    expect(locks.contended).toBeGreaterThan(0)
  })

  it('are not wedged by a tab frozen while holding the lock: after lockTimeout a tab refreshes alone', async () => {
    const wedged = createWedgedLock()
    const { tabs, exchanges } = openTabs(1, wedged, 100)
    const [tab] = tabs as [GatehouseClient]
    await tab.login({ username: 'Jane', password: 'abcd' })
    const refreshed = await nextEvent(tab, 'refreshed')
    expect(refreshed.user.name).toBe('Jane')
    expect(wedged.aborted).toBe(1)
    expect(refreshes(exchanges).map((exchange) => exchange.status)).toEqual([200])
  })
})
