/** The backends the store contract runs against, each making fresh databases on demand. */
import path from 'node:path'
import { createLogger } from '../../src/logging/create-logger.js'
import { createStores } from '../../src/store/create-stores.js'
import {
  createRedisClient,
  type RedisConnection,
  waitForRedis,
} from '../../src/store/redis/create-redis-client.js'
import type { AuthStores } from '../../src/store/types.js'
import { deleteKeysUnder, REDIS_URL, uniqueRedisPrefix } from '../abuse/redis-kit.js'
import { createTestDatabases } from '../helpers/postgres-databases.js'
import { makeTempDir } from '../helpers/test-servers.js'
import type { StoreBackend } from './contract.js'

/** Stores whose `close` may be called more than once; `closeAll` closes those still open. */
function trackStores() {
  const open = new Set<AuthStores>()
  return {
    track(stores: AuthStores): AuthStores {
      let closing: Promise<void> | undefined
      const tracked: AuthStores = {
        ...stores,
        close: () => {
          open.delete(tracked)
          closing ??= stores.close()
          return closing
        },
      }
      open.add(tracked)
      return tracked
    },
    async closeAll() {
      await Promise.all([...open].map((stores) => stores.close()))
    },
  }
}

/** Each database a new file in a temporary folder. */
export function createSqliteBackend(): StoreBackend {
  const temp = makeTempDir('gatehouse-store-')
  const stores = trackStores()
  let count = 0
  return {
    async openFresh() {
      count += 1
      return stores.track(await createStores(`sqlite:${path.join(temp.dir, `${count}.db`)}`))
    },
    async cleanup() {
      await stores.closeAll()
      temp.remove()
    },
  }
}

/** Each database a new `gatehouse_test_<random>` on the test server, dropped at cleanup. */
export function createPostgresBackend(): StoreBackend {
  const databases = createTestDatabases()
  const stores = trackStores()
  return {
    async openFresh() {
      const { url } = await databases.create()
      return stores.track(await createStores(url))
    },
    async cleanup() {
      await stores.closeAll()
      await databases.dropAll()
    },
  }
}

/** The production client (fail-fast, no offline queue), connected, or an error naming `url`. */
async function connectRedis(url: string): Promise<RedisConnection> {
  const redis = createRedisClient(url, createLogger('store-contract', 'silent'))
  if (!(await waitForRedis(redis, 10_000))) {
    redis.disconnect()
    throw new Error(`no Redis at ${url}`)
  }
  return redis
}

/**
 * PostgreSQL for users and keys, Redis for sessions and the revocation log
 * (`SESSION_STORE=redis`): each fresh store a new database and a new key prefix, both removed at
 * cleanup.
 *
 * @param redisUrl One Redis or a cluster (`redis+cluster://…`), as `REDIS_URL` takes it.
 */
export function createPostgresRedisBackend(redisUrl = REDIS_URL): StoreBackend {
  const databases = createTestDatabases()
  const stores = trackStores()
  const prefixes: string[] = []
  return {
    expiresNatively: true,
    async openFresh() {
      const { url } = await databases.create()
      const redisPrefix = uniqueRedisPrefix()
      prefixes.push(redisPrefix)
      const redis = await connectRedis(redisUrl)
      return stores.track(await createStores(url, { sessionStore: 'redis', redis, redisPrefix }))
    },
    async cleanup() {
      await stores.closeAll()
      await databases.dropAll()
      const redis = await connectRedis(redisUrl)
      for (const prefix of prefixes) await deleteKeysUnder(redis, prefix)
      redis.disconnect()
    },
  }
}
