/**
 * Passkeys in headless Chromium, with the DevTools Protocol's virtual authenticator (CTAP2, an
 * internal platform authenticator with resident keys and user verification, which always
 * verifies): a user adds a passkey on the demo app, signs out, and signs back in with it without
 * typing a username; the server saw a sign-in with `method: passkey`.
 *
 * The credential from another relying party is a real one, made by the same browser: Chromium
 * resolves `*.localhost` to the loopback, so a page on `http://other.localhost:<port>` is a
 * secure context of another site with its own RP ID, `other.localhost`. The authenticator makes a
 * passkey for that RP there, answering this server's own registration challenge for the signed-in
 * user; presented to this server (RP ID `localhost`), it is refused, and a sign-in with it too.
 * A page on that other origin asking this server's RP ID is refused by the browser itself.
 *
 * @see issue 15, point 5
 */
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { request } from '../helpers/test-servers.js'
import {
  isChromiumAvailable,
  launchChromium,
  type OtherSite,
  startOtherSite,
} from './chromium-kit.js'
import { openDemo, signUp, statusText, uniqueName, waitForState } from './demo-page.js'
import { type DemoStack, startDemoStack } from './demo-stack.js'

const available = isChromiumAvailable('test/browser/passkeys.test.ts')

/**
 * The other relying party's page: runs one WebAuthn ceremony on options given as JSON and
 * answers the credential's JSON (the same shape `@simplewebauthn/browser` sends).
 */
const OTHER_RP_PAGE = `<!doctype html><title>another site</title><script>
  window.ceremony = async (kind, optionsJSON) => {
    const credential = kind === 'create'
      ? await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(optionsJSON) })
      : await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(optionsJSON) })
    return credential.toJSON()
  }
</script>`

/** A CTAP2 platform authenticator with resident keys that verifies its user, on `page`'s tab. */
async function addVirtualAuthenticator(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('WebAuthn.enable')
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  })
  return cdp
}

describe.skipIf(!available)('passkeys in Chromium', () => {
  let browser: Browser
  let stack: DemoStack
  let other: OtherSite
  let context: BrowserContext | undefined

  beforeAll(async () => {
    ;[browser, stack, other] = await Promise.all([
      launchChromium(),
      startDemoStack(),
      startOtherSite({ '/': OTHER_RP_PAGE }),
    ])
  })
  afterAll(async () => {
    await browser?.close()
    await stack?.close()
    await other?.close()
  })
  afterEach(async () => {
    await context?.close()
  })

  async function newPage(): Promise<Page> {
    context = await browser.newContext()
    return openDemo(context, stack.pageUrl, 'signed-out')
  }

  /** The caller's audit events named `event`, newest first, through the user's own route. */
  async function activity(accessToken: string, event: string) {
    const res = await request(`${stack.servers.authUrl}/account/activity`, {
      headers: { authorization: `Bearer ${accessToken}` },
    })
    expect(res.status).toBe(200)
    const events = res.body.events as { event: string; detail: Record<string, unknown> | null }[]
    return events.filter((entry) => entry.event === event)
  }

  it('adds a passkey, signs out, and signs back in with it and no username', async () => {
    const page = await newPage()
    await addVirtualAuthenticator(page)
    const username = uniqueName('passkey')
    await signUp(page, username, 'correct horse battery staple')

    await page.getByLabel('Name (optional)').fill('Virtual key')
    await page.getByRole('button', { name: 'Add a passkey' }).click()
    await expect.poll(() => statusText(page), { timeout: 10_000 }).toBe('Passkey Virtual key added')
    await expect
      .poll(() => page.locator('#passkeys li strong').allTextContents())
      .toEqual(['Virtual key'])

    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await waitForState(page, 'signed-out')
    const signedIn = page.waitForResponse(
      (res) =>
        new URL(res.url()).pathname === '/login/passkey' && res.request().method() === 'POST',
    )
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
    expect((await signedIn).status()).toBe(200)
    await waitForState(page, 'signed-in')
    expect(await page.locator('#user-name').textContent()).toBe(username)
    await expect
      .poll(() => page.locator('#passkeys li').first().textContent())
      .toMatch(/^Virtual key — added .+, last used .+ Remove$/)

    const accessToken = await accessTokenOf(page)
    const logins = await activity(accessToken, 'login.succeeded')
    expect(logins[0]?.detail).toMatchObject({ method: 'passkey', transport: 'cookie' })
  })

  it('refuses a passkey made for another relying party, to register and to sign in', async () => {
    const page = await newPage()
    await addVirtualAuthenticator(page)
    await signUp(page, uniqueName('phished'), 'correct horse battery staple')
    const accessToken = await accessTokenOf(page)
    const bearer = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }
    const auth = stack.servers.authUrl

    // This server's own registration options, answered on the other site for its own RP ID.
    const creation = await request(`${auth}/passkeys/registration/options`, {
      method: 'POST',
      headers: bearer,
    })
    expect(creation.status).toBe(200)
    expect(creation.body.rp.id).toBe('localhost')
    await page.goto(other.url('127.0.0.1', '/').replace('127.0.0.1', 'other.localhost'))
    const made = await page.evaluate(
      ([options]) => (globalThis as any).ceremony('create', options),
      [{ ...creation.body, rp: { ...creation.body.rp, id: 'other.localhost' } }],
    )
    const registered = await request(`${auth}/passkeys/registration`, {
      method: 'POST',
      headers: bearer,
      body: JSON.stringify({ response: made }),
    })
    expect(registered.status).toBe(400)
    expect(registered.body.code).toBe('ERR_PASSKEY_REGISTRATION_INVALID')

    // This server's sign-in options, signed on the other site by that passkey.
    const options = await request(`${auth}/login/passkey/options`, { method: 'POST' })
    const asserted = await page.evaluate(
      ([request]) => (globalThis as any).ceremony('get', request),
      [{ ...options.body, rpId: 'other.localhost' }],
    )
    const signIn = await request(`${auth}/login/passkey`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response: asserted }),
    })
    expect(signIn.status).toBe(401)
    expect(signIn.body.code).toBe('ERR_PASSKEY_INVALID')

    // And the other site cannot ask for this server's RP ID: the browser refuses it.
    const fresh = await request(`${auth}/login/passkey/options`, { method: 'POST' })
    const refused = await page.evaluate(
      ([request]) =>
        (globalThis as any).ceremony('get', request).then(
          () => 'signed',
          (error: Error) => error.name,
        ),
      [fresh.body],
    )
    expect(refused).toBe('SecurityError')

    const failures = await activity(accessToken, 'passkey.failed')
    expect(failures.map((event) => event.detail)).toEqual([
      expect.objectContaining({
        ceremony: 'registration',
        reason: expect.stringMatching(/^(rp-id|origin)$/),
      }),
    ])
  })
})

/**
 * A fresh access token of the page's session, from its refresh cookie (as the page's client
 * refreshes); the test itself never sees the cookie. (A string: the tests have no DOM types.)
 */
const REFRESH_IN_PAGE = `(async () => {
  const config = await (await fetch('/config.json')).json()
  const answer = await fetch(config.authUrl + '/session/refresh', {
    method: 'POST',
    credentials: 'include',
    headers: { 'Gatehouse-Transport': 'cookie' },
  })
  return (await answer.json()).accessToken
})()`

async function accessTokenOf(page: Page): Promise<string> {
  return (await page.evaluate(REFRESH_IN_PAGE)) as string
}
