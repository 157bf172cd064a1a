/**
 * `req.gatehouse` in Express: kept beside the request rather than added to it (a new property
 * on an Express request costs a hidden class of its own), yet read and written as a property of
 * the request everywhere an app may look for it.
 *
 * @see issue 14, point 3
 */
import http, { type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { requireAuth } from '@gatehouse/express'
import type { VerifiedToken } from '@gatehouse/verify'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, request } from '../helpers/test-servers.js'
import { accessClaims, newSecret, signToken } from './token-kit.js'

const ISSUER = 'https://auth.example.test'
const AUDIENCE = 'orders-api'
const SECRET = newSecret()

const tokenFor = (name: string) =>
  signToken(accessClaims({ issuer: ISSUER, audience: AUDIENCE, name }), SECRET)

const nameOf = (req: express.Request) => req.gatehouse?.user.name ?? null

describe('req.gatehouse in an Express app', () => {
  const guard = requireAuth({
    issuer: ISSUER,
    audience: AUDIENCE,
    secret: SECRET,
    algorithms: ['HS256'],
  })
  let server: Server
  let url: string

  beforeAll(async () => {
    const app = express()
    // A sub-app that protects everything under /api, then hands unmatched paths back.
    const api = express()
    api.use(guard)
    api.get('/me', (req, res) => {
      res.json({ name: nameOf(req) })
    })
    app.use('/api', api)
    app.get('/api/after', (req, res) => {
      res.json({ name: nameOf(req) })
    })
    app.get('/slow', guard, async (req, res) => {
      const before = nameOf(req)
      await new Promise((resolve) => setTimeout(resolve, 50))
      res.json({ before, after: nameOf(req) })
    })
    app.get('/replaced', guard, (req, _res, next) => {
      req.gatehouse = { ...(req.gatehouse as VerifiedToken), user: { id: 'x', name: 'Replaced' } }
      next()
    })
    app.get('/replaced', (req, res) => {
      res.json({ name: nameOf(req) })
    })
    app.get('/open', (req, res) => {
      res.json({ name: nameOf(req) })
    })
    server = http.createServer(app)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    guard.close()
    await new Promise((resolve) => server.close(resolve))
  })

  it('is the verified token in the route behind the guard', async () => {
    const res = await request(`${url}/api/me`, { headers: bearer(await tokenFor('Ada')) })
    expect(res.body).toEqual({ name: 'Ada' })
  })

  it('is still there once a sub-app hands the request back to its parent', async () => {
    const res = await request(`${url}/api/after`, { headers: bearer(await tokenFor('Bob')) })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ name: 'Bob' })
  })

  it("is each request's own while several are in flight", async () => {
    const names = ['Ada', 'Bob', 'Cy', 'Di']
    const tokens = await Promise.all(names.map(tokenFor))
    // Every token verified once, so the concurrent requests below all hit the cache.
    await Promise.all(tokens.map((token) => request(`${url}/slow`, { headers: bearer(token) })))
    const answers = await Promise.all(
      tokens.map((token) => request(`${url}/slow`, { headers: bearer(token) })),
    )
    expect(answers.map((res) => res.body)).toEqual(
      names.map((name) => ({ before: name, after: name })),
    )
  })

  it('is what the app sets it to, for the handlers after', async () => {
    const res = await request(`${url}/replaced`, { headers: bearer(await tokenFor('Ada')) })
    expect(res.body).toEqual({ name: 'Replaced' })
  })

  it('is undefined on a route the guard does not protect', async () => {
    await request(`${url}/api/me`, { headers: bearer(await tokenFor('Ada')) })
    const res = await request(`${url}/open`, { headers: bearer(await tokenFor('Ada')) })
    expect(res.body.name).toBeNull()
  })
})
