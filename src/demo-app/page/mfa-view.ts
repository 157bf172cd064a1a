/**
 * "Two-factor authentication" on the signed-in page: set up TOTP (the password again, then a QR
 * code of the `otpauth://` URI drawn into a canvas, with the secret and the URI as text for
 * typing in), confirm it with a first code, see the ten recovery codes once, and turn it off
 * with the password and a code. `GET /mfa` says what is on.
 *
 * @module
 */
import type { GatehouseClient } from '@gatehouse/client'
import QRCode from 'qrcode'
import { announce, byId, element, formFields, onClick, onSubmit } from './dom.js'
import type { UserDataView } from './posts-view.js'

interface MfaStatus {
  readonly totp: boolean
  readonly recoveryCodesLeft: number
}

/**
 * @example
 * const mfa = mountMfaView(client)
 * await mfa.load()
 */
export function mountMfaView(client: GatehouseClient): UserDataView {
  const state = byId('mfa-state', HTMLElement)
  const enrolForm = byId('mfa-enrol-form', HTMLFormElement)
  const setup = byId('mfa-setup', HTMLElement)
  const confirmForm = byId('mfa-confirm-form', HTMLFormElement)
  const recovery = byId('mfa-recovery', HTMLElement)
  const removeForm = byId('mfa-remove-form', HTMLFormElement)

  function show(status: MfaStatus): void {
    state.textContent = status.totp
      ? `On: sign-ins ask for a code. ${status.recoveryCodesLeft} recovery codes left.`
      : 'Off: your password alone signs you in.'
    document.body.dataset.mfa = status.totp ? 'on' : 'off'
    enrolForm.hidden = status.totp
    removeForm.hidden = !status.totp
  }

  async function load(): Promise<void> {
    show(await client.request<MfaStatus>('GET', '/mfa'))
  }

  onSubmit(enrolForm, async () => {
    const { password } = formFields(enrolForm, ['password'])
    const { secret, uri } = await client.request<{ secret: string; uri: string }>(
      'POST',
      '/mfa/totp',
      { password },
    )
    enrolForm.reset()
    await QRCode.toCanvas(byId('mfa-qr', HTMLCanvasElement), uri, { width: 192, margin: 1 })
    byId('mfa-secret', HTMLElement).textContent = secret
    byId('mfa-uri', HTMLElement).textContent = uri
    setup.hidden = false
    announce('Scan the QR code with your authenticator app, then enter the code it shows.')
    byId('mfa-confirm-code', HTMLInputElement).focus()
  })

  onSubmit(confirmForm, async () => {
    const { code } = formFields(confirmForm, ['code'])
    const { recoveryCodes } = await client.request<{ recoveryCodes: string[] }>(
      'POST',
      '/mfa/totp/confirm',
      { code },
    )
    confirmForm.reset()
    setup.hidden = true
    byId('mfa-secret', HTMLElement).textContent = ''
    byId('mfa-uri', HTMLElement).textContent = ''
    byId('mfa-recovery-codes', HTMLElement).replaceChildren(
      ...recoveryCodes.map((text) => element('li', {}, element('code', { text }))),
    )
    recovery.hidden = false
    announce('Two-factor authentication is on. Save your recovery codes now.')
    await load()
  })

  onClick(byId('mfa-recovery-done', HTMLButtonElement), async () => {
    byId('mfa-recovery-codes', HTMLElement).replaceChildren()
    recovery.hidden = true
  })

  onSubmit(removeForm, async () => {
    await client.request('DELETE', '/mfa/totp', formFields(removeForm, ['password', 'code']))
    removeForm.reset()
    announce('Two-factor authentication is off.')
    await load()
  })

  return {
    load,
    clear() {
      setup.hidden = true
      recovery.hidden = true
      byId('mfa-recovery-codes', HTMLElement).replaceChildren()
      state.textContent = ''
    },
  }
}
