/**
 * Part `adapters`: each Gatehouse adapter against its own framework's no-auth route (Express 5,
 * Fastify 5, bare `node:http`), with the load of the middleware part (1,000 distinct live EdDSA
 * tokens, rotated per request) and the revocation feed on. Each framework's two rows run back to
 * back, so a ratio compares two measurements taken under the same conditions.
 *
 * @module
 */
import { fileURLToPath } from 'node:url'
import { startChildServer } from './child-server.js'
import {
  type BenchConfig,
  FEED_REVOCATIONS,
  FRAMEWORKS,
  type Framework,
  JWKS_URI_ENV,
  REVOCATIONS_URL_ENV,
  TOKEN_COUNT,
  TOKEN_TTL,
} from './config.js'
import { serveJwks } from './jwks-server.js'
import { runLoad } from './load.js'
import { preflight } from './preflight.js'
import { makeRevocations } from './revocation-feed.js'
import { createBenchKeys, USER_NAMES } from './tokens.js'

const ENTRY = fileURLToPath(new URL('./adapter-server.ts', import.meta.url))

/** Least share of its framework's no-auth req/s each adapter should reach (issue 10). */
export const ADAPTER_TARGETS: Readonly<Record<Framework, number>> = {
  express: 0.95,
  fastify: 0.95,
  'node:http': 0.9,
}

export interface AdapterRun {
  readonly rps: number
  readonly p99: number
  readonly non2xx: number
  readonly errors: number
}

export interface AdapterRow {
  readonly framework: Framework
  readonly noAuth: AdapterRun
  readonly gatehouse: AdapterRun
  readonly ratio: number
  readonly target: number
}

export interface AdaptersResult {
  readonly rows: readonly AdapterRow[]
}

/**
 * @example
 * const { rows } = await runAdaptersPart(readBenchConfig(process.env))
 */
export async function runAdaptersPart(config: BenchConfig): Promise<AdaptersResult> {
  console.log(
    `adapters: ${TOKEN_COUNT} EdDSA tokens, revocation feed on, ${config.duration} s per row`,
  )
  const keys = await createBenchKeys(TOKEN_COUNT)
  const auth = await serveJwks(keys.jwks, makeRevocations(FEED_REVOCATIONS, TOKEN_TTL))
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    [JWKS_URI_ENV]: auth.uri,
    [REVOCATIONS_URL_ENV]: auth.revocationsUri,
  }
  const rows: AdapterRow[] = []
  try {
    for (const framework of FRAMEWORKS) {
      const noAuth = await measure(framework, 'none', keys.tokens.eddsa, env, config)
      const gatehouse = await measure(framework, 'gatehouse', keys.tokens.eddsa, env, config)
      const row = {
        framework,
        noAuth,
        gatehouse,
        ratio: gatehouse.rps / noAuth.rps,
        target: ADAPTER_TARGETS[framework],
      }
      console.log(
        `${framework}: no auth ${Math.round(noAuth.rps)} req/s, gatehouse ${Math.round(gatehouse.rps)} req/s, ${row.ratio.toFixed(2)}x (target ${row.target}x)`,
      )
      rows.push(row)
    }
  } finally {
    await auth.close()
  }
  return { rows }
}

async function measure(
  framework: Framework,
  auth: 'none' | 'gatehouse',
  tokens: readonly string[],
  env: NodeJS.ProcessEnv,
  config: BenchConfig,
): Promise<AdapterRun> {
  const server = await startChildServer(`${framework} ${auth}`, env, {
    file: ENTRY,
    args: [framework, auth],
  })
  try {
    await preflight({
      url: server.url,
      token: tokens[0] as string,
      expectedAuthor: USER_NAMES[0],
      protectedRoute: auth === 'gatehouse',
    })
    const load = { url: server.url, tokens, connections: config.connections }
    if (config.warmup > 0) await runLoad({ ...load, duration: config.warmup })
    const result = await runLoad({ ...load, duration: config.duration })
    return {
      rps: result.requests.average,
      p99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors,
    }
  } finally {
    await server.stop()
  }
}
