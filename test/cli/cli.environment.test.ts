/**
 * The CLI reads `.env` like the servers (it used to open `./data` whatever `.env` said, creating
 * users no server could see) and says on standard error which database it opens, with no
 * password in it.
 *
 * @see issue 11, point 6
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createStores } from '../../src/store/create-stores.js'
import { createTestDatabases, isPostgresAvailable } from '../helpers/postgres-databases.js'
import { makeTempDir } from '../helpers/test-servers.js'
import { runCli } from './run-cli.js'

const postgres = await isPostgresAvailable('test/cli/cli.environment.test.ts')
const PASSWORD = 'correct horse battery'

async function userExists(databaseUrl: string, username: string): Promise<boolean> {
  const stores = await createStores(databaseUrl)
  try {
    return (await stores.users.findByUsername(username)) !== undefined
  } finally {
    await stores.close()
  }
}

describe('the CLI and its environment', () => {
  const temp = makeTempDir('gatehouse-cli-env-')
  const databases = createTestDatabases()
  afterAll(async () => {
    temp.remove()
    await databases.dropAll()
  })

  /** A working folder whose `.env` holds `lines`. */
  function folderWithDotEnv(name: string, lines: string[]): string {
    const folder = path.join(temp.dir, name)
    fs.mkdirSync(folder)
    fs.writeFileSync(path.join(folder, '.env'), `${lines.join('\n')}\n`)
    return folder
  }

  it('creates the user in the database that .env names, and says which one it opened', async () => {
    const dataDir = path.join(temp.dir, 'elsewhere')
    const folder = folderWithDotEnv('project', [`DATA_DIR=${dataDir}`])
    const result = await runCli(
      ['users', 'create', '--user', 'Ann'],
      { NODE_ENV: 'test' },
      `${PASSWORD}\n`,
      folder,
    )
    expect(result.code).toBe(0)
    expect(result.stderr).toBe(
      `gatehouse: database sqlite:${dataDir}/auth.db (settings from ${folder}/.env and the environment)\n`,
    )
    expect(await userExists(`sqlite:${dataDir}/auth.db`, 'Ann')).toBe(true)
    // Not the ./data of the working folder, where the user used to end up.
    expect(fs.existsSync(path.join(folder, 'data'))).toBe(false)
  })

  it('lets a variable set in the environment win over .env, as the servers do', async () => {
    const fromEnv = path.join(temp.dir, 'from-env')
    const folder = folderWithDotEnv('overridden', [`DATA_DIR=${path.join(temp.dir, 'from-file')}`])
    const result = await runCli(
      ['keys', 'list'],
      { NODE_ENV: 'test', DATA_DIR: fromEnv },
      '',
      folder,
    )
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(new RegExp(`^gatehouse: database sqlite:${fromEnv}/auth.db `))
  })

  it('names the data folder it opens when there is no .env', async () => {
    const folder = path.join(temp.dir, 'bare')
    fs.mkdirSync(folder)
    const result = await runCli(['keys', 'list'], { NODE_ENV: 'test' }, '', folder)
    expect(result.code).toBe(0)
    expect(result.stderr).toBe(`gatehouse: database sqlite:${folder}/data/auth.db\n`)
  })

  it.skipIf(!postgres)(
    'prints a PostgreSQL DATABASE_URL from .env without its password',
    async () => {
      const { url } = await databases.create()
      const withPassword = url.replace('//postgres@', '//postgres:hunter2@')
      expect(withPassword).toContain('hunter2')
      const folder = folderWithDotEnv('postgres', [`DATABASE_URL=${withPassword}`])
      const result = await runCli(['keys', 'list'], { NODE_ENV: 'test' }, '', folder)
      expect(result.code).toBe(0)
      expect(result.stderr).toBe(
        `gatehouse: database ${url.replace('//postgres@', '//postgres:[redacted]@')} (settings from ${folder}/.env and the environment)\n`,
      )
      expect(result.stdout + result.stderr).not.toContain('hunter2')
    },
  )
})
