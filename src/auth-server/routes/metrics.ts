import type { RequestHandler } from 'express'
import type { AuthDeps } from '../deps.js'

/** `GET /metrics`: the counters in Prometheus' text format. */
export function metricsRoute(deps: AuthDeps): RequestHandler {
  return function renderMetrics(_req, res) {
    res.type('text/plain; version=0.0.4').send(deps.counters.render())
  }
}
