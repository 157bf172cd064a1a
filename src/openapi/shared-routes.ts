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
    description: 'Answers whenever the process serves HTTP; checks nothing.',
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
    description: 'Whether every required dependency answers; names and `up`/`down` only.',
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
