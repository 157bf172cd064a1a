/**
 * The real thing for the browser tests: the auth and API servers (`startTestServers`) and the
 * demo app built into a folder of its own and served on its own port, whose origin is the only
 * one in `CORS_ORIGINS`. The page is opened as `http://localhost:<port>`, so it talks to the
 * servers as `localhost` (one site, as `npm start` sets it up).
 *
 * Every request to the auth server's cookie routes is recorded as the server saw it (method,
 * path, status, `Origin`, and which refresh cookie it carried, as a digest: a test never holds
 * the token itself), so that tests count refreshes and refusals at the server, not in the page.
 */

import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'
import { createDemoApp } from '../../src/demo-app/serve-demo-app.js'
import type { RunningServer } from '../../src/main/start-server.js'
import { ROOT } from '../helpers/start-script.js'
import {
  bindTestPort,
  makeTempDir,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'

/** One request to `/session/*`, once answered. */
export interface CookieRouteCall {
  readonly method: string
  readonly path: string
  readonly status: number
  readonly origin: string | undefined
  readonly secFetchSite: string | undefined
  /** A digest of the refresh cookie it carried; `undefined` when it carried none. */
  readonly cookie: string | undefined
  /** When it was answered, `performance.now()` milliseconds. */
  readonly at: number
}

export interface DemoStack {
  readonly servers: TestServers
  /** `http://localhost:<port>/`: the demo page. */
  readonly pageUrl: string
  readonly demoPort: number
  /** Every answered request to `/session/*`, in order. */
  readonly calls: readonly CookieRouteCall[]
  /** Resolves with the next answered call that `match` accepts. */
  nextCall(match: (call: CookieRouteCall) => boolean): Promise<CookieRouteCall>
  close(): Promise<void>
}

/** A digest of the refresh cookie (`name=value`) in a `Cookie` header; `undefined` without one. */
export function cookieDigest(header: string | undefined): string | undefined {
  const value = header
    ?.split(';')
    .map((part) => part.trim())
    .find((part) => /^(__Secure-)?gatehouse-refresh=/.test(part))
  return value ? createHash('sha256').update(value).digest('hex').slice(0, 16) : undefined
}

/**
 * @param env Variables for both servers (e.g. `ACCESS_TOKEN_TTL: '6s'`).
 * @example
 * const stack = await startDemoStack({ ACCESS_TOKEN_TTL: '6s' })
 * afterAll(() => stack.close())
 */
export async function startDemoStack(env: Record<string, string> = {}): Promise<DemoStack> {
  const built = makeTempDir('gatehouse-demo-app-')
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-demo-app.mjs'), built.dir], {
    cwd: ROOT,
    stdio: 'pipe',
  })
  // The demo's port first: its origin must be in CORS_ORIGINS before the servers are built.
  const bound = await bindTestPort('DEMO_APP_PORT')
  let servers: TestServers
  try {
    servers = await startTestServers({
      CORS_ORIGINS: `http://localhost:${bound.port}`,
      ...env,
    })
  } catch (error) {
    await bound.release()
    built.remove()
    throw error
  }
  const calls: CookieRouteCall[] = []
  const waiters = new Set<{
    match: (call: CookieRouteCall) => boolean
    resolve: (call: CookieRouteCall) => void
  }>()
  servers.auth.server.on(
    'request',
    function recordCookieRoute(req: IncomingMessage, res: ServerResponse) {
      const url = req.url ?? ''
      if (!url.startsWith('/session/')) return
      res.once('finish', () => {
        const call: CookieRouteCall = {
          method: req.method ?? '',
          path: url.split('?')[0] ?? url,
          status: res.statusCode,
          origin: req.headers.origin,
          secFetchSite: req.headers['sec-fetch-site'] as string | undefined,
          cookie: cookieDigest(req.headers.cookie),
          at: performance.now(),
        }
        calls.push(call)
        for (const waiter of waiters) {
          if (!waiter.match(call)) continue
          waiters.delete(waiter)
          waiter.resolve(call)
        }
      })
    },
  )
  const demo: RunningServer = bound.serve({
    app: createDemoApp({ root: built.dir, authPort: servers.auth.port, apiPort: servers.api.port }),
    drain() {},
    close: async () => {},
  })
  return {
    servers,
    pageUrl: `http://localhost:${demo.port}/`,
    demoPort: demo.port,
    calls,
    nextCall: (match) => new Promise((resolve) => waiters.add({ match, resolve })),
    async close() {
      await Promise.all([demo.close(), servers.close()])
      built.remove()
    },
  }
}

/** A POST to `/session/refresh` from the demo page. */
export function isPageRefresh(stack: DemoStack): (call: CookieRouteCall) => boolean {
  const origin = `http://localhost:${stack.demoPort}`
  return (call) =>
    call.method === 'POST' && call.path === '/session/refresh' && call.origin === origin
}
