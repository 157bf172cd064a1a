/**
 * One prom-client `Registry` per server instance, never the library's global default: a process
 * may run several servers (`npm start`, and the tests start many), and each must report only its
 * own figures. Node's process metrics (CPU, memory, event-loop lag, GC) are collected into it.
 *
 * @module
 */
import { collectDefaultMetrics, Registry } from 'prom-client'

/**
 * @example
 * const registry = createRegistry()
 * const text = await registry.metrics()
 */
export function createRegistry(): Registry {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  return registry
}
