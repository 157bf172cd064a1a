/**
 * `GET /metrics`: a registry in Prometheus' text format, never cached. The same handler serves
 * the management port (`METRICS_PORT`) and the main port's token-guarded route (`METRICS_TOKEN`).
 *
 * @module
 */
import type { RequestHandler } from 'express'
import type { Registry } from 'prom-client'
import { exposition } from './create-registry.js'

/**
 * @example
 * app.get('/metrics', requireEndpointToken(token, 'gatehouse'), metricsRoute(registry))
 */
export function metricsRoute(registry: Registry): RequestHandler {
  return async function renderMetrics(_req, res) {
    const text = await exposition(registry)
    res.type(registry.contentType).set('Cache-Control', 'no-store').send(text)
  }
}
