import { describe } from 'vitest'
import { shouldRunRedisTests } from '../abuse/redis-kit.js'
import { isPostgresAvailable } from '../helpers/postgres-databases.js'
import { createPostgresRedisBackend } from './backends.js'
import { describeStoreContract } from './contract.js'

const available =
  (await isPostgresAvailable('test/store/postgres-redis.test.ts')) &&
  (await shouldRunRedisTests('the store contract on PostgreSQL + Redis'))

describe.skipIf(!available)('on PostgreSQL + Redis (SESSION_STORE=redis)', () => {
  describeStoreContract('PostgreSQL + Redis', async () => createPostgresRedisBackend())
})
