/**
 * Cross-site request forgery against the cookie routes, in headless Chromium: a signed-in
 * victim opens an attacker's page, once on another site (`127.0.0.1`, against the auth server on
 * `localhost`) and once on the same site but another origin (another `localhost` port, not in
 * `CORS_ORIGINS`). Each page tries a form POST and credentialed `fetch`es at `/session/refresh`
 * and `/session/logout`. Every request that reaches the server is refused with 403, and the
 * victim's session is untouched: the same refresh cookie, which still refreshes.
 *
 * Access tokens live the default 15 minutes, so the page itself never refreshes meanwhile.
 *
 * @see issue 12, points 3 and 9
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { REFRESH_COOKIE_NAME } from '../../src/auth-server/cookie/refresh-cookie.js'
import {
  isChromiumAvailable,
  launchChromium,
  type OtherSite,
  startOtherSite,
} from './chromium-kit.js'
import { openDemo, reloadPosts, signUp, uniqueName, waitForState } from './demo-page.js'
import { cookieDigest, type DemoStack, isPageRefresh, startDemoStack } from './demo-stack.js'

const available = isChromiumAvailable('test/browser/csrf.test.ts')

const ROUTES = ['/session/refresh', '/session/logout'] as const

/** A page that POSTs a form at `target` as soon as it loads (what a forged link does). */
function formPage(target: string): string {
  return `<!doctype html><form method="post" action="${target}"><input name="x" value="1"></form>
<script>document.forms[0].submit()</script>`
}

/**
 * A page that `fetch`es every target with the victim's cookies, plainly (no preflight) and with
 * the transport header (preflighted), and exposes what it got as `window.results`.
 */
function fetchPage(targets: readonly string[]): string {
  return `<!doctype html><script>
window.results = Promise.all(${JSON.stringify(targets)}.flatMap((url) => [
  { method: 'POST', credentials: 'include' },
  { method: 'POST', credentials: 'include', headers: { 'Gatehouse-Transport': 'cookie' } },
].map((init) => fetch(url, init).then((res) => url + ' ' + res.status, () => url + ' blocked'))))
</script>`
}

describe.skipIf(!available)('forged requests from other pages', () => {
  let browser: Browser
  let stack: DemoStack
  let site: OtherSite
  let context: BrowserContext

  beforeAll(async () => {
    ;[browser, stack] = await Promise.all([launchChromium(), startDemoStack()])
    const auth = `http://localhost:${stack.servers.auth.port}`
    site = await startOtherSite({
      '/form-refresh': formPage(`${auth}/session/refresh`),
      '/form-logout': formPage(`${auth}/session/logout`),
      '/fetch': fetchPage(ROUTES.map((route) => `${auth}${route}`)),
    })
  })
  afterAll(async () => {
    await browser?.close()
    await site?.close()
    await stack?.close()
  })
  afterEach(async () => {
    await context?.close()
  })

  /** The victim's refresh cookie, as a digest comparable with what the server saw. */
  async function refreshCookie(): Promise<string | undefined> {
    const cookie = (await context.cookies()).find((each) => each.name === REFRESH_COOKIE_NAME)
    return cookie && cookieDigest(`${cookie.name}=${cookie.value}`)
  }

  /** Opens `path` of the attacker's site as `host` in a new tab of the victim's browser. */
  async function attack(host: 'localhost' | '127.0.0.1', path: string): Promise<Page> {
    const page = await context.newPage()
    await page.goto(site.url(host, path))
    return page
  }

  it.each([
    ['another site', '127.0.0.1'],
    ['the same site but another origin', 'localhost'],
  ] as const)(
    'refuses form posts and fetches from %s, and the session stays as it was',
    async (_, host) => {
      context = await browser.newContext()
      const victim = await openDemo(context, stack.pageUrl, 'signed-out')
      await signUp(victim, uniqueName('victim'), 'correct horse battery staple')
      const before = await refreshCookie()
      expect(before).toBeDefined()
      const attackerOrigin = `http://${host}:${site.port}`
      const from = stack.calls.length

      for (const route of ROUTES) {
        const answered = context.waitForEvent(
          'response',
          (res) => new URL(res.url()).pathname === route && res.request().method() === 'POST',
        )
        const page = await attack(host, `/form-${route.split('/')[2]}`)
        const res = await answered
        expect(res.status()).toBe(403)
        expect(await res.json()).toMatchObject({ code: 'ERR_CSRF_REJECTED' })
        await page.close()
      }
      const fetcher = await attack(host, '/fetch')
      const results = (await fetcher.evaluate('window.results')) as string[]
      expect(results.sort()).toEqual(
        ROUTES.flatMap((route) => [
          `http://localhost:${stack.servers.auth.port}${route} blocked`,
          `http://localhost:${stack.servers.auth.port}${route} blocked`,
        ]).sort(),
      )
      await fetcher.close()

      // What reached the server: every forged POST refused, none answered 2xx, and none from
      // anywhere but the attacker's page.
      const forged = stack.calls.slice(from).filter((call) => call.method === 'POST')
      expect(forged.length).toBeGreaterThanOrEqual(2 * ROUTES.length)
      expect(forged.map(({ status, origin }) => ({ status, origin }))).toEqual(
        forged.map(() => ({ status: 403, origin: attackerOrigin })),
      )
      if (host === '127.0.0.1') {
        // SameSite=Strict: the browser did not even send the cookie to another site's requests.
        expect(forged.map((call) => call.cookie)).toEqual(forged.map(() => undefined))
      }

      // Untouched: the same cookie, still live. A reload of the real page refreshes with it.
      expect(await refreshCookie()).toBe(before)
      expect(await victim.locator('body').getAttribute('data-state')).toBe('signed-in')
      const refreshed = stack.nextCall(isPageRefresh(stack))
      await victim.reload()
      const refresh = await refreshed
      expect(refresh).toMatchObject({ status: 200, cookie: before })
      await waitForState(victim, 'signed-in')
      expect(await reloadPosts(victim)).toBe(200)
    },
  )
})
