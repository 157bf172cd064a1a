/**
 * The store contract with sessions, the revocation log and DPoP proofs on a three-primary Redis
 * Cluster (`REDIS_CLUSTER_URL`, started by `scripts/redis-cluster.sh`): every script must find its
 * keys in one slot, or the cluster refuses it with CROSSSLOT and the contract fails.
 */
import { describe } from 'vitest'
import { redisClusterUrlFor } from '../abuse/redis-kit.js'
import { isPostgresAvailable } from '../helpers/postgres-databases.js'
import { createPostgresRedisBackend } from './backends.js'
import { describeStoreContract } from './contract.js'

const clusterUrl = (await isPostgresAvailable('test/store/postgres-redis-cluster.test.ts'))
  ? redisClusterUrlFor('the store contract on PostgreSQL + Redis Cluster')
  : undefined

describe.runIf(clusterUrl !== undefined)(
  'on PostgreSQL + Redis Cluster (SESSION_STORE=redis)',
  () => {
    describeStoreContract('PostgreSQL + Redis Cluster', async () =>
      createPostgresRedisBackend(clusterUrl),
    )
  },
)
