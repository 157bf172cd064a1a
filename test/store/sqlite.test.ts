import { createSqliteBackend } from './backends.js'
import { describeStoreContract } from './contract.js'

describeStoreContract('SQLite', async () => createSqliteBackend())
