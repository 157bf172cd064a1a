/**
 * Part `cold-start`: from the spawn of what `npm start` runs (`node dist/main/start-all.js`) to
 * both ports answering `GET /healthz` 200, under `NODE_ENV=production`, `DEMO_DATA=false`, both
 * ports from the system (port 0, read from the start-up lines), on a fresh `DATA_DIR` (key
 * generation and migrations included) and again on the one that start left (an existing one).
 * Against it, the tutorial's auth server (`node authServer.js`: express, jsonwebtoken) from spawn
 * to its first answer. The three alternate, round after round, so a machine getting busier
 * shifts all three alike.
 *
 * Besides the wall time it reports the CPU the Gatehouse process used until then (from
 * `/proc`): on a busy machine the wall time waits for cores, the CPU time much less so.
 *
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {
  compileTutorialServer,
  cpuMsOf,
  spawnStartScript,
  stopChild,
  type TutorialServer,
  untilAnswering,
} from './cold-start-spawn.js'

/** Starts of each kind (the figures are over nine). */
export const DEFAULT_COLD_STARTS = 9
/** The targets, ms: a fresh data folder, and an existing one. */
export const COLD_START_TARGET_MS = { fresh: 500, existing: 300 } as const
/** The tutorial's start on the machine the targets were set on, ms (issue 14). */
export const TUTORIAL_REFERENCE_MS = 186

/** The starts of one kind, in the order they ran. */
export interface StartSample {
  /** Spawn to answering, ms. */
  readonly wallMs: readonly number[]
  /** The process's CPU time at that moment, ms (empty without `/proc`). */
  readonly cpuMs: readonly number[]
}

export interface ColdStartResult {
  readonly rounds: number
  readonly fresh: StartSample
  readonly existing: StartSample
  readonly tutorial: StartSample
}

/**
 * @param rounds Starts of each kind.
 * @example
 * const { fresh, existing, tutorial } = await runColdStart(9)
 */
export async function runColdStart(rounds: number): Promise<ColdStartResult> {
  console.log(`cold start: ${rounds} rounds of a fresh start, an existing start and the tutorial`)
  const tutorial = await compileTutorialServer()
  const samples = { fresh: newSample(), existing: newSample(), tutorial: newSample() }
  try {
    for (let round = 0; round < rounds; round++) {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-bench-cold-'))
      try {
        record(samples.fresh, await startGatehouse(dir))
        record(samples.existing, await startGatehouse(dir))
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
      record(samples.tutorial, await startTutorial(tutorial))
    }
  } finally {
    await tutorial.remove()
  }
  return { rounds, ...samples }
}

interface OneStart {
  readonly wallMs: number
  readonly cpuMs: number | undefined
}

/** `npm start` on `dir` (created by the first start, reused by the next). */
async function startGatehouse(dir: string): Promise<OneStart> {
  const started = performance.now()
  const script = spawnStartScript(
    'start-all',
    {
      NODE_ENV: 'production',
      DEMO_DATA: 'false',
      DATA_DIR: path.join(dir, 'data'),
      AUTH_SERVER_PORT: '0',
      API_SERVER_PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    },
    dir,
  )
  try {
    const ports = await script.listening(2)
    await Promise.all(ports.map((port) => untilAnswering(port, '/healthz', 200)))
    return { wallMs: performance.now() - started, cpuMs: cpuMsOf(script.child.pid) }
  } finally {
    await script.stop()
  }
}

/** The tutorial's server, to its first answer (401 to a request without a token). */
async function startTutorial(tutorial: TutorialServer): Promise<OneStart> {
  const started = performance.now()
  const { child, port } = tutorial.start()
  try {
    await untilAnswering(await port, '/accessToken', 401)
    return { wallMs: performance.now() - started, cpuMs: cpuMsOf(child.pid) }
  } finally {
    await stopChild(child)
  }
}

function newSample(): { wallMs: number[]; cpuMs: number[] } {
  return { wallMs: [], cpuMs: [] }
}

function record(sample: { wallMs: number[]; cpuMs: number[] }, start: OneStart): void {
  sample.wallMs.push(start.wallMs)
  if (start.cpuMs !== undefined) sample.cpuMs.push(start.cpuMs)
}
