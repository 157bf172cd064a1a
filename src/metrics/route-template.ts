/**
 * The route template of a request that did not reach its route handler: refused by middleware
 * on the way (the API server's token check on `/posts/:id`, a rate limit, a body too large), so
 * Express never set `req.route`. The app's own route table is matched against the path, with
 * Express's own matchers (no second path syntax to keep in step); nothing matches: `unmatched`.
 * Only such requests pay for it, and the table is read once per app.
 *
 * @module
 */
import type { Request } from 'express'

/** The label of a request that matches no route. */
export const UNMATCHED_ROUTE = 'unmatched'

/** What this module reads of Express 5's router layers. */
interface Layer {
  readonly slash?: boolean
  readonly route?: { readonly path: unknown; readonly methods: Record<string, boolean> }
  readonly handle?: { readonly stack?: readonly Layer[] }
  match(path: string): unknown
}

interface KnownRoute {
  readonly template: string
  readonly methods: Record<string, boolean>
  readonly layer: Layer
}

const tables = new WeakMap<object, readonly KnownRoute[]>()

/**
 * @example
 * routeTemplate(req) // '/posts/:id' for DELETE /posts/42 refused before its handler
 */
export function routeTemplate(req: Request): string {
  const route = req.route as { path?: unknown } | undefined
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}`
  const path = req.originalUrl.split('?')[0] ?? ''
  const method = req.method.toLowerCase()
  for (const known of tableOf(req.app)) {
    if ((known.methods[method] || known.methods._all) && known.layer.match(path))
      return known.template
  }
  return UNMATCHED_ROUTE
}

function tableOf(app: object): readonly KnownRoute[] {
  let table = tables.get(app)
  if (!table) {
    const stack = (app as unknown as { router?: { stack?: readonly Layer[] } }).router?.stack ?? []
    table = collect(stack)
    tables.set(app, table)
  }
  return table
}

/** Routes of `stack` and of routers mounted on it at the root (`app.use(router)`). */
function collect(stack: readonly Layer[]): KnownRoute[] {
  const routes: KnownRoute[] = []
  for (const layer of stack) {
    if (layer.route && typeof layer.route.path === 'string') {
      const methods = { ...layer.route.methods }
      if (methods.get) methods.head = true
      routes.push({ template: layer.route.path, methods, layer })
    } else if (layer.slash && layer.handle?.stack) {
      routes.push(...collect(layer.handle.stack))
    }
  }
  return routes
}
