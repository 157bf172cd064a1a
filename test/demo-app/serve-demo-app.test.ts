/**
 * The demo app's Node side: only the built page's three files, under a strict CSP, and
 * `/config.json` naming the servers on the hostname the browser used.
 */
import fs from 'node:fs'
import { request as httpRequest } from 'node:http'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDemoApp, demoAppConfig } from '../../src/demo-app/serve-demo-app.js'
import type { RunningServer } from '../../src/main/start-server.js'
import { bindTestPort, makeTempDir, request } from '../helpers/test-servers.js'

/** A GET with a Host header of the test's choosing (fetch may not set one). */
function getWithHost(port: number, pathname: string, host: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: pathname, headers: { host } },
      (res) => {
        let body = ''
        res.setEncoding('utf8').on('data', (chunk: string) => {
          body += chunk
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      },
    )
    req.on('error', reject)
    req.end()
  })
}

describe('the demo app server', () => {
  const root = makeTempDir('gatehouse-demo-root-')
  let server: RunningServer
  let base: string

  beforeAll(async () => {
    for (const [file, text] of Object.entries({
      'index.html': '<!doctype html><title>demo</title>',
      'app.js': 'export {}',
      'styles.css': 'body{}',
      'serve-demo-app.js': '// the server itself: never served',
    }))
      fs.writeFileSync(path.join(root.dir, file), text)
    const bound = await bindTestPort('DEMO_APP_PORT')
    server = bound.serve({
      app: createDemoApp({ root: root.dir, authPort: 4100, apiPort: 3100 }),
      drain() {},
      close: async () => {},
    })
    base = `http://127.0.0.1:${server.port}`
  })
  afterAll(async () => {
    await server?.close()
    root.remove()
  })

  it('names the servers on the hostname the page was opened with, never cached', async () => {
    const res = await request(`${base}/config.json`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ authUrl: 'http://127.0.0.1:4100', apiUrl: 'http://127.0.0.1:3100' })
    expect(res.headers.get('cache-control')).toBe('no-store')
    const viaLocalhost = await getWithHost(server.port, '/config.json', `localhost:${server.port}`)
    expect(JSON.parse(viaLocalhost.body)).toEqual({
      authUrl: 'http://localhost:4100',
      apiUrl: 'http://localhost:3100',
    })
  })

  it('refuses to echo a Host header that is not a plain hostname', async () => {
    const res = await getWithHost(server.port, '/config.json', 'evil.example"><script>')
    expect(res.status).toBe(400)
    expect(demoAppConfig('[::1]', { authPort: 1, apiPort: 2 })).toBeUndefined()
  })

  it('serves the page under a CSP that allows scripts from itself and requests to the two servers only', async () => {
    const res = await request(`${base}/`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.body).toBe('<!doctype html><title>demo</title>')
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self' http://127.0.0.1:4100 http://127.0.0.1:3100; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    )
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect((await request(`${base}/app.js`)).headers.get('content-type')).toBe(
      'text/javascript; charset=utf-8',
    )
  })

  it('serves nothing but the page, its script and its styles', async () => {
    for (const pathname of ['/serve-demo-app.js', '/../package.json', '/index.html/x', '/.env']) {
      expect((await request(`${base}${pathname}`)).status, pathname).toBe(404)
    }
  })
})
