/**
 * The access token of one tab, in memory only, and how it stays fresh: a refresh at about two
 * thirds of its lifetime, one refresh at a time in this tab (single flight) and across tabs (a
 * bounded Web Lock; after acquiring it a tab first looks whether another tab handed over a
 * newer token), each new token handed to the other tabs over the channel, and a sign-out in one
 * tab announced to all.
 *
 * @module
 */
import { type AuthSender, refreshRequest, type TokenAnswer } from './auth-sender.js'
import { toClientError } from './client-error.js'
import { decodeUser } from './decode-user.js'
import type { Emitter } from './emitter.js'
import { type LockSource, withLock } from './refresh-lock.js'
import { reasonFor } from './sign-out-reason.js'
import { openTabChannel, type TabMessage } from './tab-channel.js'
import type { ClientEvents, SignOutReason, Transport, User } from './types.js'

/** What a tab holds while signed in. */
export interface Held {
  accessToken: string
  /** Epoch milliseconds. */
  expiresAt: number
  /** Bearer transport only. */
  refreshToken?: string | undefined
  user: User
}

export interface KeeperConfig {
  transport: Transport
  channelName: string
  lockTimeout: number
  send: AuthSender
  events: Emitter<ClientEvents>
  locks: LockSource | undefined
}

/** A refresh request never holds the lock longer than this (milliseconds). */
const REFRESH_TIMEOUT = 10_000
/** How long a tab waits for another tab to answer `ask` (milliseconds): at page load, and under a contended lock. */
const ASK_WAIT = 150

export type SessionKeeper = ReturnType<typeof createSessionKeeper>

/**
 * @example
 * const keeper = createSessionKeeper({ transport, channelName, lockTimeout, send, events, locks })
 * keeper.hold(fromAnswer(await res.json()), true)
 */
export function createSessionKeeper(config: KeeperConfig) {
  const { transport, events } = config
  let held: Held | null = null
  let timer: ReturnType<typeof setTimeout> | undefined
  let inflight: Promise<string | null> | null = null
  /** Counts sign-outs, so that a refresh answered after one is dropped. */
  let endings = 0
  const waiting = new Set<() => void>()

  const channel = openTabChannel(config.channelName, (message) => {
    if (message.t === 'token') {
      if (!held || message.expiresAt > held.expiresAt) hold(message, false)
    } else if (message.t === 'out') drop(message.reason, false)
    else if (held && isLive(held)) channel.post(tokenMessage(held))
  })

  function tokenMessage({ accessToken, expiresAt, refreshToken }: Held): TabMessage {
    return refreshToken === undefined
      ? { t: 'token', accessToken, expiresAt }
      : { t: 'token', accessToken, expiresAt, refreshToken }
  }

  /** Keeps a token, schedules its refresh, and tells the listeners (and, if asked, the tabs). */
  function hold(token: Omit<Held, 'user'>, broadcast: boolean, signedIn = held === null): Held {
    const { accessToken, expiresAt, refreshToken } = token
    held = { accessToken, expiresAt, user: decodeUser(accessToken) }
    if (transport === 'bearer') held.refreshToken = refreshToken
    clearTimeout(timer)
    const seen = held.accessToken
    // Ahead of expiry. A refresh that fails here (network, 5xx) is not retried on a timer: the
    // next request refused with ERR_TOKEN_EXPIRED refreshes again.
    timer = setTimeout(
      () => void refresh(seen).catch(() => {}),
      ((held.expiresAt - Date.now()) * 2) / 3,
    )
    // Node: a pending refresh must not keep a finished script alive.
    ;(timer as { unref?: () => void }).unref?.()
    if (broadcast) channel.post(tokenMessage(held))
    for (const wake of waiting) wake()
    const { user } = held
    if (signedIn) events.emit('signedIn', { user })
    else events.emit('refreshed', { user, expiresAt })
    return held
  }

  /** Forgets the token; `signedOut` if this tab was signed in. */
  function drop(reason: SignOutReason, broadcast: boolean) {
    const was = held
    held = null
    endings++
    clearTimeout(timer)
    if (broadcast) channel.post({ t: 'out', reason })
    if (was) events.emit('signedOut', { reason })
  }

  /**
   * A fresh access token instead of `seen` (the one the caller has found stale, or `null`), or
   * `null` when the session is gone. Rejects, signed in still, on a network error, 429 or 5xx.
   */
  function refresh(seen: string | null): Promise<string | null> {
    inflight ??= withLock(config.locks, config.channelName, config.lockTimeout, (contended) =>
      refreshUnlessDone(seen, contended),
    ).finally(() => {
      inflight = null
    })
    return inflight
  }

  /** Under the lock: skips when another tab handed over a newer token, else refreshes. */
  async function refreshUnlessDone(seen: string | null, contended: boolean) {
    // Another tab may have refreshed just before: its token may reach this tab after the lock
    // does, but it surely answers an ask. A dead token (or none, uncontended) goes on at once.
    if ((held?.accessToken ?? null) === seen && (contended || isLive(held))) await ask()
    if (held && held.accessToken !== seen) return held.accessToken
    if (transport === 'bearer' && !held?.refreshToken) return null
    const request = refreshRequest(transport, held?.refreshToken)
    const ended = endings
    const res = await config.send({ ...request, signal: AbortSignal.timeout(REFRESH_TIMEOUT) })
    // Signed out while the request was on its way: its answer must not sign this tab back in.
    if (ended !== endings) return null
    if (res.ok) return hold(fromAnswer((await res.json()) as TokenAnswer), true).accessToken
    const error = await toClientError(res)
    if (res.status !== 401 && res.status !== 403) throw error
    drop(reasonFor(error.code), held !== null)
    return null
  }

  /** On page load: another tab's token, else the refresh; not after a sign-out meanwhile. */
  async function resume(): Promise<User | null> {
    const ended = endings
    if (!held) await ask()
    if (!held && ended === endings) await refresh(null)
    return held?.user ?? null
  }

  /** Asks the other tabs for their token and waits up to `ASK_WAIT` for one to arrive. */
  function ask(): Promise<void> {
    if (!channel.open) return Promise.resolve()
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(wait)
        waiting.delete(wake)
        resolve()
      }
      const wait = setTimeout(wake, ASK_WAIT)
      waiting.add(wake)
      channel.post({ t: 'ask' })
    })
  }

  return {
    get held() {
      return held
    },
    hold,
    drop,
    refresh,
    resume,
    dispose() {
      clearTimeout(timer)
      channel.close()
    },
  }
}

function isLive(held: Held | null): held is Held {
  return held !== null && held.expiresAt > Date.now()
}

/**
 * A token answer as held: its lifetime (`expiresIn`, seconds) made an instant on the local clock.
 *
 * @example
 * keeper.hold(fromAnswer({ accessToken, expiresIn: 900 }), true)
 */
export function fromAnswer(answer: TokenAnswer): Omit<Held, 'user'> {
  return {
    accessToken: answer.accessToken,
    expiresAt: Date.now() + answer.expiresIn * 1000,
    refreshToken: answer.refreshToken,
  }
}
