import { EventEmitter, once } from 'node:events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApiServer } from '../../src/api-server/build-api-server.js'
import { createLogger } from '../../src/logging/create-logger.js'
import { type RunningServer, startServer } from '../../src/main/start-server.js'
import { bearer, makeTempDir, request, sendJson, testConfig } from '../helpers/test-servers.js'
import { accessClaims, newSecret, signToken } from '../verify/token-kit.js'

/** A pino destination that keeps every line, and says when one arrives. */
function memoryLog() {
  const lines: Record<string, any>[] = []
  const events = new EventEmitter()
  return {
    lines,
    destination: {
      write(line: string) {
        lines.push(JSON.parse(line))
        events.emit('line')
      },
    },
    /** The next request line (waits for it when the response came back first). */
    async nextRequestLine(after: number): Promise<Record<string, any>> {
      for (;;) {
        const line = lines.slice(after).find((entry) => entry.msg === 'request')
        if (line) return line
        await once(events, 'line')
      }
    },
  }
}

describe("the API server's request log", () => {
  const temp = makeTempDir('gatehouse-log-')
  const secret = newSecret()
  const log = memoryLog()
  let running: RunningServer
  let url: string
  let token: string
  beforeAll(async () => {
    const config = testConfig(temp.dir, { ACCESS_TOKEN_SECRET: secret, LOG_LEVEL: 'info' })
    const built = await buildApiServer(config, createLogger('api-server', 'info', log.destination))
    running = await startServer(built, 0, '127.0.0.1')
    url = `http://127.0.0.1:${running.port}`
    token = await signToken(
      accessClaims({ issuer: config.issuer, audience: config.audience }),
      secret,
    )
  })
  afterAll(async () => {
    await running.close()
    temp.remove()
  })

  async function logged(send: () => Promise<unknown>) {
    const before = log.lines.length
    await send()
    return log.nextRequestLine(before)
  }

  it('logs method, path and status of a served request', async () => {
    const line = await logged(() => request(`${url}/posts`, { headers: bearer(token) }))
    expect(line).toMatchObject({ method: 'GET', path: '/posts', status: 200 })
  })

  it('logs the real path of a request the verifier refuses', async () => {
    const line = await logged(() => request(`${url}/posts`))
    expect(line).toMatchObject({ method: 'GET', path: '/posts', status: 401 })
  })

  it('logs the real path of a refused DELETE /posts/:id', async () => {
    const line = await logged(() =>
      request(`${url}/posts/some-id`, { method: 'DELETE', headers: bearer('bad') }),
    )
    expect(line).toMatchObject({ method: 'DELETE', path: '/posts/some-id', status: 403 })
  })

  it('never writes the token, the Authorization header or the body to the log', async () => {
    await logged(() =>
      sendJson(`${url}/posts`, { title: 'secret-title-xyz' }, 'POST', bearer(token)),
    )
    await logged(() => request(`${url}/posts?access_token=${token}`))
    const text = JSON.stringify(log.lines)
    expect(text).not.toContain(token)
    expect(text).not.toContain(token.split('.')[2])
    expect(text).not.toMatch(/authorization/i)
    expect(text).not.toContain('secret-title-xyz')
  })
})
