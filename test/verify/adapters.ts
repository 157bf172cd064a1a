/**
 * Every adapter of the verifier behind one interface, as `test/store/backends.ts` puts every
 * store backend behind one: a real server on port 0 per adapter (Express 5, Fastify 5, bare
 * `node:http`) with the same routes, so one behaviour suite runs against all of them.
 *
 * - `GET /me`: protected; answers `{ user, auth, scopes }` from the verified token (`null`s for
 *   an anonymous request).
 * - `GET /open`: unprotected.
 * With `appHandlesRefusals`, refusals go to the app's own error handling (`onRefuse: 'next'` or
 * its node:http equivalent), which answers `{ handledBy: 'app', code }` with the error's status
 * and headers.
 */
import http, { type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { requireAuth as expressAuth } from '@gatehouse/express'
import { requireAuth as fastifyAuth, gatehouse } from '@gatehouse/fastify'
import type { AdapterOptions, GatehouseError, VerifiedToken } from '@gatehouse/verify'
import { requireAuth as nodeAuth } from '@gatehouse/verify/node'
import express from 'express'
import Fastify from 'fastify'

export interface StartedAdapter {
  readonly url: string
  close(): Promise<void>
}

export interface AdapterKit {
  readonly name: 'express' | 'fastify' | 'node:http'
  start(options: AdapterOptions, appHandlesRefusals?: boolean): Promise<StartedAdapter>
}

function view(auth: VerifiedToken | undefined) {
  return {
    user: auth?.user ?? null,
    auth: auth?.claims ?? null,
    scopes: auth ? [...auth.scopes] : null,
  }
}

const appAnswer = (error: GatehouseError<string>) => ({ handledBy: 'app', code: error.code })

async function listen(server: Server): Promise<StartedAdapter> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

const expressKit: AdapterKit = {
  name: 'express',
  async start(options, appHandlesRefusals = false) {
    const guard = expressAuth({ ...options, onRefuse: appHandlesRefusals ? 'next' : 'respond' })
    const app = express()
    app.get('/me', guard, (req, res) => {
      res.json(view(req.gatehouse))
    })
    app.get('/open', (_req, res) => {
      res.json({ open: true })
    })
    app.use(
      (error: GatehouseError, _req: express.Request, res: express.Response, _next: unknown) => {
        res.status(error.status).set(error.headers).json(appAnswer(error))
      },
    )
    const started = await listen(http.createServer(app))
    return { url: started.url, close: () => started.close().finally(() => guard.close()) }
  },
}

const fastifyKit: AdapterKit = {
  name: 'fastify',
  async start(options, appHandlesRefusals = false) {
    const hook = fastifyAuth({ ...options, onRefuse: appHandlesRefusals ? 'next' : 'respond' })
    const app = Fastify()
    await app.register(gatehouse, { hooks: [hook] })
    app.get('/me', { onRequest: hook }, async (request) => view(request.gatehouse))
    app.get('/open', async () => ({ open: true }))
    app.setErrorHandler((error: GatehouseError, _request, reply) => {
      void reply.code(error.statusCode).headers(error.headers).send(appAnswer(error))
    })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = app.server.address() as AddressInfo
    return { url: `http://127.0.0.1:${port}`, close: () => app.close() }
  },
}

const nodeKit: AdapterKit = {
  name: 'node:http',
  async start(options, appHandlesRefusals = false) {
    const json = (res: http.ServerResponse, status: number, body: unknown, headers = {}) => {
      res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8' })
      res.end(JSON.stringify(body))
    }
    const protect = nodeAuth({
      ...options,
      onRefuse: appHandlesRefusals
        ? (error, _req, res) => json(res, error.status, appAnswer(error), error.headers)
        : 'respond',
    })
    const me = protect((_req, res, auth) => json(res, 200, view(auth)))
    const started = await listen(
      http.createServer((req, res) => {
        if (req.url === '/me') me(req, res)
        else json(res, 200, { open: true })
      }),
    )
    return { url: started.url, close: () => started.close().finally(() => protect.close()) }
  },
}

/** Every adapter, for `describe.each`. */
export const ADAPTERS: readonly AdapterKit[] = [expressKit, fastifyKit, nodeKit]

/**
 * A Fastify app whose hook hands refusals on (`onRefuse: 'next'`) to Fastify's DEFAULT error
 * handler: no `setErrorHandler`, so what the client gets is what Fastify itself makes of a
 * `GatehouseError`.
 */
export async function startFastifyWithDefaultErrorHandler(
  options: AdapterOptions,
): Promise<StartedAdapter> {
  const hook = fastifyAuth({ ...options, onRefuse: 'next' })
  const app = Fastify()
  await app.register(gatehouse, { hooks: [hook] })
  app.get('/me', { onRequest: hook }, async (request) => view(request.gatehouse))
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() }
}
