/**
 * Shared checks of the health endpoints: the exact bodies of `/healthz` and `/readyz`, and a
 * bounded wait for a readiness state that arrives in the background (a feed that syncs, a Redis
 * connection that opens).
 */
import { expect } from 'vitest'
import { type JsonResponse, request } from '../helpers/test-servers.js'

/** A check as `/readyz` reports it. */
export const up = (required = true) => ({ status: 'up', required })
export const down = (required = true) => ({ status: 'down', required })

/** Asserts a 200 `{status: 'ready', checks}` with `Cache-Control: no-store`. */
export function expectReady(res: JsonResponse, checks: Record<string, unknown>): void {
  expect(res.body).toEqual({ status: 'ready', checks })
  expect(res.status).toBe(200)
  expect(res.headers.get('cache-control')).toBe('no-store')
  expect(res.headers.get('retry-after')).toBeNull()
}

/** Asserts a 503 `{status, checks}` with `Retry-After` and `Cache-Control: no-store`. */
export function expectUnready(
  res: JsonResponse,
  checks: Record<string, unknown>,
  status: 'unavailable' | 'stopping' = 'unavailable',
): void {
  expect(res.body).toEqual({ status, checks })
  expect(res.status).toBe(503)
  expect(res.headers.get('retry-after')).toBe('5')
  expect(res.headers.get('cache-control')).toBe('no-store')
}

/**
 * Asks `/readyz` until `done(body)` holds, for at most `seconds`, and returns the last answer
 * (which the caller then checks in full): for states reached in the background.
 */
export async function readyzWhen(
  baseUrl: string,
  done: (body: any) => boolean,
  seconds = 15,
): Promise<JsonResponse> {
  const deadline = Date.now() + seconds * 1000
  for (;;) {
    const res = await request(`${baseUrl}/readyz`)
    if (done(res.body) || Date.now() > deadline) return res
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Whether a `/readyz` body reports `check` as `status`. */
export const checkIs =
  (check: string, status: 'up' | 'down') =>
  (body: any): boolean =>
    body?.checks?.[check]?.status === status
