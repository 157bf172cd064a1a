/**
 * Many tabs of one app, in headless Chromium against the real servers with 6-second access
 * tokens: five tabs share one refresh per rotation for a minute without any of them being signed
 * out or tripping reuse detection; a sign-out in one tab reaches every other tab within 1 s; a
 * session ended from another browser signs that browser out at its next request.
 *
 * @see issue 12, points 7 and 9
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { isChromiumAvailable, launchChromium } from './chromium-kit.js'
import {
  openDemo,
  reloadPosts,
  signIn,
  signUp,
  statusText,
  uniqueName,
  waitForState,
} from './demo-page.js'
import { type DemoStack, isPageRefresh, startDemoStack } from './demo-stack.js'

const available = isChromiumAvailable('test/browser/tabs.test.ts')

/** Seconds an access token lives. */
const TTL = 6
const PASSWORD = 'correct horse battery staple'

describe.skipIf(!available)('the demo app in many tabs', () => {
  let browser: Browser
  let stack: DemoStack
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    ;[browser, stack] = await Promise.all([
      launchChromium(),
      startDemoStack({ ACCESS_TOKEN_TTL: `${TTL}s` }),
    ])
  })
  afterAll(async () => {
    await browser?.close()
    await stack?.close()
  })
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close()
  })

  async function newContext(): Promise<BrowserContext> {
    const context = await browser.newContext()
    contexts.push(context)
    return context
  }

  /** One tab signed up as a new user, then `count - 1` more tabs opened on the page. */
  async function tabs(count: number): Promise<Page[]> {
    const context = await newContext()
    const first = await openDemo(context, stack.pageUrl, 'signed-out')
    await signUp(first, uniqueName('tabs'), PASSWORD)
    const others = await Promise.all(
      Array.from({ length: count - 1 }, () => openDemo(context, stack.pageUrl, 'signed-in')),
    )
    return [first, ...others]
  }

  it('keeps five tabs signed in for 60 s with one refresh per rotation across them all, and no reuse', {
    timeout: 120_000,
  }, async () => {
    const pages = await tabs(5)
    const from = stack.calls.length
    const signedOut: number[] = []
    pages.forEach((page, index) => {
      void page
        .locator('body[data-state="signed-out"]')
        .waitFor({ state: 'attached', timeout: 0 })
        .then(() => signedOut.push(index))
        .catch(() => {}) // the context closed at the end of the test
    })
    const started = performance.now()
    while (performance.now() - started < 60_000) {
      // Every tab uses the API once per rotation, right after the one refresh of that rotation.
      await stack.nextCall(isPageRefresh(stack))
      const statuses = await Promise.all(pages.map(reloadPosts))
      expect(statuses).toEqual(pages.map(() => 200))
    }
    const refreshes = stack.calls.slice(from).filter(isPageRefresh(stack))
    expect(signedOut).toEqual([])
    expect(refreshes.map((call) => call.status)).toEqual(refreshes.map(() => 200))
    // One refresh per rotation: no refresh token (cookie) was ever presented twice, which any
    // two tabs refreshing the same rotation would have done (and the grace window hidden).
    const presented = refreshes.map((call) => call.cookie)
    expect(new Set(presented).size).toBe(presented.length)
    // The tokens really rotated all along: at least one refresh per lifetime.
    expect(refreshes.length).toBeGreaterThanOrEqual(60 / TTL)
    // Reuse detection would have ended the session: every tab still reaches the API.
    expect(await Promise.all(pages.map(reloadPosts))).toEqual(pages.map(() => 200))
  })

  it('shows every other tab signed out within 1 s of a sign-out in one tab', async () => {
    const [first, ...others] = await tabs(4)
    const signedOut = others.map((page) => waitForState(page, 'signed-out', 60_000))
    await first?.getByRole('button', { name: 'Sign out', exact: true }).click()
    await waitForState(first as Page, 'signed-out')
    // The behaviour's bound (issue 12, point 7): within 1 s of the first tab's sign-out.
    await Promise.all(others.map((page) => waitForState(page, 'signed-out', 1000)))
    await Promise.all(signedOut)
    for (const page of others) expect(await statusText(page)).toBe('You are signed out.')
  })

  it('signs a browser out at its next request once another browser ended its session', async () => {
    const username = uniqueName('ended')
    const victim = await openDemo(await newContext(), stack.pageUrl, 'signed-out')
    await signUp(victim, username, PASSWORD)
    const other = await openDemo(await newContext(), stack.pageUrl, 'signed-out')
    await signIn(other, username, PASSWORD)

    const rows = other.locator('#sessions tbody tr')
    await expect.poll(() => rows.count()).toBe(2)
    const ended = other.waitForResponse(
      (res) => res.request().method() === 'DELETE' && /\/sessions\//.test(res.url()),
    )
    await other.locator('#sessions tbody tr:not([aria-current])').getByRole('button').click()
    expect((await ended).status()).toBe(204)
    await expect.poll(() => rows.count()).toBe(1)

    // Its next request (listing its sessions at the auth server) is refused: signed out.
    expect(await victim.locator('body').getAttribute('data-state')).toBe('signed-in')
    await victim.getByRole('button', { name: 'Reload sessions' }).click()
    await waitForState(victim, 'signed-out')
    expect(await statusText(victim)).toBe('Your session was ended. Sign in again.')
    expect(await other.locator('body').getAttribute('data-state')).toBe('signed-in')
  })
})
