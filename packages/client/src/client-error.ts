/**
 * The one error the client rejects with when the auth server refuses: its `code`, `status` and
 * `requestId` come from Gatehouse's JSON error body, so that an app can `switch (error.code)`
 * and quote the request id to support. Network failures reject with `fetch`'s own `TypeError`.
 *
 * @module
 */

/**
 * @example
 * try {
 *   await gatehouse.login({ username, password })
 * } catch (error) {
 *   if (error instanceof GatehouseClientError && error.code === 'ERR_INVALID_CREDENTIALS') showWrongPassword()
 * }
 */
export class GatehouseClientError extends Error {
  readonly code: string
  readonly status: number
  readonly requestId?: string
  /**
   * The error body's other fields, e.g. the `challenge` of `ERR_MFA_REQUIRED` or the
   * `retryAfter` of a 429; empty when it has none.
   */
  readonly details: Readonly<Record<string, unknown>>

  constructor(
    code: string,
    status: number,
    message: string,
    requestId?: string,
    details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message)
    this.name = 'GatehouseClientError'
    this.code = code
    this.status = status
    if (requestId !== undefined) this.requestId = requestId
    this.details = details
  }
}

/**
 * The error for a non-2xx answer. A body that is not Gatehouse's JSON (a proxy's HTML page)
 * still gives an error, coded `ERR_HTTP_<status>`.
 *
 * @example
 * if (!res.ok) throw await toClientError(res)
 */
export async function toClientError(response: Response): Promise<GatehouseClientError> {
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>
  const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : undefined)
  const { code: _code, message: _message, requestId: _requestId, ...details } = body
  return new GatehouseClientError(
    text('code') ?? `ERR_HTTP_${response.status}`,
    response.status,
    text('message') ?? `The auth server answered ${response.status}`,
    text('requestId'),
    details,
  )
}

/**
 * The `code` of an error answer, without consuming the response; `undefined` if it has none.
 *
 * @example
 * if ((await errorCode(res)) === 'ERR_TOKEN_EXPIRED') await refresh()
 */
export async function errorCode(response: Response): Promise<string | undefined> {
  const body = (await response
    .clone()
    .json()
    .catch(() => undefined)) as { code?: unknown } | undefined
  return typeof body?.code === 'string' ? body.code : undefined
}
