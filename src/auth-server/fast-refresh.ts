/**
 * The refresh answered without Express: `GET /accessToken` is the busiest route of all, and
 * Express's router and middleware cost more CPU than the rotation itself. A refresh that can be
 * answered the plain way (no `Origin`, so no CORS; no `DPoP` proof; no proxy to trust for the
 * address) goes through here, with what the Express route would send on success: the same
 * security headers (read from the same helmet), `no-store`, the request id, the request line,
 * and the request histogram's entry. Anything else goes to Express: every other route, every
 * request past those conditions, and every refusal or failure of a refresh begun here, which
 * Express's route answers with the same error body and challenge as always (the rate limit is
 * not counted twice, and the request keeps its id).
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { parseBearerToken } from '@gatehouse/verify'
import type { Express } from 'express'
import { NO_STORE_HEADERS } from '../http/no-store.js'
import { requestIdFrom } from '../http/request-id.js'
import { logRequestLine } from '../http/request-logger.js'
import { securityHeaderList } from '../http/security-headers.js'
import { canonicalAddress } from '../lib/ip-address.js'
import { httpMetricsOf } from '../metrics/http-metrics.js'
import { bearerTokenBody } from './cookie/send-tokens.js'
import type { AuthDeps } from './deps.js'
import { userAgentOf } from './middleware/client-info.js'

/** The path it answers, exactly (other spellings Express matches go to Express). */
const PATH = '/accessToken'

/** Where a refresh begun here leaves its refusal for the Express route to answer. */
const HANDED_OVER = Symbol('gatehouse.refreshRefusal')

export interface FastRefresh {
  /** Answers `req` when it is a refresh it takes; `false`: the caller hands it to Express. */
  serve(req: IncomingMessage, res: ServerResponse): boolean
  /**
   * From now on Express answers everything: shutdown has begun, and its answers carry
   * `Connection: close`.
   */
  stop(): void
}

/**
 * @param app The auth server's Express app, which answers what this does not.
 * @example
 * const fast = createFastRefresh(deps, app)
 * createServer((req, res) => fast.serve(req, res) || app(req, res))
 */
export function createFastRefresh(deps: AuthDeps, app: Express): FastRefresh {
  const { trustProxy, corsOrigins, metrics } = deps.http
  // Under TRUST_PROXY the address comes from X-Forwarded-For, which Express works out.
  const direct = trustProxy === false || trustProxy === 0
  let stopping = false
  const headers: Record<string, string> = {
    ...Object.fromEntries(securityHeaderList()),
    ...Object.fromEntries(NO_STORE_HEADERS),
    'Content-Type': 'application/json; charset=utf-8',
  }
  const histogram = metrics && httpMetricsOf(metrics)
  const logged = deps.logger.isLevelEnabled('info')

  function takes(req: IncomingMessage): boolean {
    return (
      direct &&
      !stopping &&
      req.method === 'GET' &&
      req.url === PATH &&
      req.headers.dpop === undefined &&
      (corsOrigins.length === 0 || req.headers.origin === undefined)
    )
  }

  async function refresh(req: IncomingMessage, res: ServerResponse, requestId: string) {
    const started = process.hrtime.bigint()
    try {
      const ip = canonicalAddress(req.socket.remoteAddress ?? 'unknown')
      await deps.rateLimits.beforeRefresh(ip)
      const refreshToken = parseBearerToken(req.headers.authorization)
      const issued = await deps.sessions.refresh(refreshToken, {
        userAgent: userAgentOf(req.headers['user-agent']),
        ip,
        transport: 'bearer',
        requestId,
      })
      const body = JSON.stringify(bearerTokenBody(issued))
      res.writeHead(200, {
        ...headers,
        'X-Request-Id': requestId,
        'Content-Length': Buffer.byteLength(body),
        // Shutdown began while this refresh ran: no further request on this connection.
        ...(stopping ? { Connection: 'close' } : {}),
      })
      res.end(body)
    } catch (error) {
      handOver(req, res, requestId, error)
      return
    }
    if (histogram) histogram.observe(PATH, 'GET', 200, elapsedSeconds(started))
    if (logged) {
      logRequestLine(deps.logger, { method: 'GET', url: PATH, status: 200, requestId, started })
    }
  }

  /** Express answers the refusal, as its route would have; the request keeps its id. */
  function handOver(req: IncomingMessage, res: ServerResponse, requestId: string, error: unknown) {
    ;(req as IncomingMessage & { [HANDED_OVER]?: unknown })[HANDED_OVER] = { error }
    req.headers['x-request-id'] = requestId
    app(req, res)
  }

  return {
    serve(req, res) {
      if (!takes(req)) return false
      const requestId = requestIdFrom(singleHeader(req.headers['x-request-id']))
      refresh(req, res, requestId).catch((error: unknown) => {
        // Only what runs after the answer or the hand-over can end here: never a silent hang.
        deps.logger.error({ err: error, requestId }, 'GET /accessToken: failed after its answer')
        if (!res.headersSent) res.destroy()
      })
      return true
    },
    stop() {
      stopping = true
    },
  }
}

/**
 * The refusal of a refresh begun without Express, for the Express route to answer; `undefined`
 * for a request that came to Express directly.
 */
export function handedOverRefusal(req: IncomingMessage): { error: unknown } | undefined {
  return (req as IncomingMessage & { [HANDED_OVER]?: { error: unknown } })[HANDED_OVER]
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

function elapsedSeconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9
}
