// Runs in plain Node in the consumer project: each adapter, protecting a route as the README
// shows, answers a request without a token with 401 and its challenge. Prints one JSON line.
import http from 'node:http'
import { requireAuth as expressAuth } from '@gatehouse/express'
import { requireAuth as fastifyAuth } from '@gatehouse/fastify'
import { requireAuth as nodeAuth } from '@gatehouse/verify/node'
import express from 'express'
import Fastify from 'fastify'

const options = {
  issuer: 'http://127.0.0.1:1',
  audience: 'gatehouse-api',
  algorithms: ['HS256'],
  secret: 'a-shared-secret-of-at-least-32-bytes!',
}

async function ask(server) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const res = await fetch(`http://127.0.0.1:${server.address().port}/posts`)
  const answer = {
    status: res.status,
    challenge: res.headers.get('www-authenticate'),
    body: await res.json(),
  }
  await new Promise((resolve) => server.close(resolve))
  return answer
}

const app = express()
app.get('/posts', expressAuth(options), (_req, res) => res.json({}))
const fastify = Fastify()
fastify.get('/posts', { onRequest: fastifyAuth(options) }, async () => ({}))
await fastify.ready()
const protect = nodeAuth(options)

console.log(
  JSON.stringify({
    express: await ask(http.createServer(app)),
    fastify: await ask(fastify.server),
    node: await ask(http.createServer(protect((_req, res) => res.end('{}')))),
  }),
)
