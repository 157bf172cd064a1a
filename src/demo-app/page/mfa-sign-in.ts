/**
 * The second step of signing in when the account has two-factor authentication: `client.login`
 * rejects with `ERR_MFA_REQUIRED` and a challenge; this asks for the app's code (or, on request,
 * a recovery code) and finishes with `client.signIn('/login/mfa', …)`. A wrong code comes back
 * with a fresh challenge, so the user just tries again.
 *
 * @module
 */
import { type GatehouseClient, GatehouseClientError } from '@gatehouse/client'
import { announce, byId, formFields, onClick, onSubmit } from './dom.js'

/**
 * @returns What the sign-in form hands a failed `client.login` to: it takes `ERR_MFA_REQUIRED`
 *   over and rethrows anything else.
 * @example
 * await client.login(fields).catch(mountMfaSignIn(client))
 */
export function mountMfaSignIn(client: GatehouseClient): (error: unknown) => void {
  const section = byId('mfa-sign-in', HTMLElement)
  const form = byId('mfa-code-form', HTMLFormElement)
  const input = byId('mfa-code', HTMLInputElement)
  const label = byId('mfa-code-label', HTMLElement)
  const toggle = byId('mfa-use-recovery', HTMLButtonElement)
  let challenge = ''
  let recovery = false

  function ask(withRecoveryCode: boolean): void {
    recovery = withRecoveryCode
    label.textContent = recovery ? 'Recovery code' : 'Code from your authenticator app'
    input.inputMode = recovery ? 'text' : 'numeric'
    input.autocomplete = 'one-time-code'
    toggle.textContent = recovery
      ? 'Use a code from the app instead'
      : 'Use a recovery code instead'
    input.value = ''
    section.hidden = false
    input.focus()
  }

  onClick(toggle, async () => ask(!recovery))

  onSubmit(form, async () => {
    const { code } = formFields(form, ['code'])
    const body = recovery ? { challenge, recoveryCode: code } : { challenge, code }
    try {
      await client.signIn('/login/mfa', body)
    } catch (error) {
      const fresh = error instanceof GatehouseClientError ? error.details.challenge : undefined
      if (typeof fresh === 'string') challenge = fresh
      else section.hidden = true
      throw error
    }
    section.hidden = true
    form.reset()
    if (recovery) {
      const { recoveryCodesLeft } = await client.request<{ recoveryCodesLeft: number }>(
        'GET',
        '/mfa',
      )
      announce(`Signed in with a recovery code. ${recoveryCodesLeft} recovery codes left.`)
    }
  })

  return function takeOverMfaRequired(error) {
    if (!(error instanceof GatehouseClientError) || error.code !== 'ERR_MFA_REQUIRED') throw error
    const issued = error.details.challenge
    if (typeof issued !== 'string') throw error
    challenge = issued
    ask(false)
    announce('Enter the code from your authenticator app.')
  }
}
