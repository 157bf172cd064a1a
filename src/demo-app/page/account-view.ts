/**
 * Changing the password (this tab stays signed in, on a new session; every other session ends),
 * signing out, and signing out everywhere. The signed-out view follows from the client's
 * `signedOut` event, in this tab and every other.
 *
 * @module
 */
import type { GatehouseClient } from '@gatehouse/client'
import { announce, byId, formFields, onClick, onSubmit } from './dom.js'
import type { UserDataView } from './posts-view.js'

/**
 * @example
 * mountAccountView(client, sessions)
 */
export function mountAccountView(client: GatehouseClient, sessions: UserDataView): void {
  const form = byId('password-form', HTMLFormElement)
  onSubmit(form, async () => {
    await client.changePassword(formFields(form, ['oldPassword', 'newPassword']))
    form.reset()
    announce('Password changed. Your other sessions have ended.')
    await sessions.load()
  })
  onClick(byId('sign-out', HTMLButtonElement), () => client.logout())
  onClick(byId('sign-out-everywhere', HTMLButtonElement), () => client.logoutEverywhere())
}
