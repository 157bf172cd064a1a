/**
 * `MfaStore` on any Kysely SQL dialect. The races are decided by the database: a step is accepted
 * by one `update … where last_step < :step`, a recovery code used by one `update … where used_at
 * is null`, and a confirmation is one transaction guarded by `where confirmed_at is null`.
 *
 * @module
 */
import type { Kysely } from 'kysely'
import type { AuthDatabase } from '../store/sql/schema.js'
import { guardStore } from '../store/sql/store-errors.js'
import type { MfaStore } from './mfa-store.js'

/**
 * @example
 * const mfa = createSqlMfaStore(db)
 * await mfa.acceptStep(userId, 58_000_000)
 */
export function createSqlMfaStore(db: Kysely<AuthDatabase>): MfaStore {
  return {
    findTotp: (userId) =>
      guardStore(async () => {
        const row = await db
          .selectFrom('totpFactors')
          .selectAll()
          .where('userId', '=', userId)
          .executeTakeFirst()
        if (row === undefined) return undefined
        return {
          userId: row.userId,
          sealedSecret: row.secret,
          createdAt: Number(row.createdAt),
          confirmedAt: row.confirmedAt === null ? null : Number(row.confirmedAt),
          lastStep: Number(row.lastStep),
        }
      }),

    beginTotp: (userId, sealedSecret, now) =>
      guardStore(async () => {
        const row = await db
          .insertInto('totpFactors')
          .values({ userId, secret: sealedSecret, createdAt: now, confirmedAt: null, lastStep: 0 })
          .onConflict((oc) =>
            oc
              .column('userId')
              .doUpdateSet({ secret: sealedSecret, createdAt: now, lastStep: 0 })
              .where('totpFactors.confirmedAt', 'is', null),
          )
          .returning('userId')
          .executeTakeFirst()
        return row !== undefined
      }),

    confirmTotp: (userId, sealedSecret, step, codes, now) =>
      guardStore(() =>
        db.transaction().execute(async (trx) => {
          const confirmed = await trx
            .updateTable('totpFactors')
            .set({ confirmedAt: now, lastStep: step })
            .where('userId', '=', userId)
            .where('secret', '=', sealedSecret)
            .where('confirmedAt', 'is', null)
            .executeTakeFirst()
          if (Number(confirmed.numUpdatedRows) !== 1) return false
          await trx.deleteFrom('recoveryCodes').where('userId', '=', userId).execute()
          await trx
            .insertInto('recoveryCodes')
            .values(codes.map((code) => ({ ...code, userId, createdAt: now, usedAt: null })))
            .execute()
          return true
        }),
      ),

    acceptStep: (userId, step) =>
      guardStore(async () => {
        const result = await db
          .updateTable('totpFactors')
          .set({ lastStep: step })
          .where('userId', '=', userId)
          .where('confirmedAt', 'is not', null)
          .where('lastStep', '<', step)
          .executeTakeFirst()
        return Number(result.numUpdatedRows) === 1
      }),

    unusedRecoveryCodes: (userId) =>
      guardStore(() =>
        db
          .selectFrom('recoveryCodes')
          .select(['id', 'hash'])
          .where('userId', '=', userId)
          .where('usedAt', 'is', null)
          .execute(),
      ),

    useRecoveryCode: (id, now) =>
      guardStore(async () => {
        const result = await db
          .updateTable('recoveryCodes')
          .set({ usedAt: now })
          .where('id', '=', id)
          .where('usedAt', 'is', null)
          .executeTakeFirst()
        return Number(result.numUpdatedRows) === 1
      }),

    countRecoveryCodes: (userId) =>
      guardStore(async () => {
        const row = await db
          .selectFrom('recoveryCodes')
          .select((eb) => eb.fn.countAll<number | string | bigint>().as('count'))
          .where('userId', '=', userId)
          .where('usedAt', 'is', null)
          .executeTakeFirstOrThrow()
        return Number(row.count)
      }),

    removeAll: (userId) =>
      guardStore(() =>
        db.transaction().execute(async (trx) => {
          await trx.deleteFrom('recoveryCodes').where('userId', '=', userId).execute()
          const removed = await trx
            .deleteFrom('totpFactors')
            .where('userId', '=', userId)
            .executeTakeFirst()
          return Number(removed.numDeletedRows) > 0
        }),
      ),
  }
}
