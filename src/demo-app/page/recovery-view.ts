/**
 * Account recovery on the demo page: "Forgot password?" (signed out), and the two links the
 * server mails, which land here with their token in the URL fragment — `#verify-email=<token>`
 * verifies the address at once, `#reset-password=<token>` shows a new-password form. The token
 * is taken out of the address bar as soon as it is read, so it stays out of history and
 * bookmarks. These routes need no session, so they are plain `fetch` calls to the auth server.
 *
 * @module
 */
import { announce, byId, formFields, onSubmit } from './dom.js'

/** POSTs `body` to the auth server; a refusal throws with the server's message and code. */
async function post(authUrl: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${authUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (res.ok) return
  const error = (await res.json().catch(() => ({}))) as { code?: string; message?: string }
  throw new Error(
    `${error.message ?? `The server answered ${res.status}`} (${error.code ?? res.status})`,
  )
}

/** The token of `#<action>=<token>`, removed from the address bar; `undefined` without one. */
function takeToken(action: 'verify-email' | 'reset-password'): string | undefined {
  const match = new RegExp(`^#${action}=([A-Za-z0-9_-]+)$`).exec(location.hash)
  if (!match) return undefined
  history.replaceState(null, '', location.pathname + location.search)
  return match[1]
}

/**
 * @param onVerified Called once an address is verified (the email view reloads its state).
 * @example
 * mountRecoveryView(config.authUrl, () => email.load())
 */
export function mountRecoveryView(authUrl: string, onVerified: () => void): void {
  const forgot = byId('forgot-form', HTMLFormElement)
  onSubmit(forgot, async () => {
    const { account } = formFields(forgot, ['account'])
    await post(
      authUrl,
      '/password/forgot',
      account.includes('@') ? { email: account } : { username: account },
    )
    forgot.reset()
    announce('If that account has a verified email address, a reset link is on its way.')
  })

  const section = byId('reset-password', HTMLElement)
  const reset = byId('reset-form', HTMLFormElement)
  let resetToken: string | undefined
  onSubmit(reset, async () => {
    const { newPassword } = formFields(reset, ['newPassword'])
    await post(authUrl, '/password/reset', { token: resetToken, newPassword })
    reset.reset()
    section.hidden = true
    announce('Your password is changed and every session has ended. Sign in with the new password.')
  })

  function readLink() {
    const verifyToken = takeToken('verify-email')
    if (verifyToken) {
      post(authUrl, '/email/verify', { token: verifyToken }).then(
        () => {
          announce('Your email address is verified.')
          onVerified()
        },
        (error: unknown) => announce(error instanceof Error ? error.message : String(error)),
      )
    }
    const token = takeToken('reset-password')
    if (token) {
      resetToken = token
      section.hidden = false
      byId('reset-new-password', HTMLInputElement).focus()
      announce('Choose a new password.')
    }
  }
  window.addEventListener('hashchange', readLink)
  readLink()
}
