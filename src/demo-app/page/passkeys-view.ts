/**
 * Passkeys in the demo app, with `@simplewebauthn/browser`: signed in, "Passkeys" adds one
 * (`startRegistration` on the server's creation options), lists them and removes them; signed
 * out, "Sign in with a passkey" asks for no username (`startAuthentication` on options with no
 * allowed credentials, so the authenticator offers its own) and finishes with
 * `client.signIn('/login/passkey', { response })`, which signs every tab in.
 *
 * @module
 */
import type { GatehouseClient } from '@gatehouse/client'
import {
  browserSupportsWebAuthn,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  startAuthentication,
  startRegistration,
} from '@simplewebauthn/browser'
import { announce, byId, element, formFields, onClick, onSubmit } from './dom.js'
import type { UserDataView } from './posts-view.js'
import { when } from './sessions-view.js'

/** A passkey as `GET /passkeys` lists it. */
interface PasskeyInfo {
  readonly id: string
  readonly name: string
  readonly createdAt: string
  readonly lastUsedAt: string | null
}

/**
 * @example
 * const passkeys = mountPasskeysView(client)
 * await passkeys.load()
 */
export function mountPasskeysView(client: GatehouseClient): UserDataView {
  const list = byId('passkeys', HTMLUListElement)
  const supported = browserSupportsWebAuthn()

  async function load(): Promise<void> {
    const passkeys = await client.request<PasskeyInfo[]>('GET', '/passkeys')
    list.replaceChildren(...passkeys.map(renderPasskey))
    if (passkeys.length === 0) list.append(element('li', { text: 'No passkeys yet.' }))
  }

  function renderPasskey(passkey: PasskeyInfo): HTMLLIElement {
    const remove = element('button', {
      text: 'Remove',
      attributes: { type: 'button', class: 'secondary', 'aria-label': `Remove ${passkey.name}` },
    })
    onClick(remove, async () => {
      await client.request('DELETE', `/passkeys/${encodeURIComponent(passkey.id)}`)
      announce(`Removed the passkey ${passkey.name}`)
      await load()
    })
    const used = passkey.lastUsedAt ? `last used ${when(passkey.lastUsedAt)}` : 'never used'
    return element(
      'li',
      { attributes: { 'data-passkey-id': passkey.id } },
      element('strong', { text: passkey.name }),
      document.createTextNode(` — added ${when(passkey.createdAt)}, ${used} `),
      remove,
    )
  }

  const add = byId('add-passkey-form', HTMLFormElement)
  onSubmit(add, async () => {
    if (!supported) return announce('This browser does not support passkeys.')
    const optionsJSON = await client.request<PublicKeyCredentialCreationOptionsJSON>(
      'POST',
      '/passkeys/registration/options',
    )
    const response = await startRegistration({ optionsJSON })
    const { name } = formFields(add, ['name'])
    const added = await client.request<PasskeyInfo>('POST', '/passkeys/registration', {
      response,
      ...(name.trim() !== '' && { name }),
    })
    add.reset()
    announce(`Passkey ${added.name} added`)
    await load()
  })

  onClick(byId('sign-in-passkey', HTMLButtonElement), async () => {
    if (!supported) return announce('This browser does not support passkeys.')
    const optionsJSON = await client.request<PublicKeyCredentialRequestOptionsJSON>(
      'POST',
      '/login/passkey/options',
    )
    const response = await startAuthentication({ optionsJSON })
    await client.signIn('/login/passkey', { response })
  })

  return { load, clear: () => list.replaceChildren() }
}
