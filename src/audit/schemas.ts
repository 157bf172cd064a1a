/**
 * The query and response of `GET /account/activity`, as zod schemas beside the request bodies of
 * `src/auth-server/schemas.ts`, so that the route validates with them and the OpenAPI document
 * can describe them.
 *
 * @module
 */
import { z } from 'zod'

export const DEFAULT_ACTIVITY_LIMIT = 50
export const MAX_ACTIVITY_LIMIT = 200

/** `?limit=N`: 1 to 200, default 50. */
export const activityQuery = z.object({
  limit: z
    .string({ error: 'must be a whole number' })
    .regex(/^[0-9]{1,4}$/, 'must be a whole number')
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, 'must be at least 1')
        .max(MAX_ACTIVITY_LIMIT, `must be at most ${MAX_ACTIVITY_LIMIT}`),
    )
    .optional(),
})

/** One event of the caller's, as the route answers it. */
export const activityEvent = z.object({
  at: z.iso.datetime(),
  event: z.string(),
  actor: z.string(),
  sessionId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  requestId: z.string().nullable(),
  /** The name as typed, on failed logins against the caller's own account. */
  username: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
})

/** `GET /account/activity` → 200. */
export const activityResponse = z.object({ events: z.array(activityEvent) })
