/**
 * `gatehouse`: the Fastify plugin that declares `request.gatehouse` once for the whole app (so
 * every request object has the same shape, as Fastify recommends for decorations) and closes the
 * hooks handed to it when the app closes.
 *
 * @module
 */
import type { FastifyInstance } from 'fastify'
import type { RequireAuthHook } from './require-auth.js'

export interface GatehousePluginOptions {
  /** Hooks whose verifiers stop when the app closes. */
  readonly hooks?: readonly RequireAuthHook[]
}

/**
 * @example
 * await app.register(gatehouse, { hooks: [auth] })
 * app.get('/posts', { onRequest: auth }, handler)
 */
export function gatehouse(
  app: FastifyInstance,
  options: GatehousePluginOptions,
  done: (error?: Error) => void,
): void {
  if (!app.hasRequestDecorator('gatehouse')) app.decorateRequest('gatehouse', undefined)
  app.addHook('onClose', (_instance, closed) => {
    for (const hook of options.hooks ?? []) hook.close()
    closed()
  })
  done()
}

// Not encapsulated: the decoration applies to the app that registers the plugin (what
// fastify-plugin does, without the dependency).
Object.assign(gatehouse, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: '@gatehouse/fastify',
})
