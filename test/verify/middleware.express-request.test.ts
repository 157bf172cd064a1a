/**
 * Where the Express adapter keeps `req.gatehouse`: an accessor on Express's request prototype
 * over a map from request to token, not a property added to each request (each one added after
 * Express sets the request's prototype costs V8 a new hidden class). What apps see must not
 * change: each request its own token, in sub-apps and back in the parent app, across requests
 * of one connection, and what the app assigns itself.
 *
 * @see issue 14: a verifier that costs nothing measurable
 */
import http, { IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { requireAuth } from '@gatehouse/express'
import type { VerifiedToken } from '@gatehouse/verify'
import express, { type Express } from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { setRequestToken } from '../../packages/express/src/request-token.js'
import { bearer, request } from '../helpers/test-servers.js'
import { accessClaims, newSecret, signToken } from './token-kit.js'

const ISSUER = 'https://auth.example.test'
const AUDIENCE = 'orders-api'
const SECRET = newSecret()
const OPTIONS = {
  issuer: ISSUER,
  audience: AUDIENCE,
  secret: SECRET,
  algorithms: ['HS256'],
} as const

const tokenFor = (name: string, sub = `user-${name}`) =>
  signToken(accessClaims({ issuer: ISSUER, audience: AUDIENCE, sub, name }), SECRET)

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

async function listen(app: Express): Promise<string> {
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  closers.push(() => new Promise((resolve) => server.close(() => resolve())))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('req.gatehouse in an Express app', () => {
  it('is the token of each request, 200 requests at once with 200 different users, with no property added to the request', async () => {
    const app = express()
    app.get('/me', requireAuth(OPTIONS), (req, res) => {
      res.json({ name: req.gatehouse?.user.name, own: Object.hasOwn(req, 'gatehouse') })
    })
    const url = await listen(app)
    const names = Array.from({ length: 200 }, (_, i) => `user${i}`)
    const tokens = await Promise.all(names.map((name) => tokenFor(name)))
    // Twice: the first round verifies each token, the second finds each in the cache.
    for (const round of ['verified', 'cached']) {
      const answers = await Promise.all(
        tokens.map((token) => request(`${url}/me`, { headers: bearer(token) })),
      )
      expect(
        answers.map((answer) => answer.body),
        round,
      ).toEqual(names.map((name) => ({ name, own: false })))
    }
  })

  it('stays on the request in a mounted sub-app and back in the parent app after it', async () => {
    const sub = express()
    sub.use(requireAuth(OPTIONS))
    sub.get('/me', (req, res) => {
      res.json({ in: 'sub', name: req.gatehouse?.user.name })
    })
    const parent = express()
    parent.use('/sub', sub)
    // Requests the sub-app does not answer come back here, on the parent's request prototype.
    parent.use('/sub', (req, res) => {
      res.json({ in: 'parent', name: req.gatehouse?.user.name })
    })
    const url = await listen(parent)
    const headers = bearer(await tokenFor('Ada'))
    expect((await request(`${url}/sub/me`, { headers })).body).toEqual({ in: 'sub', name: 'Ada' })
    expect((await request(`${url}/sub/elsewhere`, { headers })).body).toEqual({
      in: 'parent',
      name: 'Ada',
    })
  })

  it('is undefined for an anonymous request after an authenticated one on the same connection', async () => {
    const app = express()
    app.get('/me', requireAuth({ ...OPTIONS, credentials: 'optional' }), (req, res) => {
      res.json({ name: req.gatehouse?.user.name ?? null })
    })
    const url = await listen(app)
    const token = await tokenFor('Ada')
    // fetch keeps the connection alive between these requests, so they share a socket.
    expect((await request(`${url}/me`, { headers: bearer(token) })).body).toEqual({ name: 'Ada' })
    expect((await request(`${url}/me`)).body).toEqual({ name: null })
    expect((await request(`${url}/me`, { headers: bearer(token) })).body).toEqual({ name: 'Ada' })
  })

  it('is what the app assigns after requireAuth, and what the next requireAuth verifies after that', async () => {
    const app = express()
    app.get(
      '/me',
      requireAuth(OPTIONS),
      (req, _res, next) => {
        req.gatehouse = undefined
        next()
      },
      (req, res) => {
        res.json({ name: req.gatehouse?.user.name ?? null })
      },
    )
    app.get('/again', requireAuth(OPTIONS), (req, res) => {
      res.json({ name: req.gatehouse?.user.name ?? null })
    })
    const url = await listen(app)
    const headers = bearer(await tokenFor('Ada'))
    expect((await request(`${url}/me`, { headers })).body).toEqual({ name: null })
    expect((await request(`${url}/again`, { headers })).body).toEqual({ name: 'Ada' })
  })

  it('keeps a gatehouse the app gave the request before requireAuth ran, replacing its value', async () => {
    const app = express()
    app.get(
      '/me',
      (req, _res, next) => {
        Object.defineProperty(req, 'gatehouse', { value: undefined, writable: true })
        next()
      },
      requireAuth(OPTIONS),
      (req, res) => {
        res.json({ name: req.gatehouse?.user.name, own: Object.hasOwn(req, 'gatehouse') })
      },
    )
    const url = await listen(app)
    // The second request takes the path of a prototype seen before.
    for (const name of ['Ada', 'Grace']) {
      const headers = bearer(await tokenFor(name))
      expect((await request(`${url}/me`, { headers })).body).toEqual({ name, own: true })
    }
  })
})

describe('setRequestToken outside an Express request', () => {
  const verified = { user: { id: 'user-1', name: 'Ada' } } as unknown as VerifiedToken

  it('gives a bare node:http request an own property, and defines nothing on node:http', async () => {
    const server = http.createServer((req, res) => {
      setRequestToken(req as { gatehouse?: VerifiedToken }, verified)
      res.end(
        JSON.stringify({
          same: (req as { gatehouse?: VerifiedToken }).gatehouse === verified,
          own: Object.hasOwn(req, 'gatehouse'),
        }),
      )
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    closers.push(() => new Promise((resolve) => server.close(() => resolve())))
    const { port } = server.address() as AddressInfo
    expect((await request(`http://127.0.0.1:${port}/`)).body).toEqual({ same: true, own: true })
    expect(Object.getOwnPropertyDescriptor(IncomingMessage.prototype, 'gatehouse')).toBeUndefined()
  })

  it('leaves a gatehouse accessor of someone else on the request prototype alone', () => {
    let theirs: unknown
    const prototype = Object.create(IncomingMessage.prototype, {
      gatehouse: {
        get: () => theirs,
        set: (value: unknown) => {
          theirs = value
        },
      },
    })
    const req = Object.create(Object.create(prototype))
    setRequestToken(req, verified)
    expect(theirs).toBe(verified)
    expect(req.gatehouse).toBe(verified)
  })
})
