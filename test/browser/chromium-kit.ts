/**
 * Headless Chromium for the browser tests: Debian's own build (`apt-get install chromium`), driven
 * by playwright-core, which downloads no browser. One browser per test file, a context per test
 * (contexts share nothing: cookies, storage and BroadcastChannels are per context), to keep the
 * machine's few cores for the servers under test.
 *
 * Under `CI=true` a missing Chromium fails the file; elsewhere the file skips with one loud line,
 * as the PostgreSQL suites do (see `test/helpers/postgres-databases.ts`).
 */
import fs from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type Browser, chromium } from 'playwright-core'

/** Where Debian's package installs the browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium'

/**
 * Headless, and nothing that talks to the network by itself (updates, sync, field trials), so
 * that every request a test counts is one the page made. No sandbox: CI runs as root.
 */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/**
 * Whether the browser tests can run. Under CI they must: a missing Chromium throws, failing the
 * file. Otherwise it logs one warning naming `file` and answers `false`.
 *
 * @example
 * const available = isChromiumAvailable('test/browser/demo-app.test.ts')
 * describe.skipIf(!available)('the demo app', () => {})
 */
export function isChromiumAvailable(file: string): boolean {
  if (fs.existsSync(CHROMIUM_PATH)) return true
  if (process.env.CI === 'true') {
    throw new Error(
      `Chromium is required under CI=true and ${CHROMIUM_PATH} is missing: apt-get install chromium`,
    )
  }
  console.warn(
    `!!! SKIPPING ${file}: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium) !!!`,
  )
  return false
}

/**
 * @example
 * const browser = await launchChromium()
 * afterAll(() => browser.close())
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS })
}

/** A static site on its own port: `http://127.0.0.1:<port>` and `http://localhost:<port>`. */
export interface OtherSite {
  readonly port: number
  /** `http://<host>:<port><path>`. */
  url(host: 'localhost' | '127.0.0.1', path: string): string
  close(): Promise<void>
}

/**
 * Serves `pages` (path → HTML) on a port of its own, as an attacker's site would: reached as
 * `127.0.0.1` it is another site than `localhost`; reached as `localhost` it is the same site as
 * the auth server on `localhost` but another origin (ports make origins, not sites).
 *
 * @example
 * const site = await startOtherSite({ '/attack': '<form method="post" action="…"></form>' })
 * await page.goto(site.url('127.0.0.1', '/attack'))
 */
export async function startOtherSite(pages: Readonly<Record<string, string>>): Promise<OtherSite> {
  const server = createServer(function serveStaticPage(req, res) {
    const html = pages[new URL(req.url ?? '/', 'http://site').pathname]
    if (html === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    res.end(html)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    port,
    url: (host, path) => `http://${host}:${port}${path}`,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
