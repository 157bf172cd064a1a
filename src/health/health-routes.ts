/**
 * `GET /healthz` and `GET /readyz`, on both servers, for load balancers and orchestrators.
 * `/healthz` (liveness) answers 200 `{status: 'ok'}` whenever the process serves HTTP: it checks
 * nothing, so a database outage never gets the process restarted. `/readyz` (readiness) answers
 * 200 `{status: 'ready', checks}` when every required dependency answers, otherwise 503
 * `{status: 'unavailable' | 'stopping', checks}` with `Retry-After`. Neither needs a token, both
 * are `Cache-Control: no-store`, and neither says more than a name and `up`/`down`.
 *
 * @module
 */
import { type RequestHandler, Router } from 'express'
import { noStore } from '../http/no-store.js'
import { READINESS_RETRY_AFTER, type Readiness } from './readiness.js'

/**
 * @example
 * app.use(healthRoutes(readiness))
 */
export function healthRoutes(readiness: Readiness): Router {
  const router = Router()
  router.get('/healthz', noStore, alive)
  router.get('/readyz', noStore, async function reportReadiness(_req, res) {
    const report = await readiness.report()
    if (report.status !== 'ready') {
      res.status(503).set('Retry-After', String(READINESS_RETRY_AFTER))
    }
    res.json(report)
  })
  return router
}

const alive: RequestHandler = function alive(_req, res) {
  res.json({ status: 'ok' })
}
