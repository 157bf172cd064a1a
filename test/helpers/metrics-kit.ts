/**
 * Reading `/metrics` in tests: a small parser of Prometheus' text exposition format (prom-client
 * keeps its own private), and a scrape that returns every series by its printed name.
 */

/**
 * Every sample of an exposition, keyed by the series as printed: `name` or
 * `name{label="value",…}` (labels in the order the server prints them).
 *
 * @example
 * parseExposition('# TYPE a counter\na{outcome="x"} 2\n').get('a{outcome="x"}') // 2
 */
export function parseExposition(text: string): Map<string, number> {
  const samples = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    // The value is the last space-separated field (no timestamps are written).
    const space = line.lastIndexOf(' ')
    samples.set(line.slice(0, space), Number(line.slice(space + 1)))
  }
  return samples
}

/** GETs `url` (a `/metrics`) and parses it; throws unless it answered 200. */
export async function scrape(
  url: string,
  headers: Record<string, string> = {},
): Promise<Map<string, number>> {
  const res = await fetch(url, { headers })
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`)
  return parseExposition(await res.text())
}

/** The value of one series (0 when it is not listed yet). */
export function sample(samples: Map<string, number>, series: string): number {
  return samples.get(series) ?? 0
}

/** `after - before` for every series in `after` whose value moved. */
export function moved(
  before: Map<string, number>,
  after: Map<string, number>,
  include: (series: string) => boolean,
): Record<string, number> {
  const changes: Record<string, number> = {}
  for (const [series, value] of after) {
    if (!include(series)) continue
    const change = value - (before.get(series) ?? 0)
    if (change !== 0) changes[series] = change
  }
  return changes
}
