import { randomUUID } from 'node:crypto'
import type { RequestHandler } from 'express'

/** What an incoming `X-Request-Id` may look like to be kept (a proxy's id); anything else is replaced. */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/

/**
 * Gives every request an id, sent back as `X-Request-Id`, written in its log line and in any error
 * body, so that a user's report can be matched to the log.
 */
export const assignRequestId: RequestHandler = function assignRequestId(req, res, next) {
  const id = requestIdFrom(req.get('x-request-id'))
  res.locals.requestId = id
  res.set('X-Request-Id', id)
  next()
}

/** The incoming `X-Request-Id` when it looks like one, else a new id. */
export function requestIdFrom(incoming: string | undefined): string {
  return incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID()
}

/** The id `assignRequestId` gave this response, if it ran. */
export function requestIdOf(locals: Record<string, unknown>): string | undefined {
  return typeof locals.requestId === 'string' ? locals.requestId : undefined
}
