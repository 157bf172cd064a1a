/**
 * The demo web app: a page of plain TypeScript on `@gatehouse/client` with the cookie transport.
 * The refresh token is an `HttpOnly` cookie the page never sees; the access token stays in the
 * client's memory. Which view shows (signed in or out) follows the client's events only, so that
 * a sign-in, a sign-out or an ended session in one tab shows in every tab.
 *
 * `document.body.dataset.state` is `loading`, `signed-in` or `signed-out`.
 *
 * @module
 */
import { createClient, type SignOutReason, type User } from '@gatehouse/client'
import { mountAccountView } from './account-view.js'
import { mountAuthView } from './auth-view.js'
import { announce, byId, describeFailure } from './dom.js'
import { mountEmailView } from './email-view.js'
import { mountMfaSignIn } from './mfa-sign-in.js'
import { mountMfaView } from './mfa-view.js'
import { mountPasskeysView } from './passkeys-view.js'
import { mountPostsView } from './posts-view.js'
import { mountRecoveryView } from './recovery-view.js'
import { mountSessionsView } from './sessions-view.js'

/** What the demo server's `GET /config.json` answers: the servers, on the page's own hostname. */
interface DemoConfig {
  readonly authUrl: string
  readonly apiUrl: string
}

const SIGNED_OUT_BECAUSE: Readonly<Record<SignOutReason, string>> = {
  logout: 'You are signed out.',
  revoked: 'Your session was ended. Sign in again.',
  reuse: 'Your session was ended to protect it: its refresh token was used twice. Sign in again.',
  expired: 'Your session expired. Sign in again.',
}

const config = await loadConfig()

/** The servers' URLs; a page that cannot learn them says so and stops. */
async function loadConfig(): Promise<DemoConfig> {
  const res = await fetch('/config.json').catch(() => undefined)
  if (!res?.ok) {
    announce('The demo app could not load /config.json: is npm start running?')
    throw new Error('no /config.json')
  }
  return (await res.json()) as DemoConfig
}
const client = createClient({ authUrl: config.authUrl, transport: 'cookie' })
const posts = mountPostsView(client, config.apiUrl)
const sessions = mountSessionsView(client)
const passkeys = mountPasskeysView(client)
const mfa = mountMfaView(client)
mountAuthView(client, mountMfaSignIn(client))
mountAccountView(client, sessions)
const email = mountEmailView(client)
mountRecoveryView(config.authUrl, () => {
  if (document.body.dataset.state === 'signed-in') void email.load()
})

const views = { in: byId('signed-in', HTMLElement), out: byId('signed-out', HTMLElement) }
const whoami = byId('whoami', HTMLElement)

function showSignedIn(user: User): void {
  byId('user-name', HTMLElement).textContent = user.name
  if (document.body.dataset.state === 'signed-in') return
  document.body.dataset.state = 'signed-in'
  views.out.hidden = true
  views.in.hidden = false
  whoami.hidden = false
  announce(`Signed in as ${user.name}`)
  byId('posts-title', HTMLElement).focus()
  void Promise.all([
    posts.load(),
    sessions.load(),
    email.load(),
    passkeys.load(),
    mfa.load(),
  ]).catch((error: unknown) => announce(describeFailure(error)))
}

function showSignedOut(reason?: SignOutReason): void {
  const was = document.body.dataset.state
  document.body.dataset.state = 'signed-out'
  views.in.hidden = true
  views.out.hidden = false
  whoami.hidden = true
  posts.clear()
  sessions.clear()
  passkeys.clear()
  mfa.clear()
  if (reason) announce(SIGNED_OUT_BECAUSE[reason])
  if (was !== 'signed-out') byId('sign-in-username', HTMLInputElement).focus()
}

client.on('signedIn', ({ user }) => showSignedIn(user))
client.on('refreshed', ({ user }) => showSignedIn(user))
client.on('signedOut', ({ reason }) => showSignedOut(reason))

try {
  const user = await client.resume()
  if (user) showSignedIn(user)
  else if (document.body.dataset.state === 'loading') showSignedOut()
} catch (error) {
  showSignedOut()
  announce(describeFailure(error))
}
