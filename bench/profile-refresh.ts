/**
 * Profiles the refresh path: a SQLite auth database with `BENCH_REFRESH_SIZES`' first size of
 * sessions (default 50), the built auth server (`dist/`, run `npm run build` first) under
 * `node --cpu-prof`, loaded as the refresh part loads it (one rotating session per connection),
 * then its profile folded into top self time and a folded-stack file (`fold-profile.ts`).
 *
 * `npx tsx bench/profile-refresh.ts [output folder]`; `BENCH_DURATION` (default 10 s),
 * `BENCH_CONNECTIONS` (default 50), `BENCH_PROFILE_CODE=source` to profile `src/` under tsx.
 *
 * @module
 */
import { mkdir } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { readBenchConfig } from './config.js'
import { reportProfileIn } from './fold-profile.js'
import { startGatehouseRow } from './gatehouse-refresh-row.js'
import { readRefreshConfig } from './refresh-config.js'
import { runRefreshLoad } from './refresh-load.js'

const out = path.resolve(
  process.argv[2] ?? path.join(os.tmpdir(), `gatehouse-profile-${Date.now()}`),
)
await mkdir(out, { recursive: true })
const config = readRefreshConfig(process.env, readBenchConfig(process.env))
const duration = Number(process.env.BENCH_DURATION ?? 10) || 10
const target = await startGatehouseRow(
  'sqlite',
  Math.max(config.sizes[0] ?? 50, config.connections),
  config,
  {
    code: process.env.BENCH_PROFILE_CODE === 'source' ? 'source' : 'build',
    nodeArgs: ['--cpu-prof', '--cpu-prof-interval=250', `--cpu-prof-dir=${out}`],
  },
)
let total = 0
try {
  const slots = target.hotTokens.map((token) => ({ token }))
  await runRefreshLoad({ url: target.url, slots, rotates: true, duration: 1 })
  const { result } = await runRefreshLoad({ url: target.url, slots, rotates: true, duration })
  total = result.requests.total
  console.log(
    `${Math.round(result.requests.average)} req/s, ${result.non2xx} non-2xx, ${result.errors} errors`,
  )
} finally {
  await target.stop()
}
await reportProfileIn(out, total, 30)
