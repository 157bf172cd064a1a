/**
 * The server under test, one child process per row: `tsx bench/server.ts <variant>` builds the
 * posts app with that variant's middleware, waits until the variant says it is ready (its
 * revocation feed synced, where it has one), listens on an ephemeral port of 127.0.0.1 and reports
 * `{ port }` to the parent over IPC (its CPU time is read from `/proc`, see `proc-cpu.ts`). It runs
 * until the parent ends it.
 *
 * @module
 */
import type { AddressInfo } from 'node:net'
import { createPostsApp, type ProtectedRoute } from './posts-app.js'
import { variantById } from './variant-list.js'

interface VariantModule {
  createRoute(env: NodeJS.ProcessEnv): ProtectedRoute
}

const variant = variantById(process.argv[2])
const { createRoute } = (await import(`./variants/${variant.id}.js`)) as VariantModule
const route = createRoute(process.env)
await route.ready
const server = createPostsApp(route).listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo
  process.send?.({ port })
})
process.on('disconnect', () => process.exit(0))
// An exit, not a kill, so that `--cpu-prof` writes its profile.
process.on('SIGTERM', () => process.exit(0))
