import { type Kysely, type Migration, Migrator } from 'kysely'

/**
 * Brings a database up to the newest of `migrations`. Kysely's migrator takes a lock, so several
 * instances starting at once apply each migration exactly once.
 *
 * @throws the first failing migration's error, after the ones before it have been applied.
 */
export async function runMigrations(
  db: Kysely<unknown>,
  migrations: Record<string, Migration>,
): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  const { error } = await migrator.migrateToLatest()
  if (error) throw error
}
