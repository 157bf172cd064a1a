/**
 * `@gatehouse/verify/node`: Gatehouse access tokens on a bare `node:http` server, no framework.
 * `requireAuth` wraps a request listener (refusals answered as JSON with `WWW-Authenticate`, as
 * the Express and Fastify adapters answer them); `createAuthenticator` gives the
 * `authenticate(req)` step alone, for servers that answer refusals their own way.
 *
 * @example
 * import http from 'node:http'
 * import { requireAuth } from '@gatehouse/verify/node'
 * const protect = requireAuth({ issuer: 'http://localhost:4000', audience: 'gatehouse-api', algorithms: ['EdDSA'] })
 * http.createServer(protect((req, res, auth) => res.end(`hello ${auth?.user.name}`))).listen(3000)
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { type AdapterHandle, type AdapterOptions, setUpAdapter } from './adapter-options.js'
import type { GatehouseError } from './errors.js'
import { refusalBody } from './refusal-body.js'
import type { VerifiedToken } from './verified-token.js'

export type { AdapterOptions, SharedVerifierOptions } from './adapter-options.js'
export type { VerifiedToken } from './verified-token.js'

/** What the verifier's owner may need: the verifier itself, readiness and a way to stop it. */
type VerifierHandle = AdapterHandle

/** `authenticate(req)`: the verified token, `undefined` when anonymous, or a rejection. */
export interface Authenticator extends VerifierHandle {
  (req: IncomingMessage): Promise<VerifiedToken | undefined>
}

/** A request listener that runs once the request is authenticated. */
export type AuthenticatedListener<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
> = (req: Req, res: Res, auth: VerifiedToken | undefined) => void

/** Answers a refusal in the app's own way, in place of the adapter's JSON answer. */
export type RefusalListener<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
> = (error: GatehouseError<string>, req: Req, res: Res) => void

/** The options of `requireAuth`: a verifier's options or a shared `verifier`, plus answering. */
export type NodeRequireAuthOptions = AdapterOptions & {
  /**
   * `'respond'`: refusals are answered here. A function: it answers them instead (it gets the
   * `GatehouseError`, with `status` and the `headers` to send).
   * @default 'respond'
   */
  readonly onRefuse?: 'respond' | RefusalListener
}

/** Wraps listeners; every listener it wraps shares one verifier. */
export interface RequireAuthWrapper extends VerifierHandle {
  <Req extends IncomingMessage, Res extends ServerResponse>(
    listener: AuthenticatedListener<Req, Res>,
  ): (req: Req, res: Res) => void
}

/**
 * Authenticates a request; rejects with a `GatehouseError` (with `status` and `headers`).
 *
 * @example
 * const authenticate = createAuthenticator({ issuer, audience, algorithms: ['EdDSA'] })
 * const auth = await authenticate(req) // VerifiedToken, or undefined under credentials: 'optional'
 */
export function createAuthenticator(options: AdapterOptions): Authenticator {
  const setup = setUpAdapter(options, 'createAuthenticator')
  const authenticate = async (req: IncomingMessage) =>
    setup.verifier.authenticate(authorizationOf(req), setup.policy)
  return Object.assign(authenticate, setup.handle)
}

/**
 * Protects `node:http` listeners: a refused request is answered here (401/403/503, JSON
 * `{code, message}`, `WWW-Authenticate`, `Retry-After`) and never reaches the listener.
 *
 * @example
 * const protect = requireAuth({ issuer, audience, algorithms: ['EdDSA'], requiredScopes: ['posts:read'] })
 * http.createServer(protect((req, res, auth) => {
 *   res.setHeader('content-type', 'application/json')
 *   res.end(JSON.stringify({ hello: auth?.user.name }))
 * }))
 */
export function requireAuth(options: NodeRequireAuthOptions): RequireAuthWrapper {
  const onRefuse = options?.onRefuse ?? 'respond'
  if (onRefuse !== 'respond' && typeof onRefuse !== 'function') {
    throw new TypeError('requireAuth: "onRefuse" option must be "respond" or a function')
  }
  const setup = setUpAdapter(options, 'requireAuth')
  const refuse = (req: IncomingMessage, res: ServerResponse, error: GatehouseError<string>) => {
    if (onRefuse === 'respond') respond(res, error)
    else onRefuse(error, req, res)
  }
  function wrap<Req extends IncomingMessage, Res extends ServerResponse>(
    listener: AuthenticatedListener<Req, Res>,
  ) {
    return function authenticated(req: Req, res: Res): void {
      // The listener itself admits: a cache hit calls it at once, with nothing allocated.
      setup.authenticate(authorizationOf(req), req, res, listener, refuse)
    }
  }
  return Object.assign(wrap, setup.handle)
}

/**
 * The request's `Authorization` header, read from `rawHeaders`: `req.headers` is built on first
 * access (every header, lower-cased, into a new object), which a bare `node:http` listener may
 * never otherwise need. The first one wins, as `req.headers` keeps it (Node drops duplicates).
 */
function authorizationOf(req: IncomingMessage): string | undefined {
  const raw = req.rawHeaders
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string
    if (name.length === 13 && name.toLowerCase() === 'authorization') return raw[i + 1]
  }
  return undefined
}

function respond(res: ServerResponse, error: GatehouseError<string>): void {
  const body = JSON.stringify(refusalBody(error))
  res.writeHead(error.status, {
    ...error.headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  })
  res.end(body)
}
