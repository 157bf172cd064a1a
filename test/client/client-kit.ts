/**
 * What the client tests share: a recording `fetch` (the real one, with every request and answer
 * written down, so a test sees what a retry hid), an in-process Web Locks stand-in (Node 20 has
 * none) and a promise for a client's next event.
 */
import type { ClientEvents, GatehouseClient } from '@gatehouse/client'
import type { LockSource } from '../../packages/client/src/refresh-lock.js'
import { checkContract } from '../helpers/contract.js'

/** One request the client sent, and the answer it got. */
export interface Exchange {
  readonly method: string
  readonly url: string
  readonly headers: Headers
  readonly init: RequestInit
  readonly status: number
  /** The answer's JSON body, read from a clone (the client reads the original). */
  readonly body: any
  /** `performance.now()` when it was sent (Date may be frozen by a test). */
  readonly sentAt: number
}

/**
 * The real `fetch`, recording every exchange in `exchanges`. An answer from a server of
 * `startTestServers` that its OpenAPI document does not allow throws (`contract.ts`).
 */
export function recordingFetch(): { fetch: typeof fetch; exchanges: Exchange[] } {
  const exchanges: Exchange[] = []
  const recorder: typeof fetch = async (input, init = {}) => {
    const sentAt = performance.now()
    const response = await fetch(input, init)
    const text = await response.clone().text()
    let body: unknown
    try {
      body = text === '' ? undefined : JSON.parse(text)
    } catch {}
    const url = String(input instanceof Request ? input.url : input)
    checkContract(url, init.method ?? 'GET', {
      status: response.status,
      headers: response.headers,
      body,
    })
    exchanges.push({
      method: init.method ?? 'GET',
      url,
      headers: new Headers(init.headers),
      init,
      status: response.status,
      body,
      sentAt,
    })
    return response
  }
  return { fetch: recorder, exchanges }
}

/** The exchanges with one path of the auth server (`/accessToken`, `/login`, …). */
export function toPath(exchanges: Exchange[], path: string): Exchange[] {
  return exchanges.filter((exchange) => new URL(exchange.url).pathname === path)
}

type LockOptions = { signal?: AbortSignal; ifAvailable?: boolean }

/**
 * The Web Locks semantics the client relies on, for the clients of one process: one holder per
 * name at a time, waiters granted in order, `ifAvailable` answered with `null` while the lock is
 * held or awaited, a waiter whose signal aborts first dropped and rejected with the signal's
 * reason. `requests` counts the calls, `contended` the ones that had to wait.
 */
export function createProcessLocks(): LockSource & { requests: number; contended: number } {
  const queues = new Map<string, (() => void)[]>()
  const next = (name: string) => {
    const queue = queues.get(name) ?? []
    queue.shift()
    queue[0]?.()
  }
  const locks = {
    requests: 0,
    contended: 0,
    request<T>(name: string, options: LockOptions, callback: (lock: unknown) => Promise<T>) {
      locks.requests++
      const queue = queues.get(name) ?? []
      queues.set(name, queue)
      if (options.ifAvailable && queue.length > 0) return callback(null)
      if (queue.length > 0) locks.contended++
      return new Promise<T>((resolve, reject) => {
        const grant = () => {
          options.signal?.removeEventListener('abort', abort)
          callback({ name })
            .then(resolve, reject)
            .finally(() => next(name))
        }
        const abort = () => {
          queue.splice(queue.indexOf(grant), 1)
          reject(options.signal?.reason)
        }
        options.signal?.addEventListener('abort', abort, { once: true })
        queue.push(grant)
        if (queue.length === 1) grant()
      })
    },
  }
  return locks
}

/** A lock held by a tab that froze: never granted, every request ends with its signal. */
export function createWedgedLock(): LockSource & { aborted: number } {
  const lock = {
    aborted: 0,
    request<T>(_name: string, options: LockOptions, callback: (lock: unknown) => Promise<T>) {
      if (options.ifAvailable) return callback(null)
      return new Promise<T>((_resolve, reject) => {
        options.signal?.addEventListener('abort', () => {
          lock.aborted++
          reject(options.signal?.reason)
        })
      })
    },
  }
  return lock
}

/** The next `event` of `client` (subscribe before the action that causes it). */
export function nextEvent<E extends keyof ClientEvents>(
  client: GatehouseClient,
  event: E,
): Promise<ClientEvents[E]> {
  return new Promise((resolve) => {
    const off = client.on(event, (detail) => {
      off()
      resolve(detail)
    })
  })
}

/** Resolves once `client` has emitted `event` `count` times (counting from now). */
export function eventCount<E extends keyof ClientEvents>(
  client: GatehouseClient,
  event: E,
  count: number,
): Promise<ClientEvents[E][]> {
  const seen: ClientEvents[E][] = []
  return new Promise((resolve) => {
    const off = client.on(event, (detail) => {
      seen.push(detail)
      if (seen.length === count) {
        off()
        resolve(seen)
      }
    })
  })
}

/** A channel name no other test file uses. */
export function uniqueChannel(): string {
  return `gatehouse-test:${process.pid}:${Math.random().toString(36).slice(2)}`
}

/** The token answer of the last `POST /login` recorded (to play a thief, or check at the server). */
export function loginAnswer(exchanges: Exchange[]): { accessToken: string; refreshToken: string } {
  const answer = toPath(exchanges, '/login').at(-1)?.body
  if (!answer?.refreshToken) throw new Error('no successful POST /login was recorded')
  return answer
}
