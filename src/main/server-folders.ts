/**
 * Which folders a server writes to, for `assertWritableFolder`: `DATA_DIR` when a secret is
 * generated there or its SQLite database lives there; the folder of a SQLite file elsewhere,
 * named after the database URL.
 *
 * @module
 */
import path from 'node:path'
import type { Config } from '../config/load-config.js'
import { databaseKind, sqlitePath } from '../lib/database-url.js'
import type { FolderCheck } from './assert-writable-folder.js'

/**
 * @param setting The database URL's variable, `DATABASE_URL` or `API_DATABASE_URL`.
 * @param secrets Secret files generated in `DATA_DIR` (`refresh-token.secret`, ...).
 * @example
 * serverFolders(config, 'API_DATABASE_URL', config.apiDatabaseUrl, [])
 */
export function serverFolders(
  config: Config,
  setting: string,
  url: string,
  secrets: readonly string[],
): FolderCheck[] {
  const checks: FolderCheck[] = []
  const file = databaseKind(url) === 'sqlite' ? sqlitePath(url) : undefined
  const inDataDir = file !== undefined && path.dirname(file) === config.dataDir
  const dataFiles = [...secrets, ...(file && inDataDir ? [path.basename(file)] : [])]
  if (dataFiles.length > 0)
    checks.push({ setting: 'DATA_DIR', dir: config.dataDir, files: dataFiles })
  if (file && !inDataDir)
    checks.push({ setting, dir: path.dirname(file), files: [path.basename(file)] })
  return checks
}

/** The auth server's folders: its database, and the secrets it generates when they are not set. */
export function authServerFolders(config: Config): FolderCheck[] {
  const secrets = [
    config.refreshTokenSecret === undefined ? 'refresh-token.secret' : undefined,
    config.accessTokenSecret === undefined && config.keyEncryptionSecret === undefined
      ? 'key-encryption.secret'
      : undefined,
  ].filter((name) => name !== undefined)
  return serverFolders(config, 'DATABASE_URL', config.databaseUrl, secrets)
}

/** The API server's folders: its database only. */
export function apiServerFolders(config: Config): FolderCheck[] {
  return serverFolders(config, 'API_DATABASE_URL', config.apiDatabaseUrl, [])
}
