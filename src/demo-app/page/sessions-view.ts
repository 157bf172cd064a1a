/**
 * "My sessions": where the user is signed in (`GET /sessions` on the auth server), each with its
 * device, address, when it began and when it was last used, and a button that ends it. Ending
 * this tab's own session is signing out, so that button signs out.
 *
 * @module
 */
import type { GatehouseClient, SessionInfo } from '@gatehouse/client'
import { describeDevice } from './describe-device.js'
import { announce, byId, element, onClick } from './dom.js'
import type { UserDataView } from './posts-view.js'

/**
 * @example
 * const sessions = mountSessionsView(client)
 * await sessions.load()
 */
export function mountSessionsView(client: GatehouseClient): UserDataView {
  const body = byId('sessions', HTMLTableElement).tBodies[0] as HTMLTableSectionElement

  async function load(): Promise<void> {
    const sessions = await client.sessions()
    body.replaceChildren(...sessions.map(renderSession))
  }

  function renderSession(session: SessionInfo): HTMLTableRowElement {
    const device = describeDevice(session.userAgent)
    const end = element('button', {
      text: session.current ? 'Sign out' : 'End',
      attributes: {
        type: 'button',
        class: 'secondary',
        'aria-label': session.current
          ? 'Sign out (this device)'
          : `End the session on ${device}, last used ${when(session.lastUsedAt)}`,
      },
    })
    onClick(end, async () => {
      if (session.current) return client.logout()
      await client.endSession(session.id)
      announce(`Ended the session on ${device}`)
      await load()
    })
    const deviceCell = element('td', { text: device })
    if (session.current) deviceCell.append(element('strong', { text: ' (this device)' }))
    return element(
      'tr',
      {
        attributes: {
          'data-session-id': session.id,
          ...(session.current && { 'aria-current': 'true' }),
        },
      },
      deviceCell,
      element('td', { text: session.ip ?? 'unknown' }),
      element('td', { text: when(session.createdAt) }),
      element('td', { text: when(session.lastUsedAt) }),
      element('td', {}, end),
    )
  }

  onClick(byId('reload-sessions', HTMLButtonElement), load)
  return { load, clear: () => body.replaceChildren() }
}

/** An ISO timestamp in the reader's own format and time zone. */
export function when(iso: string): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString()
}
