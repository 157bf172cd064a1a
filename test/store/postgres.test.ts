import { describe } from 'vitest'
import { isPostgresAvailable } from '../helpers/postgres-databases.js'
import { createPostgresBackend } from './backends.js'
import { describeStoreContract } from './contract.js'

const available = await isPostgresAvailable('test/store/postgres.test.ts')

describe.skipIf(!available)('on PostgreSQL', () => {
  describeStoreContract('PostgreSQL', async () => createPostgresBackend())
})
