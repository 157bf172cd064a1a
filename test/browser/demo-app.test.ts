/**
 * The demo app in headless Chromium against the real servers, with 6-second access tokens: a
 * person signs in, sees their posts and keeps using the page for 30 s without being signed out,
 * while the page refreshes behind the scenes; no token is anywhere a script could read it.
 *
 * `UPDATE_SCREENSHOT=1` also writes `docs/demo-app.png` (the README shows it); normal runs never
 * write into the checkout.
 *
 * @see issue 12, point 9
 */
import path from 'node:path'
import type { Browser, BrowserContext, Response } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { REFRESH_COOKIE_NAME } from '../../src/auth-server/cookie/refresh-cookie.js'
import { ROOT } from '../helpers/start-script.js'
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

const available = isChromiumAvailable('test/browser/demo-app.test.ts')

/**
 * Everything a script of the page can read that might hold a token: both Web Storages, the
 * IndexedDB databases, `document.cookie`, and the page's HTML. (Runs in the page, so a string:
 * the tests are type-checked without the DOM library.)
 */
const READ_WHAT_SCRIPT_CAN = `(async () => {
  const entries = (store) => Array.from({ length: store.length }, (_, i) => store.key(i) + '=' + store.getItem(store.key(i)))
  return {
    localStorage: entries(localStorage),
    sessionStorage: entries(sessionStorage),
    indexedDB: (await indexedDB.databases()).map((db) => db.name),
    cookie: document.cookie,
    html: document.documentElement.outerHTML,
  }
})()`

/** Seconds an access token lives: the page refreshes several times a test. */
const TTL = 6

describe.skipIf(!available)('the demo app in Chromium', () => {
  let browser: Browser
  let stack: DemoStack
  let context: BrowserContext

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
    await context?.close()
  })

  async function newContext(): Promise<BrowserContext> {
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } })
    return context
  }

  it('signs Jane in through the page and shows her posts', async () => {
    const page = await openDemo(await newContext(), stack.pageUrl, 'signed-out')
    await signIn(page, 'Jane', 'abcd')
    await expect.poll(() => page.locator('#posts li strong').allTextContents()).toEqual(['Post 1'])
    expect(await page.locator('#user-name').textContent()).toBe('Jane')
    const sessions = page.locator('#sessions tbody tr')
    await sessions.first().waitFor()
    expect(await page.locator('#sessions tbody tr[aria-current="true"]').count()).toBe(1)
    expect(
      await page.locator('#sessions tbody tr[aria-current="true"] td').first().textContent(),
    ).toBe('Headless Chrome on Linux (this device)')

    if (process.env.UPDATE_SCREENSHOT === '1') {
      await page.locator('#post-title').fill('Hello from the demo app')
      await page.getByRole('button', { name: 'Publish' }).click()
      await page.locator('#posts li', { hasText: 'Hello from the demo app' }).waitFor()
      await page.screenshot({ path: path.join(ROOT, 'docs/demo-app.png'), fullPage: true })
    }
  })

  it('keeps the page signed in through 30 s of use with 6 s access tokens, refreshing at the server', {
    timeout: 90_000,
  }, async () => {
    const page = await openDemo(await newContext(), stack.pageUrl, 'signed-out')
    await signUp(page, uniqueName('writer'), 'correct horse battery staple')
    const apiAnswers: number[] = []
    page.on('response', (res: Response) => {
      if (new URL(res.url()).port === String(stack.servers.api.port)) apiAnswers.push(res.status())
    })
    const from = stack.calls.length
    const started = performance.now()
    let written = 0
    while (performance.now() - started < 30_000) {
      written += 1
      await page.getByLabel('Title').fill(`Note ${written}`)
      await page.getByRole('button', { name: 'Publish' }).click()
      await page.locator('#posts li strong', { hasText: `Note ${written}` }).waitFor()
      // Paced by the page's own refreshes: each step waits for the next one at the server.
      await stack.nextCall(isPageRefresh(stack))
    }
    expect(await page.locator('body').getAttribute('data-state')).toBe('signed-in')
    expect(await page.locator('#posts li strong').count()).toBe(written)
    const refreshes = stack.calls.slice(from).filter(isPageRefresh(stack))
    // 30 s of 6 s tokens: at least one refresh per lifetime, and every one answered.
    expect(refreshes.length).toBeGreaterThanOrEqual(30 / TTL)
    expect(refreshes.map((call) => call.status)).toEqual(refreshes.map(() => 200))
    expect(apiAnswers.filter((status) => status === 401)).toEqual([])
  })

  it('changes the password and stays signed in; signing out everywhere ends the other browser too', async () => {
    const username = uniqueName('changer')
    const page = await openDemo(await newContext(), stack.pageUrl, 'signed-out')
    await signUp(page, username, 'correct horse battery staple')
    const other = await openDemo(await browser.newContext(), stack.pageUrl, 'signed-out')
    try {
      await signIn(other, username, 'correct horse battery staple')

      const form = page.locator('#password-form')
      await form.getByLabel('Current password').fill('correct horse battery staple')
      await form.getByLabel('New password').fill('a new and better passphrase')
      await form.getByRole('button', { name: 'Change password' }).click()
      await expect
        .poll(() => statusText(page))
        .toBe('Password changed. Your other sessions have ended.')
      expect(await page.locator('body').getAttribute('data-state')).toBe('signed-in')
      expect(await reloadPosts(page)).toBe(200)
      // The password change ended the other browser's session: its next request signs it out.
      await other.getByRole('button', { name: 'Reload sessions' }).click()
      await waitForState(other, 'signed-out')

      await signIn(other, username, 'a new and better passphrase')
      await page.getByRole('button', { name: 'Sign out everywhere' }).click()
      await waitForState(page, 'signed-out')
      await other.getByRole('button', { name: 'Reload sessions' }).click()
      await waitForState(other, 'signed-out')
      expect(await statusText(other)).toBe('Your session was ended. Sign in again.')
    } finally {
      await other.context().close()
    }
  })

  it('leaves no token where script can read it, and keeps the refresh token in an HttpOnly cookie for /session only', async () => {
    const page = await openDemo(await newContext(), stack.pageUrl, 'signed-out')
    const login = page.waitForResponse((res) => new URL(res.url()).pathname === '/login')
    await signUp(page, uniqueName('reader'), 'correct horse battery staple')
    const body = (await (await login).json()) as Record<string, unknown>
    expect(Object.keys(body).sort()).toEqual(['accessToken', 'expiresIn', 'tokenType'])
    const accessToken = String(body.accessToken)

    const readable = (await page.evaluate(READ_WHAT_SCRIPT_CAN)) as Record<string, unknown>
    expect(readable).toMatchObject({
      localStorage: [],
      sessionStorage: [],
      indexedDB: [],
      cookie: '',
    })
    expect(String(readable.html)).not.toContain(accessToken)

    const cookies = await page.context().cookies()
    expect(
      cookies.map(({ name, domain, path, httpOnly, secure, sameSite }) => ({
        name,
        domain,
        path,
        httpOnly,
        secure,
        sameSite,
      })),
    ).toEqual([
      {
        name: REFRESH_COOKIE_NAME,
        domain: 'localhost',
        path: '/session',
        httpOnly: true,
        secure: true,
        sameSite: 'Strict',
      },
    ])
    // Chromium took the name's __Secure- prefix on http://localhost (a secure context).
    expect(REFRESH_COOKIE_NAME.startsWith('__Secure-')).toBe(true)

    // And the page still works from the cookie alone: a reload resumes the session.
    await page.reload()
    await waitForState(page, 'signed-in')
    expect(await reloadPosts(page)).toBe(200)
  })
})
