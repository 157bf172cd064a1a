// A small consumer of every package, type-checked with moduleResolution NodeNext and strict in a
// project outside the repository (test/packaging/tarballs.test.ts): the README's three set-ups.
import http from 'node:http'
import {
  createClient,
  type GatehouseClient,
  GatehouseClientError,
  type SessionInfo,
  type SignOutReason,
  type User,
} from '@gatehouse/client'
import { requireAuth as expressAuth } from '@gatehouse/express'
import { requireAuth as fastifyAuth, gatehouse } from '@gatehouse/fastify'
import { createVerifier, type GatehouseError, isGatehouseError } from '@gatehouse/verify'
import { requireAuth as nodeAuth } from '@gatehouse/verify/node'
import express from 'express'
import Fastify from 'fastify'

const options = {
  issuer: 'http://127.0.0.1:1',
  audience: 'gatehouse-api',
  algorithms: ['HS256'],
  secret: 'a-shared-secret-of-at-least-32-bytes!',
} as const

const app = express()
app.get('/posts', expressAuth({ ...options, requiredScopes: ['posts:read'] }), (req, res) => {
  const name: string | undefined = req.gatehouse?.user.name
  res.json({ name })
})

const fastify = Fastify()
const hook = fastifyAuth({ ...options, credentials: 'optional' })
await fastify.register(gatehouse, { hooks: [hook] })
fastify.get('/posts', { onRequest: hook }, async (request) => ({
  name: request.gatehouse?.user.name ?? 'anonymous',
}))

const protect = nodeAuth(options)
const server = http.createServer(protect((_req, res, auth) => res.end(auth?.claims.sub)))

const verifier = createVerifier(options)
const refusal: unknown = await verifier.verify(undefined).catch((error: unknown) => error)
if (isGatehouseError(refusal)) {
  const error: GatehouseError<string> = refusal
  console.log(error.status, error.code, error.headers['www-authenticate'])
}

const client: GatehouseClient = createClient({ authUrl: 'http://127.0.0.1:1', transport: 'bearer' })
const off: () => void = client.on('signedOut', ({ reason }: { reason: SignOutReason }) => {
  console.log(reason)
})
const signedIn: User | null = await client
  .login({ username: 'Jane', password: 'abcd' })
  .catch((error: unknown) => {
    if (error instanceof GatehouseClientError) console.log(error.code, error.status)
    return null
  })
const sessions: SessionInfo[] = signedIn ? await client.sessions() : []
const answer: Response = await client.fetch(new URL('http://127.0.0.1:1/posts'), { method: 'GET' })
console.log(sessions.length, answer.status)
off()
client.dispose()

export { app, client, fastify, server }
