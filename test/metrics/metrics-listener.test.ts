/**
 * The management listener: `GET /metrics` only (other methods and paths 404), never cached, and
 * a port it cannot take stops the start with one line naming the setting.
 *
 * @see issue 13, point 2
 */
import { Counter, Registry } from 'prom-client'
import { afterEach, describe, expect, it } from 'vitest'
import { StartupError } from '../../src/main/startup-error.js'
import { listenForMetrics, type MetricsListener } from '../../src/metrics/metrics-listener.js'
import { parseExposition } from '../helpers/metrics-kit.js'

describe('listenForMetrics', () => {
  const listeners: MetricsListener[] = []
  afterEach(async () => {
    await Promise.all(listeners.splice(0).map((listener) => listener.close()))
  })

  async function listen(registry: Registry, port = 0): Promise<MetricsListener> {
    const listener = await listenForMetrics('METRICS_PORT', port, '127.0.0.1', registry)
    listeners.push(listener)
    return listener
  }

  it('serves its registry at GET /metrics, uncached, and nothing else', async () => {
    const registry = new Registry()
    new Counter({ name: 'probe_total', help: 'A probe', registers: [registry] }).inc(3)
    const { port } = await listen(registry)
    const res = await fetch(`http://127.0.0.1:${port}/metrics?x=1`)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(parseExposition(await res.text()).get('probe_total')).toBe(3)
    for (const [path, method] of [
      ['/metrics', 'POST'],
      ['/', 'GET'],
      ['/metrics/', 'GET'],
    ] as const) {
      const other = await fetch(`http://127.0.0.1:${port}${path}`, { method })
      expect(other.status).toBe(404)
      expect(await other.json()).toEqual({ code: 'ERR_NOT_FOUND', message: 'Not found' })
    }
  })

  it('refuses a port in use with a StartupError naming the setting', async () => {
    const { port } = await listen(new Registry())
    const second = listenForMetrics('METRICS_PORT', port, '127.0.0.1', new Registry())
    await expect(second).rejects.toBeInstanceOf(StartupError)
    await expect(second).rejects.toThrow(`METRICS_PORT: port ${port} cannot be bound (EADDRINUSE)`)
  })
})
