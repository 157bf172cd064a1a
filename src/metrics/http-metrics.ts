/**
 * The request histogram both servers keep, `gatehouse_http_request_duration_seconds`, by route
 * template (`/sessions/:id`, never the raw path, so labels stay bounded), method and status class;
 * and the 503s by the dependency that caused them (the error handler leaves the error's code in
 * `res.locals.errorCode`).
 *
 * Cheap on the hot path: one `performance.now()` per request and, after the response, a cached
 * histogram child per label set (no label objects built per request).
 *
 * @module
 */
import type { RequestHandler, Response } from 'express'
import { Counter, Histogram, type Registry } from 'prom-client'
import { routeTemplate } from './route-template.js'

/** The dependency a 503's error code points at; others count as `other`. */
const DEPENDENCY_OF_CODE: Readonly<Record<string, string>> = {
  ERR_STORE_UNAVAILABLE: 'store',
  ERR_KEYS_UNAVAILABLE: 'signing_keys',
  ERR_REVOCATIONS_UNAVAILABLE: 'revocation_feed',
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

/** A registry's request metrics: the middleware, and the timing of a request answered without it. */
export interface HttpMetrics {
  /** Times every request and counts its 503s: mount first. */
  readonly middleware: RequestHandler
  /** Records one answer that did not go through `middleware` (`auth-server/fast-refresh.ts`). */
  observe(route: string, method: string, status: number, seconds: number): void
}

const ofRegistry = new WeakMap<Registry, HttpMetrics>()

/**
 * The request metrics of `registry`, made on the first call and the same ones after (a metric
 * is registered once per registry).
 *
 * @example
 * app.use(httpMetricsOf(registry).middleware)
 */
export function httpMetricsOf(registry: Registry): HttpMetrics {
  let metrics = ofRegistry.get(registry)
  if (!metrics) {
    metrics = createHttpMetrics(registry)
    ofRegistry.set(registry, metrics)
  }
  return metrics
}

function createHttpMetrics(registry: Registry): HttpMetrics {
  const duration = new Histogram({
    name: 'gatehouse_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route template, method and status class',
    labelNames: ['route', 'method', 'status_class'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  })
  const unavailable = new Counter({
    name: 'gatehouse_unavailable_responses_total',
    help: 'Answers 503 for want of a dependency (store, signing_keys, revocation_feed, other)',
    labelNames: ['dependency'] as const,
    registers: [registry],
  })
  const storeErrors = new Counter({
    name: 'gatehouse_store_errors_total',
    help: 'Requests that failed because a store (database or Redis) could not be used',
    registers: [registry],
  })
  const children = new Map<string, ReturnType<typeof duration.labels>>()

  function observe(route: string, method: string, status: number, seconds: number): void {
    const statusClass = `${Math.floor(status / 100)}xx`
    const key = `${method} ${statusClass} ${route}`
    let child = children.get(key)
    if (!child) {
      child = duration.labels(route, method, statusClass)
      children.set(key, child)
    }
    child.observe(seconds)
  }

  const middleware: RequestHandler = function timeRequest(req, res, next) {
    const start = performance.now()
    res.once('finish', () => {
      const method = METHODS.has(req.method) ? req.method : 'OTHER'
      const seconds = (performance.now() - start) / 1000
      observe(routeTemplate(req), method, res.statusCode, seconds)
      if (res.statusCode === 503) {
        const code = errorCodeOf(res)
        unavailable.labels(DEPENDENCY_OF_CODE[code ?? ''] ?? 'other').inc()
        if (code === 'ERR_STORE_UNAVAILABLE') storeErrors.inc()
      }
    })
    next()
  }
  return { middleware, observe }
}

function errorCodeOf(res: Response): string | undefined {
  const code = res.locals.errorCode
  return typeof code === 'string' ? code : undefined
}
