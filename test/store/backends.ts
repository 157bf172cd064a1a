/** The backends the store contract runs against, each making fresh databases on demand. */
import path from 'node:path'
import { Redis } from 'ioredis'
import { createStores } from '../../src/store/create-stores.js'
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

/**
 * PostgreSQL for users and keys, Redis for sessions and the revocation log
 * (`SESSION_STORE=redis`): each fresh store a new database and a new key prefix, both removed at
 * cleanup.
 */
export function createPostgresRedisBackend(): StoreBackend {
  const databases = createTestDatabases()
  const stores = trackStores()
  const prefixes: string[] = []
  const cleaner = new Redis(REDIS_URL, { lazyConnect: true })
  return {
    expiresNatively: true,
    async openFresh() {
      const { url } = await databases.create()
      const redisPrefix = uniqueRedisPrefix()
      prefixes.push(redisPrefix)
      const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 })
      return stores.track(await createStores(url, { sessionStore: 'redis', redis, redisPrefix }))
    },
    async cleanup() {
      await stores.closeAll()
      await databases.dropAll()
      for (const prefix of prefixes) await deleteKeysUnder(cleaner, prefix)
      cleaner.disconnect()
    },
  }
}
