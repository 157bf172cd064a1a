/**
 * The signed-in page's email address: what it is and whether it is verified, a form to set or
 * change it (with the password), and a button that mails a new verification link. `main.ts`
 * loads it (`GET /account/email`) at each sign-in.
 *
 * @module
 */
import type { GatehouseClient } from '@gatehouse/client'
import { announce, byId, formFields, onClick, onSubmit } from './dom.js'

interface EmailState {
  readonly email: string | null
  readonly emailVerified: boolean
}

export interface EmailView {
  /** Reads the address and shows it. */
  load(): Promise<void>
}

/**
 * @example
 * const email = mountEmailView(client)
 * await email.load()
 */
export function mountEmailView(client: GatehouseClient): EmailView {
  const status = byId('email-status', HTMLElement)
  const resend = byId('email-resend', HTMLButtonElement)

  function show(state: EmailState) {
    status.dataset.verified = String(state.emailVerified)
    status.textContent = state.email
      ? `${state.email} — ${state.emailVerified ? 'verified' : 'not verified yet'}`
      : 'No email address yet.'
    resend.hidden = !state.email || state.emailVerified
  }

  const form = byId('email-form', HTMLFormElement)
  onSubmit(form, async () => {
    show(
      await client.request<EmailState>(
        'POST',
        '/account/email',
        formFields(form, ['email', 'password']),
      ),
    )
    form.reset()
    announce('Check your mailbox: a link to verify the address is on its way.')
  })
  onClick(resend, async () => {
    show(await client.request<EmailState>('POST', '/email/verify/resend'))
    announce('A new verification link is on its way.')
  })

  return { load: async () => show(await client.request<EmailState>('GET', '/account/email')) }
}
