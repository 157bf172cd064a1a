/**
 * One autocannon run against `GET /accessToken` where every connection carries a session of its
 * own: connection i sends `Authorization: Bearer <slot i's refresh token>` and, when the server
 * rotates (Gatehouse), takes the `refreshToken` of each 200 as its next token.
 *
 * autocannon's per-connection `context` cannot hold the token: it is reset to `initialContext`
 * each time a connection wraps around its list of requests, which with a single request is after
 * every response. So `setupClient` gives each connection its own one-request list whose
 * `setupRequest` and `onResponse` close over that connection's slot; slots outlive the run, so
 * the measurement continues the sessions where the warm-up left them.
 *
 * @module
 */
import autocannon, { type Client, type Result } from 'autocannon'

/** The current refresh token of one hot session. */
export interface RefreshSlot {
  token: string
}

export interface RefreshLoadOptions {
  /** Base URL of the server under test. */
  readonly url: string
  /** One per connection. */
  readonly slots: readonly RefreshSlot[]
  /** Whether each 200 carries the next refresh token to use (Gatehouse), or not (the tutorial). */
  readonly rotates: boolean
  /** Seconds. */
  readonly duration: number
}

export interface RefreshLoadResult {
  readonly result: Result
  /** 200 responses whose body had no refresh token although the server rotates. */
  readonly missingTokens: number
}

const REFRESH_TOKEN_IN_BODY = /"refreshToken":"([A-Za-z0-9_-]+)"/

/**
 * @example
 * const slots = hotTokens.map((token) => ({ token }))
 * const { result } = await runRefreshLoad({ url, slots, rotates: true, duration: 5 })
 */
export async function runRefreshLoad(options: RefreshLoadOptions): Promise<RefreshLoadResult> {
  let connection = 0
  let missingTokens = 0
  const result = await autocannon({
    url: options.url,
    connections: options.slots.length,
    duration: options.duration,
    setupClient(client: Client) {
      const slot = options.slots[connection++ % options.slots.length] as RefreshSlot
      client.setRequests([
        {
          method: 'GET',
          path: '/accessToken',
          setupRequest: (request) => ({
            ...request,
            headers: { ...request.headers, authorization: `Bearer ${slot.token}` },
          }),
          onResponse: (status, body) => {
            if (!options.rotates || status !== 200) return
            const next = REFRESH_TOKEN_IN_BODY.exec(body)?.[1]
            if (next) slot.token = next
            else missingTokens++
          },
        },
      ])
    },
  })
  return { result, missingTokens }
}
