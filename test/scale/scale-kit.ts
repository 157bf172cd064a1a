/**
 * What the scale-out tests share: the check that PostgreSQL and Redis are there (mandatory under
 * CI=true, one loud warning and a skip elsewhere), a fresh deployment's environment (two fresh
 * databases, a unique Redis prefix, one set of secrets) and its cleanup.
 */
import { randomBytes } from 'node:crypto'
import { createLogger } from '../../src/logging/create-logger.js'
import {
  createRedisClient,
  type RedisConnection,
  waitForRedis,
} from '../../src/store/redis/create-redis-client.js'
import {
  deleteKeysUnder,
  isRedisReachable,
  REDIS_URL,
  uniqueRedisPrefix,
} from '../abuse/redis-kit.js'
import {
  adminQuery,
  createTestDatabases,
  POSTGRES_ADMIN_URL,
  type TestDatabases,
} from '../helpers/postgres-databases.js'
import { makeTempDir } from '../helpers/test-servers.js'

/**
 * Whether the file can run: under CI both dependencies must answer (an unreachable one throws,
 * failing the file); elsewhere a missing one skips the file with one warning naming it.
 */
export async function shouldRunScaleTests(file: string): Promise<boolean> {
  const missing: string[] = []
  try {
    await adminQuery('select 1')
  } catch (error) {
    missing.push(`PostgreSQL at ${new URL(POSTGRES_ADMIN_URL).host} (${String(error)})`)
  }
  if (!(await isRedisReachable())) missing.push(`Redis at ${REDIS_URL}`)
  if (missing.length === 0) return true
  if (process.env.CI === 'true') {
    throw new Error(`${file} needs ${missing.join(' and ')} under CI=true: unreachable`)
  }
  console.warn(`!!! SKIPPING ${file}: unreachable ${missing.join(' and ')} !!!`)
  return false
}

/** A 64-byte random secret, hex-encoded, as `gatehouse gen-secret` prints. */
export function randomSecret(): string {
  return randomBytes(64).toString('hex')
}

/** One deployment: the databases, Redis prefix and secrets every one of its processes shares. */
export interface Deployment {
  readonly authDatabaseUrl: string
  readonly postsDatabaseUrl: string
  readonly redisPrefix: string
  /** Variables every process of the deployment gets; `dataDir()` adds its own folder. */
  readonly sharedEnv: Readonly<Record<string, string>>
  /** A fresh data folder for one process (each server has its own, as on separate hosts). */
  dataDir(): string
  /** A direct Redis client (not through any proxy), for looking at the shared keys. */
  readonly redis: RedisConnection
  /** Drops the databases, deletes the Redis keys and the data folders. Stop the processes first. */
  close(): Promise<void>
}

/**
 * @param env Added to (and overriding) the shared variables, e.g. `TOKEN_ISSUER`.
 * @param urls Where the processes reach PostgreSQL and Redis (a proxy's port, say); the real
 *   servers by default. `redis` is the Redis the deployment uses, one server or a cluster
 *   (`redis+cluster://…`): the shared one by default.
 * @example
 * const deployment = await createDeployment({ TOKEN_ISSUER: authUrl })
 * afterAll(() => deployment.close())
 */
export async function createDeployment(
  env: Record<string, string>,
  urls: { postgresPort?: number; redisUrl?: string; redis?: string } = {},
): Promise<Deployment> {
  const databases: TestDatabases = createTestDatabases()
  const through = (url: string) => {
    if (urls.postgresPort === undefined) return url
    const proxied = new URL(url)
    proxied.host = `127.0.0.1:${urls.postgresPort}`
    return proxied.toString()
  }
  const authDatabaseUrl = through((await databases.create()).url)
  const postsDatabaseUrl = through((await databases.create()).url)
  const redisPrefix = uniqueRedisPrefix()
  const redisTarget = urls.redis ?? REDIS_URL
  const redis = createRedisClient(redisTarget, createLogger('scale-test', 'silent'))
  if (!(await waitForRedis(redis, 10_000))) throw new Error(`no Redis at ${redisTarget}`)
  const folders: (() => void)[] = []
  const sharedEnv = {
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    DEMO_DATA: 'false',
    DATABASE_URL: authDatabaseUrl,
    API_DATABASE_URL: postsDatabaseUrl,
    REDIS_URL: urls.redisUrl ?? redisTarget,
    REDIS_PREFIX: redisPrefix,
    // Each process has its own DATA_DIR: secrets generated there would differ between instances.
    KEY_ENCRYPTION_SECRET: randomSecret(),
    REFRESH_TOKEN_SECRET: randomSecret(),
    REVOCATION_FEED_TOKEN: randomSecret(),
    ...env,
  }
  return {
    authDatabaseUrl,
    postsDatabaseUrl,
    redisPrefix,
    sharedEnv,
    redis,
    dataDir() {
      const temp = makeTempDir('gatehouse-scale-')
      folders.push(temp.remove)
      return temp.dir
    },
    async close() {
      await databases.dropAll()
      await deleteKeysUnder(redis, redisPrefix)
      redis.disconnect()
      for (const remove of folders.splice(0)) remove()
    },
  }
}
