import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../src/logging/create-logger.js'
import { startApiServer } from '../../src/main/start-api-server.js'
import {
  bearer,
  login,
  makeTempDir,
  request,
  sendJson,
  startTestServers,
  type TestServers,
  testConfig,
} from '../helpers/test-servers.js'
import { newSecret } from '../verify/token-kit.js'

function tablesOf(file: string): string[] {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const rows = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all() as { name: string }[]
    return rows.map((row) => row.name)
  } finally {
    db.close()
  }
}

describe('the API server keeps its posts in its own database', () => {
  const temp = makeTempDir('gatehouse-dbs-')
  const authFile = path.join(temp.dir, 'separate', 'auth-only.db')
  const apiFile = path.join(temp.dir, 'separate', 'posts-only.db')
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({
      ACCESS_TOKEN_SECRET: newSecret(),
      DATABASE_URL: `sqlite:${authFile}`,
      API_DATABASE_URL: `sqlite:${apiFile}`,
    })
    const jane = bearer((await login(servers.authUrl, 'Jane')).accessToken)
    const created = await sendJson(
      `${servers.apiUrl}/posts`,
      { title: 'Stored apart' },
      'POST',
      jane,
    )
    if (created.status !== 201) throw new Error(`POST /posts answered ${created.status}`)
  })
  afterAll(async () => {
    await servers.close()
    temp.remove()
  })

  it('stores posts in API_DATABASE_URL, which has no users or sessions table', () => {
    const tables = tablesOf(apiFile)
    expect(tables).toContain('posts')
    expect(tables.filter((name) => /user|session|key/i.test(name))).toEqual([])
    const db = new Database(apiFile, { readonly: true })
    const titles = db.prepare('SELECT title FROM posts').all() as { title: string }[]
    db.close()
    expect(titles.map((row) => row.title)).toContain('Stored apart')
  })

  it('keeps no posts table in the auth database', () => {
    const tables = tablesOf(authFile)
    expect(tables).toContain('users')
    expect(tables).not.toContain('posts')
  })

  it('uses neither default database file in the data folder', () => {
    expect(fs.existsSync(path.join(servers.dataDir, 'auth.db'))).toBe(false)
    expect(fs.existsSync(path.join(servers.dataDir, 'api.db'))).toBe(false)
  })
})

describe('the API server started alone', () => {
  const temp = makeTempDir('gatehouse-api-alone-')
  const authFile = path.join(temp.dir, 'never-opened-auth.db')
  let close: () => Promise<void>
  let apiUrl: string
  beforeAll(async () => {
    const config = testConfig(temp.dir, {
      ACCESS_TOKEN_SECRET: newSecret(),
      DATABASE_URL: `sqlite:${authFile}`,
    })
    const api = await startApiServer(config, createLogger('test', 'silent'))
    close = api.close
    apiUrl = `http://127.0.0.1:${api.port}`
  })
  afterAll(async () => {
    await close()
    temp.remove()
  })

  it('never creates or opens the auth database', async () => {
    expect((await request(`${apiUrl}/posts`)).status).toBe(401)
    expect(fs.existsSync(authFile)).toBe(false)
    expect(fs.readdirSync(temp.dir).filter((name) => name.startsWith('never-opened'))).toEqual([])
  })
})
