/**
 * The messages the tabs of one app exchange over a `BroadcastChannel`, so that one refresh (or
 * one logout) serves them all. Where there is no `BroadcastChannel`, posting does nothing and
 * each client works alone.
 *
 * In the bearer transport the refresh token travels too (`refreshToken`): without it a tab that
 * adopted another's access token could never refresh. A channel only reaches the same origin
 * (browsers) or the same process (Node); the cookie transport never has a refresh token to send.
 *
 * @module
 */
import type { SignOutReason } from './types.js'

export type TabMessage =
  | { t: 'token'; accessToken: string; expiresAt: number; refreshToken?: string }
  | { t: 'out'; reason: SignOutReason }
  | { t: 'ask' }

export interface TabChannel {
  /** Whether other tabs can hear this one. */
  readonly open: boolean
  post(message: TabMessage): void
  close(): void
}

/** The part of `BroadcastChannel` used here, as browsers and Node 20 both have it. */
interface BroadcastChannelLike {
  onmessage: ((event: { data: unknown }) => void) | null
  postMessage(message: unknown): void
  close(): void
  unref?(): void
}

/**
 * @param name the channel every tab of the app opens
 * @param receive called with each message another tab posts (never with this tab's own)
 * @example
 * const channel = openTabChannel('gatehouse:http://localhost:4000', (message) => {})
 * channel.post({ t: 'ask' })
 */
export function openTabChannel(name: string, receive: (message: TabMessage) => void): TabChannel {
  const Channel = (
    globalThis as unknown as { BroadcastChannel?: new (name: string) => BroadcastChannelLike }
  ).BroadcastChannel
  if (!Channel) return { open: false, post() {}, close() {} }
  const channel = new Channel(name)
  // Node: an open channel must not keep a script alive once its work is done.
  channel.unref?.()
  channel.onmessage = (event) => {
    const message = event.data as TabMessage | null
    if (message && typeof message === 'object') receive(message)
  }
  return {
    open: true,
    post: (message) => channel.postMessage(message),
    close: () => channel.close(),
  }
}
