/**
 * The server under test of the `adapters` part, one child process per row:
 * `node --import tsx bench/adapter-server.ts <framework> <none|gatehouse>` serves the tutorial's
 * `GET /posts` on Express 5, Fastify 5 or bare `node:http`, with no auth or behind that
 * framework's Gatehouse adapter (EdDSA keys from the bench's JWKS, revocation feed on). It speaks
 * the IPC of `bench/server.ts`: `{ port }` once listening (after the feed has synced).
 *
 * @module
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { requireAuth as expressAuth } from '@gatehouse/express'
import { requireAuth as fastifyAuth } from '@gatehouse/fastify'
import { createVerifier, type VerifierOptions } from '@gatehouse/verify'
import { requireAuth as nodeAuth } from '@gatehouse/verify/node'
import express from 'express'
import Fastify from 'fastify'
import {
  AUDIENCE,
  FEED_TOKEN,
  FRAMEWORKS,
  type Framework,
  ISSUER,
  JWKS_URI_ENV,
  REVOCATIONS_URL_ENV,
} from './config.js'

const POSTS = [
  { author: 'Jane', title: 'Post 1' },
  { author: 'John', title: 'Post 2' },
  { author: 'Jane', title: 'Post 3' },
  { author: 'John', title: 'Post 4' },
  { author: 'Ann', title: 'Post 5' },
]
const postsOf = (name: string | undefined) => POSTS.filter((post) => post.author === name)

const framework = process.argv[2] as Framework
const withAuth = process.argv[3] === 'gatehouse'
if (!FRAMEWORKS.includes(framework)) throw new Error(`unknown framework "${framework}"`)

/** One verifier per server, shared by the route, with the feed on as an API server runs it. */
function verifier() {
  const jwksUri = process.env[JWKS_URI_ENV]
  const url = process.env[REVOCATIONS_URL_ENV]
  if (!jwksUri || !url) throw new Error(`${JWKS_URI_ENV} and ${REVOCATIONS_URL_ENV} must be set`)
  const options: VerifierOptions = {
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ['EdDSA'],
    jwksUri,
    revocations: { url, token: FEED_TOKEN },
  }
  return createVerifier(options)
}

async function serve(): Promise<http.Server> {
  const shared = withAuth ? verifier() : undefined
  await shared?.revocations?.then((feed) => feed.synced)
  if (framework === 'express') {
    const app = express()
    app.disable('x-powered-by')
    app.disable('etag')
    const middleware = shared ? [expressAuth({ verifier: shared })] : []
    app.get('/posts', ...middleware, (req, res) => {
      res.json(postsOf(shared ? req.gatehouse?.user.name : 'Jane'))
    })
    return http.createServer(app)
  }
  if (framework === 'fastify') {
    const app = Fastify()
    const onRequest = shared ? [fastifyAuth({ verifier: shared })] : []
    app.get('/posts', { onRequest }, async (request) =>
      postsOf(shared ? request.gatehouse?.user.name : 'Jane'),
    )
    await app.ready()
    return app.server
  }
  const send = (res: http.ServerResponse, name: string | undefined) => {
    const body = JSON.stringify(postsOf(name))
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    })
    res.end(body)
  }
  if (!shared) return http.createServer((_req, res) => send(res, 'Jane'))
  const protect = nodeAuth({ verifier: shared })
  return http.createServer(protect((_req, res, auth) => send(res, auth?.user.name)))
}

const server = await serve()
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo
  process.send?.({ port })
})
process.on('disconnect', () => process.exit(0))
// An exit, not a kill, so that `--cpu-prof` writes its profile.
process.on('SIGTERM', () => process.exit(0))
