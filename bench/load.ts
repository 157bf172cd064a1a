/**
 * One autocannon run against `GET /posts`, rotating through the distinct tokens: every
 * connection gets the whole list of pre-built requests, started at its own offset, so concurrent
 * requests carry different tokens and the client never builds a request during the run.
 *
 * @module
 */
import autocannon, { type Client, type Request, type Result } from 'autocannon'

export interface LoadOptions {
  /** Base URL of the server under test. */
  readonly url: string
  /** Tokens sent as `Authorization: Bearer`, one per request, in rotation. */
  readonly tokens: readonly string[]
  readonly connections: number
  /** Seconds. */
  readonly duration: number
}

/**
 * @example
 * const result = await runLoad({ url, tokens, connections: 50, duration: 10 })
 * console.log(result.requests.average, result.latency.p99)
 */
export async function runLoad(options: LoadOptions): Promise<Result> {
  const requests: Request[] = options.tokens.map((token) => ({
    method: 'GET',
    path: '/posts',
    headers: { authorization: `Bearer ${token}` },
  }))
  const stride = Math.max(1, Math.floor(requests.length / options.connections))
  let connection = 0
  return autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.duration,
    setupClient(client: Client) {
      const offset = (connection++ * stride) % requests.length
      client.setRequests([...requests.slice(offset), ...requests.slice(0, offset)])
    },
  })
}
