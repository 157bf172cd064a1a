/**
 * The routes both servers have, as contract entries: the health endpoints and `/openapi.json`.
 *
 * @module
 */
import { z } from 'zod'
import type { RouteEntry } from './build-document.js'
import { retryAfterHeader } from './headers.js'

const checkReport = z.strictObject({
  status: z.enum(['up', 'down']),
  required: z.boolean(),
})

const readinessReport = z
  .strictObject({
    status: z.enum(['ready', 'unavailable', 'stopping']),
    checks: z.record(z.string(), checkReport),
  })
  .meta({ id: 'ReadinessReport' })

export const healthTag = {
  name: 'health',
  description: 'Liveness, readiness and this document.',
} as const

/** `GET /healthz`, `GET /readyz`, `GET /openapi.json`. */
export const sharedRoutes: readonly RouteEntry[] = [
  {
    method: 'get',
    path: '/healthz',
    operationId: 'liveness',
    tag: 'health',
    summary: 'Liveness',
    description:
      'Answers 200 whenever the process serves HTTP, still during shutdown; checks no dependency, so an outage of the database never gets the process restarted.',
    responses: {
      '200': {
        description: 'Alive.',
        content: { 'application/json': { schema: z.strictObject({ status: z.literal('ok') }) } },
      },
    },
    errors: [],
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'readiness',
    tag: 'health',
    summary: 'Readiness',
    description:
      'Whether every required dependency answers, each check given 2 s; names and `up`/`down` only. 503 `unavailable` with `Retry-After: 5` when one does not, 503 `stopping` with no checks once shutdown has begun, so a load balancer drains the instance. Auth server: `database` (`select 1`) and, with `REDIS_URL`, `redis` (PING, to every primary of a Redis Cluster). API server: `database` (its posts), `keys` (the JWKS fetched at least once, asked for when it has not been; always up in tutorial mode) and, with `REVOCATION_FEED=on`, `revocationFeed` (in sync or not), required only under `REVOCATION_FEED_UNAVAILABLE=refuse`.',
    responses: {
      '200': {
        description: 'Ready.',
        content: { 'application/json': { schema: readinessReport } },
      },
      '503': {
        description: 'A required dependency is down, or the server is stopping.',
        headers: z.object({ 'Retry-After': retryAfterHeader }),
        content: { 'application/json': { schema: readinessReport } },
      },
    },
    errors: [],
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openApiDocument',
    tag: 'health',
    summary: 'This OpenAPI document',
    description: 'The OpenAPI 3.1 document of this server.',
    responses: {
      '200': {
        description: 'The document.',
        content: { 'application/json': { schema: z.looseObject({ openapi: z.string() }) } },
      },
    },
    errors: [],
  },
]
