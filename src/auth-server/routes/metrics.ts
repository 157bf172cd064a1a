import type { RequestHandler } from 'express'
import { renderGauges } from '../../metrics/gauges.js'
import type { AuthDeps } from '../deps.js'

/** `GET /metrics`: the counters, and the revocation feed's gauges, in Prometheus' text format. */
export function metricsRoute(deps: AuthDeps): RequestHandler {
  return function renderMetrics(_req, res) {
    const feed = deps.revocationFeed.stats()
    res
      .type('text/plain; version=0.0.4')
      .set('Cache-Control', 'no-store')
      .send(
        deps.counters.render() +
          renderGauges({
            gatehouse_revocation_streams: feed.streams,
            gatehouse_revocation_streams_paused: feed.paused,
            gatehouse_revocation_stream_buffered_bytes: feed.bufferedBytes,
          }),
      )
  }
}
