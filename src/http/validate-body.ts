import type { RequestHandler } from 'express'
import type { z } from 'zod'
import { GatehouseError } from '../errors/index.js'

/**
 * Checks `req.body` against a zod schema and replaces it with the parsed value. A failure is a
 * 400 `ERR_VALIDATION` whose message names the field and the rule, never the value sent.
 *
 * @example
 * router.post('/login', validateBody(loginBody), login)
 */
export function validateBody(schema: z.ZodType): RequestHandler {
  return function checkBody(req, _res, next) {
    if (
      req.body === undefined ||
      req.body === null ||
      typeof req.body !== 'object' ||
      Array.isArray(req.body)
    ) {
      throw new GatehouseError('ERR_VALIDATION', {
        message: 'The request body must be a JSON object sent with Content-Type: application/json',
      })
    }
    const parsed = schema.safeParse(req.body)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const field = issue?.path.join('.') || 'body'
      throw new GatehouseError('ERR_VALIDATION', {
        message: `${field}: ${issue?.message ?? 'is invalid'}`,
      })
    }
    req.body = parsed.data
    next()
  }
}
