/**
 * The API server's refusals as errors: its JSON body names a `code` and a `message`. (The auth
 * server's refusals already arrive as `GatehouseClientError` from the client.)
 *
 * @module
 */

/** A non-2xx answer of the API server. */
export class ApiFailure extends Error {
  override readonly name = 'ApiFailure'
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
  ) {
    super(message)
  }
}

/**
 * The answer's JSON body, or an `ApiFailure` for a non-2xx answer.
 *
 * @example
 * const posts = await readApiJson<Post[]>(await client.fetch(`${apiUrl}/posts`))
 */
export async function readApiJson<T>(res: Response): Promise<T> {
  const text = await res.text()
  let body: unknown
  try {
    body = text === '' ? undefined : JSON.parse(text)
  } catch {}
  if (res.ok) return body as T
  const { code, message } = (body ?? {}) as { code?: unknown; message?: unknown }
  throw new ApiFailure(
    `${typeof message === 'string' ? message : `The API server answered ${res.status}`}${typeof code === 'string' ? ` (${code})` : ''}`,
    typeof code === 'string' ? code : 'ERR_UNKNOWN',
    res.status,
  )
}
