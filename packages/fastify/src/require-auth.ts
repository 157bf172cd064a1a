/**
 * `requireAuth`: a Fastify 5 `onRequest` (or `preHandler`) hook that protects routes with
 * Gatehouse access tokens, over `@gatehouse/verify`'s `createVerifier`, with the same options and
 * the same refusals as the Express adapter. As an `onRequest` hook it refuses before the body is
 * read. By default it answers a refusal itself; with `onRefuse: 'next'` it hands the
 * `GatehouseError` to Fastify's error handling (`setErrorHandler`, or Fastify's default, which
 * sends its `statusCode` and `headers`).
 *
 * @module
 */
import {
  type AdapterOptions,
  type GatehouseError,
  readOnRefuse,
  refusalBody,
  setUpAdapter,
  type VerifiedToken,
  type Verifier,
} from '@gatehouse/verify'
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The verified access token (claims, user, scopes), set by `@gatehouse/fastify`'s
     * `requireAuth`; `undefined` for an anonymous request under `credentials: 'optional'`.
     */
    gatehouse?: VerifiedToken
  }
}

/** How the hook answers a refusal. */
export interface AnswerOptions {
  /**
   * `'respond'`: the hook answers the refusal itself. `'next'`: it passes the `GatehouseError`
   * (`statusCode`, `code`, `headers`) to Fastify's error handler.
   * @default 'respond'
   */
  readonly onRefuse?: 'respond' | 'next'
}

/** The options of `requireAuth`: a verifier's options or a shared `verifier`, plus answering. */
export type FastifyRequireAuthOptions = AdapterOptions & AnswerOptions

/** The hook, plus what its owner may need: its verifier, readiness, and a way to stop it. */
export interface RequireAuthHook {
  (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void
  readonly verifier: Verifier
  /** Whether tokens can be verified now (for readiness checks). */
  hasKeys(): Promise<boolean>
  /** Stops background work of a verifier this hook created. */
  close(): void
}

/**
 * @param options Issuer, audience, algorithms (keys are discovered from the issuer unless
 *   `jwksUri` or `secret` is given), or a shared `verifier`; scopes, claim check, optional
 *   credentials, and `onRefuse`. A bad option throws `TypeError` here, naming it.
 * @example
 * const auth = requireAuth({ issuer: 'http://localhost:4000', audience: 'gatehouse-api', algorithms: ['EdDSA'] })
 * app.get('/posts', { onRequest: auth }, async (request) => ({ hello: request.gatehouse?.user.name }))
 */
export function requireAuth(options: FastifyRequireAuthOptions): RequireAuthHook {
  const onRefuse = readOnRefuse(options?.onRefuse, 'requireAuth')
  const setup = setUpAdapter(options, 'requireAuth')

  function refuse(
    reply: FastifyReply,
    done: HookHandlerDoneFunction,
    error: GatehouseError<string>,
  ): void {
    if (onRefuse === 'next') {
      done(error)
      return
    }
    // Answering from a hook ends the request there: `done` is not called (Fastify's Hooks docs).
    void reply.code(error.status).headers(error.headers).send(refusalBody(error))
  }

  const hook = function requireAccessToken(
    request: FastifyRequest,
    reply: FastifyReply,
    done: HookHandlerDoneFunction,
  ): void {
    // A token verified before: on at once, with no closure and no promise.
    setup.authenticate(request.headers.authorization, reply, done, admit, refuse)
  }

  return Object.assign(hook, setup.handle)
}

/** Puts the verified token on the request and lets Fastify go on. */
function admit(
  reply: FastifyReply,
  done: HookHandlerDoneFunction,
  verified: VerifiedToken | undefined,
): void {
  reply.request.gatehouse = verified
  done()
}
