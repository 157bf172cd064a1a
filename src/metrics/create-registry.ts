/**
 * One prom-client `Registry` per server instance, never the library's global default: a process
 * may run several servers (`npm start`, and the tests start many), and each must report only its
 * own figures. Node's process metrics (CPU, memory, event-loop lag, GC) belong to the process, not
 * to a server: they are collected once per process, into a registry of their own, and appended to
 * every server's exposition, so that starting many servers does not start many collectors.
 *
 * @module
 */
import { collectDefaultMetrics, Registry } from 'prom-client'

let processRegistry: Registry | undefined

/**
 * @example
 * const registry = createRegistry()
 * const text = await exposition(registry)
 */
export function createRegistry(): Registry {
  return new Registry()
}

/** The text `GET /metrics` answers: the process's metrics, then the server's own. */
export async function exposition(registry: Registry): Promise<string> {
  if (!processRegistry) {
    processRegistry = new Registry()
    collectDefaultMetrics({ register: processRegistry })
  }
  const [own, process] = await Promise.all([registry.metrics(), processRegistry.metrics()])
  return `${process}\n${own}`
}
