/**
 * The Node side of the demo web app: a tiny static server for the bundle that `npm run build`
 * writes to `dist/demo-app/` (`index.html`, `app.js`, `styles.css`), and `GET /config.json`, which
 * tells the page where the auth and API servers are.
 *
 * The servers' URLs are built from the hostname the browser used to reach the page, so that the
 * page, the auth server and the API server are always one site (`localhost` page → `localhost`
 * servers; `127.0.0.1` page → `127.0.0.1` servers): the refresh cookie is `SameSite=Strict` and
 * the auth server's CSRF check admits only the origins of `CORS_ORIGINS`.
 *
 * Only the three files are served (an allowlist: the folder also holds this module's own compiled
 * code), under a strict Content-Security-Policy: scripts from this origin only, requests only to
 * the two servers, no frames, no forms posting anywhere.
 *
 * @module
 */
import path from 'node:path'
import express, { type Express, type Request, type Response } from 'express'

/** Where the two servers listen, on whichever host the page was reached by. */
export interface DemoAppOptions {
  /** The folder of the built page (`dist/demo-app`). */
  readonly root: string
  readonly authPort: number
  readonly apiPort: number
}

/** What `GET /config.json` answers. */
export interface DemoAppConfig {
  readonly authUrl: string
  readonly apiUrl: string
}

/** URL path → file of the build, and its type. */
const FILES: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/styles.css': { file: 'styles.css', type: 'text/css; charset=utf-8' },
}

/** A DNS name or an IPv4 address: what a Host header may name here (it is echoed into URLs). */
const HOSTNAME = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/i

/**
 * The servers' URLs as the page at `hostname` must call them (`undefined` for a hostname this
 * server does not echo, such as an IPv6 literal or anything with odd characters).
 *
 * @example
 * demoAppConfig('localhost', { authPort: 4000, apiPort: 3000 })
 * // { authUrl: 'http://localhost:4000', apiUrl: 'http://localhost:3000' }
 */
export function demoAppConfig(
  hostname: string,
  ports: Pick<DemoAppOptions, 'authPort' | 'apiPort'>,
): DemoAppConfig | undefined {
  if (!HOSTNAME.test(hostname)) return undefined
  return {
    authUrl: `http://${hostname}:${ports.authPort}`,
    apiUrl: `http://${hostname}:${ports.apiPort}`,
  }
}

/**
 * The page's Content-Security-Policy: its own scripts and styles, `fetch` only to the two
 * servers; nothing inline, no plugins, no frames (in either direction), no form targets.
 */
function contentSecurityPolicy(config: DemoAppConfig | undefined): string {
  const connect = config ? `'self' ${config.authUrl} ${config.apiUrl}` : `'self'`
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    `connect-src ${connect}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/**
 * Builds the demo app's Express app (no `listen()`: `src/main/start-demo-app.ts` serves it).
 *
 * @example
 * const app = createDemoApp({ root: 'dist/demo-app', authPort: 4000, apiPort: 3000 })
 */
export function createDemoApp(options: DemoAppOptions): Express {
  const app = express()
  app.disable('x-powered-by')
  app.use(function securityHeaders(req: Request, res: Response, next) {
    res.set({
      'content-security-policy': contentSecurityPolicy(demoAppConfig(req.hostname, options)),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
    })
    next()
  })

  app.get('/config.json', function sendServerUrls(req, res) {
    const config = demoAppConfig(req.hostname, options)
    res.set('cache-control', 'no-store')
    if (!config) {
      res.status(400).json({ code: 'ERR_VALIDATION', message: 'Unsupported Host header' })
      return
    }
    res.json(config)
  })

  app.get(Object.keys(FILES), function sendBuiltFile(req, res, next) {
    const entry = FILES[req.path]
    if (!entry) return next()
    // no-cache, not no-store: the browser may keep the files, but asks whether they changed.
    res.set({ 'content-type': entry.type, 'cache-control': 'no-cache' })
    res.sendFile(path.join(options.root, entry.file), { dotfiles: 'deny' }, (error) => {
      if (error) next(error)
    })
  })

  app.use(function notFound(_req, res) {
    res.status(404).type('text/plain').send('Not found')
  })
  app.use(function notBuilt(_error: unknown, _req: Request, res: Response, _next: () => void) {
    res.status(500).type('text/plain').send('The demo app is not built: run npm run build')
  })
  return app
}
