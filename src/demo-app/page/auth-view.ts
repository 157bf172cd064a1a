/**
 * The signed-out view: sign in, and sign up (which signs the new account in). Showing the
 * signed-in view is left to the client's `signedIn` event, so that every tab follows.
 *
 * @module
 */
import type { GatehouseClient } from '@gatehouse/client'
import { announce, byId, formFields, onSubmit } from './dom.js'

/**
 * @param secondFactor Takes a failed login over when it asks for a second factor (`mfa-sign-in.ts`).
 * @example
 * mountAuthView(client, mountMfaSignIn(client))
 */
export function mountAuthView(
  client: GatehouseClient,
  secondFactor: (error: unknown) => void,
): void {
  const signIn = byId('sign-in-form', HTMLFormElement)
  onSubmit(signIn, async () => {
    await client.login(formFields(signIn, ['username', 'password'])).then(undefined, secondFactor)
    signIn.reset()
  })

  const signUp = byId('sign-up-form', HTMLFormElement)
  onSubmit(signUp, async () => {
    const account = formFields(signUp, ['username', 'password'])
    await client.register(account)
    announce(`Account ${account.username} created; signing in…`)
    await client.login(account)
    signUp.reset()
  })
}
