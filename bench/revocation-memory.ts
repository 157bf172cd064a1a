/**
 * Part `revocation-memory`: the API server's memory with 100,000 active revocations. This
 * process serves a revocation feed of that many revoked sessions (exp 1 h ahead); a child process
 * (`memory-probe.ts`, with `--expose-gc`) subscribes to it through `requireAuth` and reports its
 * heap and RSS, after forced GC, before subscribing and once it holds them all.
 *
 * @module
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { serveJwks } from './jwks-server.js'
import type { MemoryReading, ProbeReport } from './memory-probe.js'
import { makeRevocations } from './revocation-feed.js'

const PROBE_ENTRY = fileURLToPath(new URL('./memory-probe.ts', import.meta.url))
const PROBE_TIMEOUT_MS = 180_000
const TTL_SECONDS = 3600

export interface MemoryResult {
  /** Revocations the feed sent. */
  readonly count: number
  readonly probe: ProbeReport
  /** After minus before, bytes. */
  readonly heapGrowth: number
  readonly rssGrowth: number
  /** Growth per revocation held, bytes. */
  readonly heapPerRevocation: number
  readonly rssPerRevocation: number
}

/**
 * @example
 * const { heapPerRevocation } = await runRevocationMemory(100_000)
 */
export async function runRevocationMemory(count: number): Promise<MemoryResult> {
  console.log(`revocation memory: serving ${count.toLocaleString('en-US')} revocations`)
  const feed = await serveJwks({ keys: [] }, makeRevocations(count, TTL_SECONDS))
  try {
    const probe = await runProbe(feed.revocationsUri, count)
    if (probe.size !== count) {
      throw new Error(`the subscriber holds ${probe.size} revocations, not ${count}`)
    }
    const heapGrowth = growth(probe, 'heapUsed')
    const rssGrowth = growth(probe, 'rss')
    return {
      count,
      probe,
      heapGrowth,
      rssGrowth,
      heapPerRevocation: heapGrowth / probe.size,
      rssPerRevocation: rssGrowth / probe.size,
    }
  } finally {
    await feed.close()
  }
}

function growth(probe: ProbeReport, key: keyof MemoryReading): number {
  return probe.after[key] - probe.before[key]
}

function runProbe(url: string, count: number): Promise<ProbeReport> {
  const child = fork(PROBE_ENTRY, [url, String(count)], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the memory probe did not report within ${PROBE_TIMEOUT_MS / 1000} s`))
    }, PROBE_TIMEOUT_MS)
    child.once('message', (message) => {
      clearTimeout(timer)
      resolve(message as ProbeReport)
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`the memory probe exited (${signal ?? `code ${code}`}) before reporting`))
    })
  })
}
