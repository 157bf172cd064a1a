/**
 * Graceful shutdown of one server, in process, with a keep-alive client: the requests a client
 * has already sent are answered (and told `Connection: close`), new connections are refused, and
 * `/readyz` turns 503 as soon as shutdown begins.
 */
import http from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { type BuiltServer, buildAuthServer } from '../../src/auth-server/build-auth-server.js'
import { createLogger } from '../../src/logging/create-logger.js'
import { type RunningServer, startServer } from '../../src/main/start-server.js'
import { expectUnready } from '../health/health-kit.js'
import { makeTempDir, request, testConfig } from '../helpers/test-servers.js'
import { send } from './shutdown-kit.js'

describe('an auth server shutting down under a keep-alive client', () => {
  const cleanups: (() => Promise<void> | void)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  async function start(): Promise<{ built: BuiltServer; running: RunningServer; url: string }> {
    const temp = makeTempDir()
    const built = await buildAuthServer(testConfig(temp.dir), createLogger('test', 'silent'))
    const running = await startServer(built, 0, '127.0.0.1')
    cleanups.push(temp.remove, () => running.close())
    return { built, running, url: `http://127.0.0.1:${running.port}` }
  }

  it('answers a login already written on an idle keep-alive connection, with Connection: close', async () => {
    const { running, url } = await start()
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    cleanups.push(() => agent.destroy())
    const warm = await send({ agent, url: `${url}/healthz` })
    expect(warm).toMatchObject({ status: 200, connection: 'keep-alive', body: { status: 'ok' } })

    // The login goes out on the pooled, idle connection; shutdown begins the moment it is
    // written, before the server can have read it.
    let closing: Promise<void> | undefined
    const login = await send({
      agent,
      url: `${url}/login`,
      method: 'POST',
      body: { username: 'Jane', password: 'abcd' },
      onSent: () => {
        closing = running.close()
      },
    })
    expect(login.error).toBeUndefined()
    expect(login.status).toBe(200)
    expect(login.connection).toBe('close')
    expect(login.body).toMatchObject({ tokenType: 'Bearer', accessToken: expect.any(String) })
    await closing

    const after = await send({ agent, url: `${url}/healthz` })
    expect(after).toMatchObject({ error: 'ECONNREFUSED' })
  })

  it('answers /readyz with 503 "stopping" once shutdown has begun, while /healthz stays 200', async () => {
    const { built, url } = await start()
    built.drain()
    expectUnready(await request(`${url}/readyz`), {}, 'stopping')
    const health = await request(`${url}/healthz`)
    expect(health.status).toBe(200)
    expect(health.body).toEqual({ status: 'ok' })
  })
})
