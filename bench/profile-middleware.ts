/**
 * Profiles one row of the middleware part (default `gatehouse-eddsa-revocations`: EdDSA, the
 * revocation feed on, 1,000 distinct live tokens), or one server of the adapters part
 * (`<framework>/<none|gatehouse>`, e.g. `node:http/gatehouse`): its server under
 * `node --cpu-prof`, loaded as the part loads it, then the profile folded into top self time and
 * a folded-stack file (`fold-profile.ts`).
 *
 * `npx tsx bench/profile-middleware.ts [variant] [output folder]`; `BENCH_DURATION` (default
 * 10 s), `BENCH_CONNECTIONS` (default 50).
 *
 * @module
 */
import { mkdir } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startChildServer } from './child-server.js'
import {
  FEED_REVOCATIONS,
  FRAMEWORKS,
  type Framework,
  JWKS_URI_ENV,
  REVOCATIONS_URL_ENV,
  readBenchConfig,
  SECRET_ENV,
  TOKEN_COUNT,
  TOKEN_TTL,
} from './config.js'
import { reportProfileIn } from './fold-profile.js'
import { serveJwks } from './jwks-server.js'
import { runLoad } from './load.js'
import { makeRevocations } from './revocation-feed.js'
import { createBenchKeys, type TokenKind } from './tokens.js'
import { variantById } from './variant-list.js'

/** What to start: a middleware row (`bench/server.ts`) or an adapter server. */
interface Target {
  readonly id: string
  readonly tokens: TokenKind
  readonly entry?: { readonly file: string; readonly args: readonly string[] }
}

function targetOf(name: string): Target {
  const [framework, auth = 'gatehouse'] = name.split('/')
  if (!FRAMEWORKS.includes(framework as Framework)) {
    const variant = variantById(name)
    return { id: variant.id, tokens: variant.tokens }
  }
  if (auth !== 'none' && auth !== 'gatehouse') throw new Error(`"${auth}": none or gatehouse`)
  const file = fileURLToPath(new URL('./adapter-server.ts', import.meta.url))
  // The adapters part loads every server with the EdDSA tokens.
  return { id: name, tokens: 'eddsa', entry: { file, args: [framework as string, auth] } }
}

const variant = targetOf(process.argv[2] ?? 'gatehouse-eddsa-revocations')
const out = path.resolve(
  process.argv[3] ?? path.join(os.tmpdir(), `gatehouse-profile-${Date.now()}`),
)
await mkdir(out, { recursive: true })
const config = readBenchConfig(process.env)
const keys = await createBenchKeys(TOKEN_COUNT)
const auth = await serveJwks(keys.jwks, makeRevocations(FEED_REVOCATIONS, TOKEN_TTL))
const env = {
  ...process.env,
  NODE_ENV: 'production',
  [SECRET_ENV]: keys.secret,
  [JWKS_URI_ENV]: auth.uri,
  [REVOCATIONS_URL_ENV]: auth.revocationsUri,
}
const server = await startChildServer(variant.id, env, variant.entry, [
  '--cpu-prof',
  '--cpu-prof-interval=250',
  `--cpu-prof-dir=${out}`,
])
let total = 0
try {
  const load = {
    url: server.url,
    tokens: keys.tokens[variant.tokens],
    connections: config.connections,
  }
  await runLoad({ ...load, duration: 1 })
  const result = await runLoad({
    ...load,
    duration: Number(process.env.BENCH_DURATION ?? 10) || 10,
  })
  total = result.requests.total
  console.log(`${Math.round(result.requests.average)} req/s, ${result.non2xx} non-2xx`)
} finally {
  await server.stop()
  await auth.close()
}
await reportProfileIn(out, total)
