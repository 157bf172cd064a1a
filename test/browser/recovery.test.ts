/**
 * Account recovery in the demo app, in headless Chromium against the real servers and a real SMTP
 * server: a person gives an address, follows the mailed link to verify it, signs out, forgets
 * their password, follows the mailed reset link, chooses a new password and signs in with it.
 * The links are taken from the received messages. @see issue 15, point 6
 */
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Inbox, startInbox } from '../accounts/smtp-kit.js'
import { isChromiumAvailable, launchChromium } from './chromium-kit.js'
import { openDemo, signIn, signUp, statusText, uniqueName, waitForState } from './demo-page.js'
import { type DemoStack, startDemoStack } from './demo-stack.js'

const available = isChromiumAvailable('test/browser/recovery.test.ts')
const LINKS = 'http://demo.gatehouse.test'

/** The link in a received message, opened on the test's demo page instead of `LINKS`. */
function onPage(pageUrl: string, text: string, action: string): string {
  const match = new RegExp(`${LINKS}/(#${action}=[A-Za-z0-9_-]+)`).exec(text)
  if (!match?.[1]) throw new Error(`no ${action} link in: ${text}`)
  return `${pageUrl}${match[1]}`
}

describe.skipIf(!available)('account recovery in the demo app', () => {
  let browser: Browser
  let stack: DemoStack
  let inbox: Inbox
  let context: BrowserContext

  beforeAll(async () => {
    inbox = await startInbox()
    ;[browser, stack] = await Promise.all([
      launchChromium(),
      startDemoStack({
        MAIL_URL: inbox.url,
        MAIL_FROM: 'Gatehouse <no-reply@gatehouse.test>',
        ACCOUNT_LINK_URL: LINKS,
      }),
    ])
    context = await browser.newContext()
  })
  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await stack?.close()
    await inbox?.close()
  })

  it('verifies an address, then resets a forgotten password through the mailed link', async () => {
    const page = await openDemo(context, stack.pageUrl, 'signed-out')
    const username = uniqueName('rec')
    const email = `${username}@example.com`
    await signUp(page, username, 'first password 1')

    const emailForm = page.locator('#email-form')
    await emailForm.getByLabel('New address').fill(email)
    await emailForm.getByLabel('Current password').fill('first password 1')
    await emailForm.getByRole('button', { name: 'Save and send a verification link' }).click()
    await page.locator('#email-status[data-verified="false"]').waitFor()

    const verifyMail = await inbox.next(email)
    await page.goto(onPage(stack.pageUrl, verifyMail.text, 'verify-email'))
    await page.locator('#email-status[data-verified="true"]').waitFor()
    expect(await page.locator('#email-status').textContent()).toContain(`${email} — verified`)
    // The token is gone from the address bar once read.
    expect(page.url()).not.toContain('#verify-email')

    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await waitForState(page, 'signed-out')
    const forgot = page.locator('#forgot-form')
    await forgot.getByLabel('Username or email address').fill(email)
    await forgot.getByRole('button', { name: 'Mail me a reset link' }).click()
    await page.getByText('a reset link is on its way').waitFor()

    const resetMail = await inbox.next(email)
    expect(resetMail.subject).toBe('Reset your password')
    await page.goto(onPage(stack.pageUrl, resetMail.text, 'reset-password'))
    const reset = page.locator('#reset-form')
    await reset.getByLabel('New password').fill('second password 2')
    await reset.getByRole('button', { name: 'Set the new password' }).click()
    await page.getByText('Sign in with the new password').waitFor()
    expect(page.url()).not.toContain('#reset-password')

    await signIn(page, username, 'second password 2')
    expect(await statusText(page)).toBe(`Signed in as ${username}`)
  })
})
