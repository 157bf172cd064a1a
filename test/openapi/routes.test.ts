/**
 * The documents and the apps name the same routes: every route the Express apps register is in
 * the server's OpenAPI document, and every path and method of the document is a route. The apps
 * are the real ones (`buildAuthServer`, `buildApiServer`), read through the Express 5 router
 * stack; the servers of `startTestServers` serve the documents.
 */
import type { Express } from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApiServer } from '../../src/api-server/build-api-server.js'
import { buildAuthServer } from '../../src/auth-server/build-auth-server.js'
import { createLogger } from '../../src/logging/create-logger.js'
import { apiDocument } from '../../src/openapi/api-document.js'
import { authDocument } from '../../src/openapi/auth-document.js'
import type { OpenApiDocument } from '../../src/openapi/build-document.js'
import {
  makeTempDir,
  startTestServers,
  type TestServers,
  testConfig,
} from '../helpers/test-servers.js'

interface Layer {
  readonly route?: { readonly path: string | string[]; readonly methods: Record<string, boolean> }
  readonly handle?: { readonly stack?: readonly Layer[] }
  readonly slash?: boolean
}

/** `METHOD /path` of every route in `stack`, descending into routers mounted at `/`. */
function routesOf(stack: readonly Layer[]): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path]
      return paths.flatMap((path) =>
        Object.keys(layer.route?.methods ?? {}).map((method) => `${method.toUpperCase()} ${path}`),
      )
    }
    const inner = layer.handle?.stack
    if (!inner) return []
    // Only routers mounted at the root: a prefix would change every inner path.
    if (!layer.slash) throw new Error('a router is mounted under a path prefix: read it too')
    return routesOf(inner)
  })
}

/** The routes of `app` as `METHOD /path/:param`. */
function appRoutes(app: Express): string[] {
  const { router } = app as unknown as { router: { stack: Layer[] } }
  return [...new Set(routesOf(router.stack))].sort()
}

/** The document's operations, as `METHOD /path/:param` (OpenAPI `{id}` to Express `:id`). */
function documentRoutes(document: OpenApiDocument): string[] {
  return Object.entries(document.paths ?? {})
    .flatMap(([path, item]) =>
      Object.keys(item ?? {})
        .filter((key) => ['get', 'post', 'put', 'patch', 'delete'].includes(key))
        .map((method) => `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`),
    )
    .sort()
}

describe('the OpenAPI documents and the Express routes', () => {
  const temp = makeTempDir()
  // With a metrics token, so that `/metrics` is registered.
  const config = testConfig(temp.dir, { METRICS_TOKEN: 'm'.repeat(32) })
  const logger = createLogger('test', 'silent')
  afterAll(() => temp.remove())

  it('the auth server registers exactly the routes of its document', async () => {
    const built = await buildAuthServer(config, logger)
    try {
      const routes = appRoutes(built.app)
      expect(routes).toContain('DELETE /sessions/:id')
      expect(routes).toEqual(documentRoutes(authDocument()))
    } finally {
      await built.close()
    }
  })

  it('the API server registers exactly the routes of its document', async () => {
    const built = await buildApiServer(config, logger)
    try {
      const routes = appRoutes(built.app)
      expect(routes).toContain('DELETE /posts/:id')
      expect(routes).toEqual(documentRoutes(apiDocument()))
    } finally {
      await built.close()
    }
  })
})

describe('GET /openapi.json', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers()
  })
  afterAll(() => servers?.close())

  it('serves each document at GET /openapi.json', async () => {
    for (const [url, document] of [
      [servers.authUrl, authDocument()],
      [servers.apiUrl, apiDocument()],
    ] as const) {
      const res = await fetch(`${url}/openapi.json`)
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual(JSON.parse(JSON.stringify(document)))
    }
  })
})
