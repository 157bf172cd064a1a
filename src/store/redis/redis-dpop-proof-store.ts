/**
 * `DpopProofStore` on Redis (`SESSION_STORE=redis`): one key per `jti`, `P dpop-jti:<jti>`,
 * written with `SET NX EXAT`, so Redis decides which instance saw a proof first and forgets it
 * by itself once the proof's `iat` window has closed (`sweep` has nothing to do). One key per
 * command, so no hash tag: on a Redis Cluster the proofs spread over every primary.
 *
 * @module
 */
import { guardStore } from '../sql/store-errors.js'
import type { DpopProofStore } from '../types.js'
import type { RedisConnection } from './create-redis-client.js'

export interface RedisDpopProofStoreConfig {
  /** A connection that fails fast (see `createRedisClient`); the store does not close it. */
  readonly redis: RedisConnection
  /** Starts every key, e.g. `gatehouse:`. */
  readonly prefix: string
}

/**
 * @param config The connection and the key prefix.
 * @example
 * const dpopProofs = createRedisDpopProofStore({ redis, prefix: 'gatehouse:' })
 */
export function createRedisDpopProofStore(config: RedisDpopProofStoreConfig): DpopProofStore {
  const { redis, prefix } = config
  return {
    use: (jti, expiresAt) =>
      guardStore(async () => {
        const set = await redis.set(`${prefix}dpop-jti:${jti}`, '1', 'EXAT', expiresAt, 'NX')
        return set === 'OK'
      }),
    sweep: async () => 0,
  } satisfies DpopProofStore
}
