/**
 * Two-factor authentication in the demo app, in headless Chromium against the real servers: a
 * person sets TOTP up (the page shows a QR code and the secret; the test plays the
 * authenticator app, computing codes with otpauth from the secret shown), saves the recovery
 * codes, signs out, signs in with the password and a code, then with a recovery code.
 *
 * @see issue 15, points 4 and 6
 */
import { Secret, TOTP } from 'otpauth'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { isChromiumAvailable, launchChromium } from './chromium-kit.js'
import { openDemo, signUp, statusText, uniqueName, waitForState } from './demo-page.js'
import { type DemoStack, startDemoStack } from './demo-stack.js'

const available = isChromiumAvailable('test/browser/mfa.test.ts')
const PASSWORD = 'correct horse battery staple'

/** The authenticator app: the code of `secret` `offset` 30-second steps from now. */
function appCode(secret: string, offset = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6 })
  return totp.generate({ timestamp: Date.now() + offset * 30_000 })
}

describe.skipIf(!available)('two-factor authentication in the demo app', () => {
  let browser: Browser
  let stack: DemoStack
  let context: BrowserContext

  beforeAll(async () => {
    ;[browser, stack] = await Promise.all([launchChromium(), startDemoStack()])
  })
  afterAll(async () => {
    await browser?.close()
    await stack?.close()
  })
  afterEach(async () => {
    await context?.close()
  })

  async function signOut(page: Page): Promise<void> {
    await page.locator('#sign-out').click()
    await waitForState(page, 'signed-out')
  }

  async function passwordStep(page: Page, username: string): Promise<void> {
    const form = page.locator('#sign-in-form')
    await form.getByLabel('Username').fill(username)
    await form.getByLabel('Password').fill(PASSWORD)
    await form.getByRole('button', { name: 'Sign in' }).click()
    await page.locator('#mfa-sign-in:not([hidden])').waitFor()
    expect(await page.locator('body').getAttribute('data-state')).toBe('signed-out')
  }

  it('sets TOTP up, then signs in with the password and a code, and with a recovery code', async () => {
    context = await browser.newContext()
    const page = await openDemo(context, stack.pageUrl, 'signed-out')
    const username = uniqueName('mfa')
    await signUp(page, username, PASSWORD)
    await page.locator('body[data-mfa="off"]').waitFor({ state: 'attached' })

    // Set up: the password again, then the QR code and the secret as text.
    const enrol = page.locator('#mfa-enrol-form')
    await enrol.getByLabel('Current password').fill(PASSWORD)
    await enrol.getByRole('button', { name: 'Set up two-factor authentication' }).click()
    await page.locator('#mfa-setup:not([hidden])').waitFor()
    const secret = (await page.locator('#mfa-secret').textContent()) ?? ''
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(await page.locator('#mfa-uri').textContent()).toContain(`secret=${secret}`)
    const qr = await page.locator('#mfa-qr').boundingBox()
    expect(qr?.width).toBeGreaterThan(100)
    const confirm = page.locator('#mfa-confirm-form')
    await confirm.getByLabel('Code the app shows').fill(appCode(secret))
    await confirm.getByRole('button', { name: 'Turn on' }).click()
    await page.locator('#mfa-recovery:not([hidden])').waitFor()
    const recoveryCodes = await page.locator('#mfa-recovery-codes li').allTextContents()
    expect(recoveryCodes).toHaveLength(10)
    await page.locator('body[data-mfa="on"]').waitFor({ state: 'attached' })
    await page.getByRole('button', { name: 'I have saved them' }).click()
    expect(await page.locator('#mfa-recovery-codes li').count()).toBe(0)

    // Sign in again: the password is not enough, the app's next code is.
    await signOut(page)
    await passwordStep(page, username)
    const codeForm = page.locator('#mfa-code-form')
    await codeForm.getByLabel('Code from your authenticator app').fill(appCode(secret, 1))
    await codeForm.getByRole('button', { name: 'Verify' }).click()
    await waitForState(page, 'signed-in')
    expect(await page.locator('#user-name').textContent()).toBe(username)

    // And with a recovery code, after a wrong one (the page retries on the fresh challenge).
    await signOut(page)
    await passwordStep(page, username)
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click()
    await codeForm.getByLabel('Recovery code').fill('00000-00000')
    await codeForm.getByRole('button', { name: 'Verify' }).click()
    await expect.poll(() => statusText(page), { timeout: 10_000 }).toContain('ERR_MFA_CODE_INVALID')
    await codeForm.getByLabel('Recovery code').fill(recoveryCodes[0] ?? '')
    await codeForm.getByRole('button', { name: 'Verify' }).click()
    await waitForState(page, 'signed-in')
    await expect
      .poll(() => statusText(page))
      .toBe('Signed in with a recovery code. 9 recovery codes left.')
    await expect
      .poll(() => page.locator('#mfa-state').textContent())
      .toContain('9 recovery codes left')
  })
})
