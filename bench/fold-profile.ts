/**
 * Folds a V8 `.cpuprofile` (from `node --cpu-prof`) into what a review of a hot path needs:
 * the top functions and the top modules by self time, as shares of all samples (robust to a
 * busy machine, unlike absolute times), and a folded-stack file (`frame;frame;frame count` per
 * line) that flame-graph tools (`flamegraph.pl`, speedscope, inferno) draw as is.
 *
 * `npx tsx bench/fold-profile.ts <file.cpuprofile> [top N, default 25] [folded output path]`
 *
 * @module
 */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'

interface ProfileNode {
  readonly id: number
  readonly callFrame: {
    readonly functionName: string
    readonly url: string
    readonly lineNumber: number
  }
  readonly children?: readonly number[]
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[]
  readonly samples: readonly number[]
}

/** One line of a top-N table. */
export interface SelfTimeEntry {
  readonly name: string
  readonly samples: number
  /** Share of all samples, 0 to 1. */
  readonly share: number
}

export interface FoldedProfile {
  readonly totalSamples: number
  readonly functions: readonly SelfTimeEntry[]
  readonly modules: readonly SelfTimeEntry[]
  /** `a;b;c <samples>` lines, root first. */
  readonly folded: readonly string[]
}

/**
 * @example
 * const folded = foldProfile(JSON.parse(await readFile('CPU.cpuprofile', 'utf8')))
 * console.log(folded.functions.slice(0, 10))
 */
export function foldProfile(profile: CpuProfile): FoldedProfile {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id)
  const hits = new Map<number, number>()
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1)

  const functions = new Map<string, number>()
  const modules = new Map<string, number>()
  const stacks = new Map<string, number>()
  for (const [id, count] of hits) {
    const node = byId.get(id)
    if (!node) continue
    add(functions, frameName(node), count)
    add(modules, moduleOf(node.callFrame.url, node.callFrame.functionName), count)
    const frames: string[] = []
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)
      if (frame && frame.callFrame.functionName !== '(root)') frames.push(frameName(frame))
    }
    add(stacks, frames.reverse().join(';'), count)
  }
  const total = profile.samples.length
  return {
    totalSamples: total,
    functions: ranked(functions, total),
    modules: ranked(modules, total),
    folded: [...stacks].map(([stack, count]) => `${stack} ${count}`),
  }
}

function add(map: Map<string, number>, key: string, count: number): void {
  map.set(key, (map.get(key) ?? 0) + count)
}

function ranked(map: Map<string, number>, total: number): SelfTimeEntry[] {
  return [...map]
    .map(([name, samples]) => ({ name, samples, share: samples / Math.max(1, total) }))
    .sort((a, b) => b.samples - a.samples)
}

/** `name (file:line)`, with the file cut down to its module-relative part. */
function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame
  const name = functionName || '(anonymous)'
  if (!url) return name
  return `${name} (${shortPath(url)}:${lineNumber + 1})`.replaceAll(';', ',')
}

function shortPath(url: string): string {
  const path = url.replace(/^file:\/\//, '')
  const inModules = path.lastIndexOf('node_modules/')
  if (inModules >= 0) return path.slice(inModules + 'node_modules/'.length)
  for (const marker of ['/dist/', '/src/', '/packages/']) {
    const at = path.lastIndexOf(marker)
    if (at >= 0) return path.slice(at + 1)
  }
  return path
}

/**
 * The package (`kysely`, `@gatehouse/verify`), `node:<builtin>`, the repository folder of our own
 * code (`src/sessions`), or a V8 pseudo-frame (`(garbage collector)`, `(program)`, `(idle)`).
 */
function moduleOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)'
  if (url.startsWith('node:')) return url
  const path = url.replace(/^file:\/\//, '')
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(
    path.slice(path.lastIndexOf('node_modules/') - 1),
  )
  if (match?.[1]) return match[1]
  const own = /\/(dist|src|packages\/[^/]+\/(?:src|dist))\/([^/]+)/.exec(path)
  return own ? `${own[1]}/${own[2]}` : path
}

/**
 * Prints the top `top` entries of self time by module and by function, and writes the folded
 * stacks to `foldedPath`.
 */
export async function reportProfile(
  folded: FoldedProfile,
  top: number,
  foldedPath: string,
): Promise<void> {
  const print = (title: string, entries: readonly SelfTimeEntry[]) => {
    console.log(`\n${title} (${folded.totalSamples} samples)`)
    for (const entry of entries.slice(0, top)) {
      console.log(`${(entry.share * 100).toFixed(1).padStart(5)} %  ${entry.name}`)
    }
  }
  print('self time by module', folded.modules)
  print('self time by function', folded.functions)
  await writeFile(foldedPath, `${folded.folded.join('\n')}\n`)
  console.log(`\nfolded stacks: ${foldedPath}`)
}

/**
 * The profile scripts' last step: folds the main thread's profile in `folder` (thread 0 sorts
 * first; tsx's loader thread writes one too) and reports it.
 *
 * @param responses How many responses the profiled load got, for the first line.
 */
export async function reportProfileIn(folder: string, responses: number, top = 25): Promise<void> {
  const file = (await readdir(folder)).filter((name) => name.endsWith('.cpuprofile')).sort()[0]
  if (!file) throw new Error(`no .cpuprofile written in ${folder}`)
  const profilePath = path.join(folder, file)
  const folded = foldProfile(JSON.parse(await readFile(profilePath, 'utf8')) as CpuProfile)
  console.log(`profile: ${profilePath} (${folded.totalSamples} samples, ${responses} responses)`)
  await reportProfile(folded, top, profilePath.replace(/\.cpuprofile$/, '.folded'))
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  const [file, top = '25', out] = process.argv.slice(2)
  if (!file || !/^\d+$/.test(top)) {
    console.error('usage: tsx bench/fold-profile.ts <file.cpuprofile> [top N] [folded output]')
    process.exit(2)
  }
  const folded = foldProfile(JSON.parse(await readFile(file, 'utf8')) as CpuProfile)
  await reportProfile(
    folded,
    Number(top) || 25,
    out ?? `${file.replace(/\.cpuprofile$/, '')}.folded`,
  )
}
