/**
 * Runs Lua scripts on Redis. A script runs atomically: no other command runs between its steps,
 * which is what the stores' compare-and-swap operations rely on. Scripts are sent by SHA1
 * (`EVALSHA`) and in full only when the server does not have them cached yet (`NOSCRIPT`: first
 * use, or after a restart or `SCRIPT FLUSH`). On a Redis Cluster each node has its own cache, and
 * ioredis sends the script to the node of its keys' slot, so all of `keys` must share one slot.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import type { RedisConnection } from './create-redis-client.js'

/** A Lua script and its SHA1, as `EVALSHA` wants it. */
export interface LuaScript {
  readonly source: string
  readonly sha: string
}

/**
 * @param source The Lua source. Keys it touches come in `KEYS`, everything else in `ARGV`.
 * @example
 * const GET_TWICE = defineLua("return {redis.call('GET', KEYS[1]), redis.call('GET', KEYS[1])}")
 */
export function defineLua(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') }
}

/**
 * Runs `script` with `keys` and `args`; its reply as ioredis decodes it (Lua `false` is `null`).
 *
 * @param redis The connection.
 * @param script From `defineLua`.
 * @param keys The keys it reads or writes (Redis's `KEYS`).
 * @param args Its other arguments (Redis's `ARGV`), sent as strings.
 * @example
 * const values = await runLua(redis, GET_TWICE, ['gatehouse:x'], [])
 */
export async function runLua(
  redis: RedisConnection,
  script: LuaScript,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args)
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error
    return await redis.eval(script.source, keys.length, ...keys, ...args)
  }
}
