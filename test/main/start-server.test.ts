/**
 * `bindServer` takes the port before the server is built: what reaches it meanwhile gets a
 * retryable 503, and a port in use is one line naming the setting.
 *
 * @see issue 11, points 5 and 7
 */
import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { bindServer } from '../../src/main/start-server.js'
import { StartupError } from '../../src/main/startup-error.js'
import { request } from '../helpers/test-servers.js'

describe('bindServer', () => {
  it('answers 503 ERR_STARTING with Retry-After until the server is built', async () => {
    const bound = await bindServer('AUTH_SERVER_PORT', 0, '127.0.0.1')
    try {
      const res = await request(`http://127.0.0.1:${bound.port}/healthz`)
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBe('1')
      expect(res.body).toEqual({
        code: 'ERR_STARTING',
        message: 'The server is starting; try again shortly',
      })
    } finally {
      await bound.release()
    }
  })

  it('throws a StartupError naming the setting when the port is in use', async () => {
    const holder = net.createServer()
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
    const { port } = holder.address() as net.AddressInfo
    try {
      const failed = bindServer('API_SERVER_PORT', port, '127.0.0.1')
      await expect(failed).rejects.toBeInstanceOf(StartupError)
      await expect(failed).rejects.toThrow(
        `API_SERVER_PORT: port ${port} is already in use; stop the program that uses it, or set API_SERVER_PORT to another port`,
      )
    } finally {
      await new Promise((resolve) => holder.close(resolve))
    }
  })
})
