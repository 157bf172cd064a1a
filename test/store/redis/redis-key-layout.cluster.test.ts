/**
 * The key layout on a real Redis Cluster (`REDIS_CLUSTER_URL`): after every kind of session write
 * (create, rotate, revoke, logout everywhere, sweep) and revocation-log append, every key the
 * session and revocation stores left holds one hash slot, the `{sessions}` tag's, so no script
 * can meet CROSSSLOT; seen DPoP proofs, one key per command, spread over the primaries.
 */
import { randomUUID } from 'node:crypto'
import { Cluster } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nowSeconds } from '../../../src/lib/time.js'
import { createRedisDpopProofStore } from '../../../src/store/redis/redis-dpop-proof-store.js'
import { SESSIONS_HASH_TAG } from '../../../src/store/redis/redis-key-layout.js'
import { createRedisRevocationStore } from '../../../src/store/redis/redis-revocation-store.js'
import { createRedisSessionStore } from '../../../src/store/redis/redis-session-store.js'
import { coverAt } from '../../helpers/revocation-cover.js'
import {
  keysUnder,
  newSession,
  openRedis,
  type RedisTestContext,
  randomHash,
  redisClusterUrlFor,
  stubUsers,
} from './redis-store-kit.js'

const clusterUrl = redisClusterUrlFor('the Redis key layout on a cluster')

describe.runIf(clusterUrl !== undefined)('the Redis key layout on a Redis Cluster', () => {
  let context: RedisTestContext
  let cluster: Cluster
  beforeAll(async () => {
    context = await openRedis(clusterUrl)
    if (!(context.redis instanceof Cluster)) throw new Error(`${clusterUrl} is not a cluster`)
    cluster = context.redis
  })
  afterAll(() => context?.cleanUp())

  const slotOf = async (key: string) => Number(await cluster.cluster('KEYSLOT', key))

  it('keeps every key of sessions, their user and the revocation log in the {sessions} slot', async () => {
    const prefix = `${context.prefix}sessions:`
    const { store: users, ids } = stubUsers('Jane', 'John')
    const [jane = '', john = ''] = ids
    const sessions = createRedisSessionStore({ redis: cluster, prefix, users })
    const revocations = createRedisRevocationStore({ redis: cluster, prefix })
    const now = nowSeconds()
    const [first, second, third] = [newSession(jane), newSession(jane), newSession(john)]
    for (const session of [first, second, third]) if (session) await sessions.create(session)
    if (!first || !second || !third) throw new Error('three sessions')
    expect(await sessions.rotate(first.id, first.refreshHash, randomHash(), now, now + 900)).toBe(
      true,
    )
    expect(await sessions.revoke(third.id, coverAt(now))).toBe(true)
    expect((await sessions.revokeAllForUser(jane, coverAt(now), second.id)).sort()).toEqual([
      first.id,
    ])
    expect((await sessions.listLiveForUser(jane, now, 3600)).map((s) => s.id)).toEqual([second.id])
    expect(await sessions.findByRefreshHash(first.refreshHash)).toMatchObject({ match: 'retired' })
    await revocations.add([{ kind: 'jti', value: randomUUID(), expiresAt: now + 60 }], now)
    expect((await revocations.listActive(now, 0, 10)).entries).toHaveLength(3)
    await expectOneSlot(prefix, 12)
    expect(await sessions.sweep(now + 1, 0)).toBe(2)
    await expectOneSlot(prefix, 8)
  })

  /** Every key under `prefix` (at least `least` of them) is a `{sessions}` key, in its slot. */
  async function expectOneSlot(prefix: string, least: number) {
    const keys = await keysUnder(cluster, prefix)
    expect(keys.length).toBeGreaterThanOrEqual(least)
    const slots = new Set(await Promise.all(keys.map(slotOf)))
    expect([...slots]).toEqual([await slotOf(SESSIONS_HASH_TAG)])
    for (const key of keys) expect(key.startsWith(`${prefix}${SESSIONS_HASH_TAG}:`), key).toBe(true)
  }

  it('spreads seen DPoP proofs over more than one primary', async () => {
    const prefix = `${context.prefix}dpop:`
    const proofs = createRedisDpopProofStore({ redis: cluster, prefix })
    for (let i = 0; i < 30; i++)
      expect(await proofs.use(randomUUID(), nowSeconds() + 60)).toBe(true)
    const holders = await Promise.all(
      cluster.nodes('master').map(async (node) => (await keysUnder(node, prefix)).length),
    )
    expect(holders.reduce((sum, count) => sum + count, 0)).toBe(30)
    expect(holders.filter((count) => count > 0).length).toBeGreaterThan(1)
  })
})
