/**
 * The PostgreSQL pool itself when the database goes away under it (through a test-owned TCP
 * proxy): a reset connection fails its queries instead of crashing the process, and a database
 * that stops answering fails them after the query timeout instead of holding them forever.
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DEFAULT_QUERY_TIMEOUT,
  openPostgresDatabase,
} from '../../src/store/postgres/open-postgres-database.js'
import { isPostgresAvailable, POSTGRES_ADMIN_URL } from '../helpers/postgres-databases.js'
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js'

const available = await isPostgresAvailable('test/scale/postgres-pool.faults.test.ts')

describe.skipIf(!available)('the PostgreSQL pool behind a connection that fails', () => {
  let proxy: TcpProxy
  let db: ReturnType<typeof openPostgresDatabase<unknown>>

  beforeAll(async () => {
    const target = new URL(POSTGRES_ADMIN_URL)
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) })
    const proxied = new URL(POSTGRES_ADMIN_URL)
    proxied.host = `127.0.0.1:${proxy.port}`
    db = openPostgresDatabase<unknown>(proxied.toString())
  })
  afterAll(async () => {
    await proxy?.restore()
    await db?.destroy()
    await proxy?.close()
  })

  const one = async () => (await sql<{ one: number }>`select 1 as one`.execute(db)).rows

  it('fails the transaction of a connection reset while checked out, and the process lives on', async () => {
    // Between two queries of a transaction the connection is checked out and idle: pg emits the
    // reset on the client itself, which crashed the process while nobody listened there.
    const transaction = db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx)
      await proxy.cut()
      await new Promise((resolve) => setTimeout(resolve, 100))
      await sql`select 2`.execute(trx)
    })
    await expect(transaction).rejects.toThrow(/Connection terminated|ECONNRESET|not queryable/)
    await proxy.restore()
    expect(await one()).toEqual([{ one: 1 }])
  })

  it('fails a query on a connection that stops answering after the query timeout', async () => {
    expect(await one()).toEqual([{ one: 1 }]) // a pooled connection, open and idle
    await proxy.stall()
    const started = performance.now()
    await expect(one()).rejects.toThrow('Query read timeout')
    // The subject is the timeout: bounded, with slack for a busy machine.
    expect(performance.now() - started).toBeLessThan((DEFAULT_QUERY_TIMEOUT + 3) * 1000)
    await proxy.restore()
    expect(await one()).toEqual([{ one: 1 }])
  })
})
