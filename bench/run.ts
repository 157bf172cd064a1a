/**
 * `npm run bench`: runs the parts of the bench (`BENCH_PARTS`, all by default) and, when the run
 * covers everything, writes BENCHMARKS.md:
 *
 * - `middleware`: `GET /posts` req/s behind each middleware, the revocation feed on and off;
 * - `adapters`: each Gatehouse adapter against its own framework's no-auth route;
 * - `revocation-latency`: logout to first refusal at the real API server;
 * - `revocation-memory`: the verifier's memory with 100,000 revocations held;
 * - `refresh`: `GET /accessToken` req/s with 1 to 1,000,000 stored sessions, per backend;
 * - `login-timing`: an unknown user's login time against a wrong password's;
 * - `cold-start`: `npm start` from spawn to both ports answering, fresh and existing data folder,
 *   against the tutorial's `node authServer.js`;
 * - `memory`: the real servers' RSS, idle and with 1,000,000 sessions / 100,000 revocations and
 *   10,000 cached tokens.
 *
 * A partial run leaves BENCHMARKS.md alone and writes what it would have written to a temporary
 * file instead, so a section can be copied from it.
 *
 * Exits 0 whatever the numbers are: targets are reported as PASS/MISS, never asserted. A part
 * that fails is reported as not measured and the others still run.
 *
 * @module
 */
import { writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { runAdaptersPart } from './adapters-part.js'
import { DEFAULT_COLD_STARTS, runColdStart } from './cold-start.js'
import { renderColdStartText } from './cold-start-render.js'
import {
  type BenchPart,
  LOGIN_TIMING_ROUNDS,
  MEMORY_REVOCATIONS,
  positiveNumber,
  readBenchConfig,
} from './config.js'
import { runLoginTiming } from './login-timing.js'
import { describeMachine, loadAverage } from './machine.js'
import { runServerMemory } from './memory-part.js'
import { renderServerMemoryText } from './memory-render.js'
import { runMiddlewarePart } from './middleware-part.js'
import { runRefreshPart } from './refresh-part.js'
import { renderAdaptersText } from './render-adapters.js'
import { renderLoginTimingText } from './render-login-timing.js'
import { renderMarkdown } from './render-markdown.js'
import { renderRefreshText } from './render-refresh.js'
import { type PartOutcome, renderLatencyText, renderMemoryText } from './render-revocations.js'
import { renderText } from './render-text.js'
import { runRevocationLatency } from './revocation-latency.js'
import { runRevocationMemory } from './revocation-memory.js'

const OUTPUT = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url))
const NOT_RUN: PartOutcome<never> = { error: 'not run (BENCH_PARTS)' }

const config = readBenchConfig(process.env)
const machine = describeMachine()
const loadBefore = loadAverage()
console.log(
  `gatehouse bench: ${machine.os}, ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, load average ${loadBefore}`,
)
console.log(`parts: ${config.parts.join(', ')}`)

const middleware = await part('middleware', () => runMiddlewarePart(config))
if ('result' in middleware) {
  const { report, notes } = middleware.result
  console.log(`\n${renderText(report)}${notes.map((note) => `\n- ${note}`).join('')}`)
}
const adapters = await part('adapters', () => runAdaptersPart(config))
if ('result' in adapters) console.log(`\n${renderAdaptersText(adapters.result)}\n`)
const latency = await part('revocation-latency', () => runRevocationLatency(config.logoutRounds))
if ('result' in latency) console.log(`\n${renderLatencyText(latency.result)}\n`)
const memory = await part('revocation-memory', () => runRevocationMemory(MEMORY_REVOCATIONS))
if ('result' in memory) console.log(`\n${renderMemoryText(memory.result)}\n`)
const refresh = await part('refresh', () => runRefreshPart(config, process.env))
if ('result' in refresh) console.log(`\n${renderRefreshText(refresh.result)}`)
const loginTiming = await part('login-timing', () => runLoginTiming(LOGIN_TIMING_ROUNDS))
if ('result' in loginTiming) console.log(`\n${renderLoginTimingText(loginTiming.result)}`)
const coldStarts = Math.round(positiveNumber(process.env, 'BENCH_COLD_STARTS', DEFAULT_COLD_STARTS))
const coldStart = await part('cold-start', () => runColdStart(coldStarts))
if ('result' in coldStart) console.log(`\n${renderColdStartText(coldStart.result)}`)
const serverMemory = await part('memory', () => runServerMemory())
if ('result' in serverMemory) console.log(`\n${renderServerMemoryText(serverMemory.result)}`)

const loadAfter = loadAverage()
const notes: string[] = []
if (Math.max(loadBefore, loadAfter) > machine.cores / 2) {
  notes.push(
    `The machine was not idle (1-minute load average ${loadBefore} before, ${loadAfter} after, on ${machine.cores} cores): req/s, latencies and CPU per request are all noisy; compare rows of one run, and rerun on an idle machine for numbers to quote.`,
  )
}
const markdown = renderMarkdown(
  { middleware, adapters, latency, memory, refresh, loginTiming, coldStart, serverMemory },
  { date: new Date(), machine, config, load: { before: loadBefore, after: loadAfter }, notes },
)
if (config.complete) {
  await writeFile(OUTPUT, markdown)
  console.log(`wrote ${OUTPUT}`)
} else {
  const partial = path.join(os.tmpdir(), `gatehouse-bench-${Date.now()}.md`)
  await writeFile(partial, markdown)
  console.log(
    `BENCH_VARIANTS, BENCH_PARTS or BENCH_REFRESH_* is set: BENCHMARKS.md is left as it is (partial run); this run's rendering is in ${partial}`,
  )
}

/** Runs one part if it was asked for; its failure becomes its outcome, never the run's. */
async function part<T>(name: BenchPart, run: () => Promise<T>): Promise<PartOutcome<T>> {
  if (!config.parts.includes(name)) return NOT_RUN
  try {
    return { result: await run() }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    console.log(`${name}: NOT MEASURED (${reason})`)
    return { error: reason }
  }
}
