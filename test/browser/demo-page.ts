/**
 * Driving the demo page the way a person does: through its labelled controls (`getByLabel`,
 * `getByRole`), which also checks that they are labelled. The page's state is
 * `document.body.dataset.state`: `loading`, `signed-in` or `signed-out`.
 */
import type { BrowserContext, Page } from 'playwright-core'

export type PageState = 'signed-in' | 'signed-out'

/**
 * Waits until the page shows `state`. `timeout` in milliseconds: a bound of the behaviour under
 * test where one is given (a sign-out reaching every tab within 1 s), otherwise generous.
 */
export async function waitForState(page: Page, state: PageState, timeout = 10_000): Promise<void> {
  await page.locator(`body[data-state="${state}"]`).waitFor({ state: 'attached', timeout })
}

/** Opens the demo page in a new tab of `context` and waits until it knows whether it is signed in. */
export async function openDemo(
  context: BrowserContext,
  url: string,
  state?: PageState,
): Promise<Page> {
  const page = await context.newPage()
  await page.goto(url)
  if (state) await waitForState(page, state)
  else await page.locator('body:not([data-state="loading"])').waitFor({ state: 'attached' })
  return page
}

/** Signs up a new account through the page's "Sign up" form (which signs it in). */
export async function signUp(page: Page, username: string, password: string): Promise<void> {
  const form = page.locator('#sign-up-form')
  await form.getByLabel('Username').fill(username)
  await form.getByLabel('Password').fill(password)
  await form.getByRole('button', { name: 'Sign up and sign in' }).click()
  await waitForState(page, 'signed-in')
}

/** Signs in through the page's "Sign in" form. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  const form = page.locator('#sign-in-form')
  await form.getByLabel('Username').fill(username)
  await form.getByLabel('Password').fill(password)
  await form.getByRole('button', { name: 'Sign in' }).click()
  await waitForState(page, 'signed-in')
}

/** Clicks "Reload posts" and waits for the API server's answer; returns its status. */
export async function reloadPosts(page: Page): Promise<number> {
  const answered = page.waitForResponse(
    (res) => new URL(res.url()).pathname === '/posts' && res.request().method() === 'GET',
  )
  await page.getByRole('button', { name: 'Reload posts' }).click()
  return (await answered).status()
}

/** A username no other test uses (the servers' data folder is per file, the names per test). */
export function uniqueName(prefix: string): string {
  return `${prefix}${Math.random().toString(36).slice(2, 8)}`
}

/** The page's status region (`role=status`, `aria-live`). */
export async function statusText(page: Page): Promise<string> {
  return (await page.getByRole('status').textContent()) ?? ''
}
