/**
 * Requests over `node:http` with keep-alive agents, recording what a load balancer would see:
 * whether the request was fully written before a given moment, and then either a complete
 * response (status, `Connection` header, parsed JSON body) or the socket error.
 */
import http from 'node:http'

export interface Outcome {
  /** The request was fully written to its socket before `isAfter()` turned true. */
  sentBefore: boolean
  status?: number
  connection?: string
  body?: unknown
  /** `ECONNRESET`, `ECONNREFUSED`, "socket hang up" (`ECONNRESET` too), … */
  error?: string
}

export interface SendOptions {
  readonly agent: http.Agent
  readonly url: string
  readonly method?: string
  readonly headers?: Record<string, string>
  readonly body?: unknown
  /** The moment that splits "sent before" from "sent after", e.g. the signal. */
  readonly isAfter?: () => boolean
  /** Called once the request is fully written to its socket. */
  readonly onSent?: () => void
}

/** Sends one request; never rejects: a failure is an outcome with `error`. */
export function send(options: SendOptions): Promise<Outcome> {
  const outcome: Outcome = { sentBefore: false }
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body)
  return new Promise((resolve) => {
    const req = http.request(options.url, {
      agent: options.agent,
      method: options.method ?? 'GET',
      headers: {
        ...options.headers,
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
    })
    req.on('finish', () => {
      outcome.sentBefore = !(options.isAfter?.() ?? false)
      options.onSent?.()
    })
    req.on('error', (error: NodeJS.ErrnoException) => {
      outcome.error = error.code ?? error.message
      resolve(outcome)
    })
    req.on('response', (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        text += chunk
      })
      res.on('error', (error: NodeJS.ErrnoException) => {
        outcome.error = error.code ?? error.message
        resolve(outcome)
      })
      res.on('end', () => {
        outcome.status = res.statusCode
        outcome.connection = res.headers.connection
        try {
          outcome.body = JSON.parse(text)
        } catch {
          outcome.error = `incomplete body: ${text.slice(0, 80)}`
        }
        resolve(outcome)
      })
    })
    req.end(payload)
  })
}
