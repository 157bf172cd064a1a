/**
 * Whether the process can reach and write a database, without changing it: SQLite by the file
 * and its folder (SQLite writes journal files beside the database), PostgreSQL by a temporary
 * table in a transaction that is rolled back. Neither runs migrations nor creates anything.
 *
 * @module
 */
import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import type { DatabasePoolConfig } from '../../config/load-config.js'
import { sqlitePath } from '../../lib/database-url.js'
import { redactUrl } from '../../lib/redact-url.js'
import { openDatabase } from '../../store/open-database.js'
import type { Finding } from './finding.js'

/**
 * @param settingName The variable that names it (`DATABASE_URL`, `API_DATABASE_URL`).
 * @example
 * const findings = await checkDatabase('DATABASE_URL', config.databaseUrl, config.databasePool)
 */
export async function checkDatabase(
  settingName: string,
  url: string,
  pool: DatabasePoolConfig,
): Promise<Finding[]> {
  const shown = redactUrl(url)
  const error = (message: string): Finding[] => [
    { level: 'error', setting: settingName, message: `${shown}: ${message}` },
  ]
  if (url.startsWith('sqlite:')) return checkSqlite(sqlitePath(url), error)
  let db: ReturnType<typeof openDatabase> | undefined
  try {
    db = openDatabase(url, pool)
    await db.transaction().execute(async (trx) => {
      await sql`create temporary table gatehouse_doctor_probe (id integer)`.execute(trx)
      throw ROLLBACK
    })
  } catch (caught) {
    if (caught === ROLLBACK) return []
    const code = (caught as { code?: unknown } | null)?.code
    return error(
      `cannot be reached or written${typeof code === 'string' ? ` (${code})` : ''}; check the host, the port, the user's password and its rights on the database`,
    )
  } finally {
    await db?.destroy()
  }
  return []
}

const ROLLBACK = new Error('rolled back on purpose')

function checkSqlite(file: string, error: (message: string) => Finding[]): Finding[] {
  if (fs.existsSync(file)) {
    try {
      fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK)
    } catch {
      return error('the file cannot be written by this user; fix its owner or permissions')
    }
  }
  // The nearest folder that exists: the servers create the missing ones below it.
  let folder = path.dirname(file)
  while (!fs.existsSync(folder) && path.dirname(folder) !== folder) folder = path.dirname(folder)
  try {
    if (!fs.statSync(folder).isDirectory()) return error(`${folder} is not a folder`)
    fs.accessSync(folder, fs.constants.W_OK)
  } catch {
    return error(
      `the folder ${folder} cannot be written by this user (SQLite writes its journal beside the database); fix its owner or permissions, or set DATA_DIR elsewhere`,
    )
  }
  return []
}
