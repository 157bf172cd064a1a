/**
 * An error's `details` reach the JSON body beside `code`, `message` and `requestId` (the fresh
 * challenge of a wrong second-factor code), can never overwrite those three, and are never sent
 * with a 5xx, whose body says nothing more than the registry's message.
 *
 * @see issue 15, point 4
 */

import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GatehouseError } from '../../src/errors/index.js'
import { createBaseApp, finishApp } from '../../src/http/create-base-app.js'
import { createLogger } from '../../src/logging/create-logger.js'

describe('error details', () => {
  let server: Server
  let url: string
  beforeAll(async () => {
    const logger = createLogger('test', 'silent')
    const app = createBaseApp(logger, { trustProxy: false, corsOrigins: [] })
    app.get('/client-error', () => {
      throw new GatehouseError('ERR_MFA_CODE_INVALID', {
        details: { challenge: 'fresh', methods: ['totp'], code: 'ERR_FORGED', requestId: 'forged' },
      })
    })
    app.get('/server-error', () => {
      throw new GatehouseError('ERR_STORE_UNAVAILABLE', { details: { challenge: 'leaked' } })
    })
    finishApp(app, logger)
    server = app.listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise((resolve) => server.close(resolve)))

  it('spreads the details into a 4xx body, under code, message and requestId', async () => {
    const res = await fetch(`${url}/client-error`)
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({
      challenge: 'fresh',
      methods: ['totp'],
      code: 'ERR_MFA_CODE_INVALID',
      message: 'The code is wrong, expired or already used',
      requestId: res.headers.get('x-request-id'),
    })
  })

  it('sends no details with a 5xx', async () => {
    const res = await fetch(`${url}/server-error`)
    expect(res.status).toBe(503)
    expect(Object.keys((await res.json()) as object).sort()).toEqual([
      'code',
      'message',
      'requestId',
    ])
  })
})
