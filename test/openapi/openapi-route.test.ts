/**
 * `GET /openapi.json` builds its document on the first request, not at start-up (the document's
 * modules are loaded then), keeps it, and tries again after a build that failed.
 *
 * @see issue 14: cold start
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import type { OpenApiDocument } from '../../src/openapi/build-document.js'
import { openApiRoute } from '../../src/openapi/openapi-route.js'

const DOCUMENT = { openapi: '3.1.0', info: { title: 't', version: '1' } } as OpenApiDocument

describe('openApiRoute', () => {
  let server: Server | undefined
  afterEach(
    () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  )

  async function serve(build: () => Promise<OpenApiDocument>): Promise<string> {
    const app = express()
    app.get('/openapi.json', openApiRoute(build))
    app.use(((_error, _req, res, _next) => {
      res.status(500).json({ code: 'ERR_INTERNAL' })
    }) as express.ErrorRequestHandler)
    server = app.listen(0, '127.0.0.1')
    await new Promise((resolve) => server?.once('listening', resolve))
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/openapi.json`
  }

  it('builds nothing until the first request, then builds once for every request', async () => {
    let builds = 0
    const url = await serve(async () => {
      builds += 1
      return DOCUMENT
    })
    expect(builds).toBe(0)
    const answers = await Promise.all([fetch(url), fetch(url), fetch(url)])
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200])
    expect(await answers[0]?.json()).toEqual(DOCUMENT)
    expect(answers[0]?.headers.get('cache-control')).toBe('public, max-age=300')
    expect(builds).toBe(1)
  })

  it('answers 500 when the build fails, and builds again on the next request', async () => {
    let builds = 0
    const url = await serve(async () => {
      builds += 1
      if (builds === 1) throw new Error('module failed to load')
      return DOCUMENT
    })
    expect((await fetch(url)).status).toBe(500)
    const second = await fetch(url)
    expect(second.status).toBe(200)
    expect(await second.json()).toEqual(DOCUMENT)
    expect(builds).toBe(2)
  })
})
