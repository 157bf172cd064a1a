/**
 * Checks a refresh row's server before it is loaded: a hot refresh token gets 200 with an access
 * token (and, where the server rotates, a new refresh token, which becomes the slot's), and a
 * request without a token gets 401. A row that refuses its load would measure refusals.
 *
 * @module
 */
import type { RefreshSlot } from './refresh-load.js'

/**
 * @param slot Its token is replaced by the rotated one when `rotates`.
 * @throws Error describing the first unexpected answer.
 * @example
 * await preflightRefresh(url, slots[0], true)
 */
export async function preflightRefresh(
  url: string,
  slot: RefreshSlot,
  rotates: boolean,
): Promise<void> {
  const endpoint = `${url}/accessToken`
  const ok = await fetch(endpoint, { headers: { authorization: `Bearer ${slot.token}` } })
  const text = await ok.text()
  if (ok.status !== 200)
    throw new Error(`a hot refresh token got ${ok.status}: ${text.slice(0, 200)}`)
  const body = JSON.parse(text) as { accessToken?: unknown; refreshToken?: unknown }
  if (typeof body.accessToken !== 'string' || body.accessToken.split('.').length !== 3) {
    throw new Error(`no access token in ${text.slice(0, 200)}`)
  }
  if (rotates) {
    if (typeof body.refreshToken !== 'string' || body.refreshToken === slot.token) {
      throw new Error(`no rotated refresh token in ${text.slice(0, 200)}`)
    }
    slot.token = body.refreshToken
  }
  const refused = await fetch(endpoint)
  await refused.arrayBuffer()
  if (refused.status !== 401) throw new Error(`a request without a token got ${refused.status}`)
}
