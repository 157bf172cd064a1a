import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { importJWK, type JWK, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKeyEncryption } from '../../src/tokens/keys/key-encryption.js'
import { rotatedKid, runCli } from '../cli/run-cli.js'
import { login, makeTempDir, startTestServers, type TestServers } from '../helpers/test-servers.js'

interface SigningKeyRow {
  kid: string
  alg: string
  public_jwk: string
  private_jwk: string
  /** Null while the key is upcoming: published, not yet signing. */
  activated_at: number | null
}

/** The signing_keys rows of an auth database, read straight from the SQLite file. */
function readSigningKeys(dataDir: string): SigningKeyRow[] {
  const db = new Database(path.join(dataDir, 'auth.db'), { readonly: true, fileMustExist: true })
  try {
    return db
      .prepare('SELECT kid, alg, public_jwk, private_jwk, activated_at FROM signing_keys')
      .all() as SigningKeyRow[]
  } finally {
    db.close()
  }
}

const isJson = (text: string) => {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

const GCM_FAILURE = 'Unsupported state or unable to authenticate data'

describe('signing keys at rest (generated key-encryption secret)', () => {
  let servers: TestServers
  let rows: SigningKeyRow[]
  /** The current key's row. */
  let row: SigningKeyRow
  let secret: string
  beforeAll(async () => {
    servers = await startTestServers()
    rows = readSigningKeys(servers.dataDir)
    row = rows.find((candidate) => candidate.activated_at !== null) as SigningKeyRow
    secret = fs.readFileSync(path.join(servers.dataDir, 'key-encryption.secret'), 'utf8').trim()
  })
  afterAll(() => servers.close())

  it('generates <DATA_DIR>/key-encryption.secret, readable by its owner only', () => {
    expect(secret).toMatch(/^[0-9a-f]{128}$/)
    const mode = fs.statSync(path.join(servers.dataDir, 'key-encryption.secret')).mode & 0o777
    expect(mode).toBe(0o600)
  })

  it('stores two keys at start: the current one and an upcoming one that signs nothing yet', () => {
    expect(rows.map((stored) => stored.activated_at === null)).toEqual(
      expect.arrayContaining([true, false]),
    )
    expect(rows).toHaveLength(2)
    expect(new Set(rows.map((stored) => stored.kid)).size).toBe(2)
  })

  it('stores every private key sealed, the upcoming one too: not a JWK, without its "d" value', async () => {
    for (const stored of rows) {
      expect(stored.private_jwk).toMatch(/^v1\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/)
      expect(isJson(stored.private_jwk)).toBe(false)

      const privateJwk = JSON.parse(createKeyEncryption(secret).decrypt(stored.private_jwk)) as JWK
      const publicJwk = JSON.parse(stored.public_jwk) as JWK
      expect(privateJwk).toMatchObject({
        kty: 'OKP',
        crv: 'Ed25519',
        kid: stored.kid,
        x: publicJwk.x,
      })
      expect(privateJwk.d).toMatch(/^[\w-]{43}$/)
      expect(stored.private_jwk).not.toContain(privateJwk.d)
      expect(stored.public_jwk).not.toContain(privateJwk.d)
      expect(publicJwk).not.toHaveProperty('d')
    }
  })

  it('holds, as its current key, the key that signs the tokens the auth server issues', async () => {
    const { accessToken } = await login(servers.authUrl)
    const publicKey = await importJWK(JSON.parse(row.public_jwk) as JWK, 'EdDSA')
    const { protectedHeader } = await jwtVerify(accessToken, publicKey, { typ: 'at+jwt' })
    expect(protectedHeader.kid).toBe(row.kid)
  })

  it('cannot be opened with another secret', () => {
    const other = createKeyEncryption('another secret of at least thirty-two bytes!')
    expect(() => other.decrypt(row.private_jwk)).toThrow(GCM_FAILURE)
  })
})

describe('key encryption (AES-256-GCM)', () => {
  const encryption = createKeyEncryption('s'.repeat(64))

  it('round-trips a text and seals it differently each time (random IV)', () => {
    const first = encryption.encrypt('{"d":"secret"}')
    const second = encryption.encrypt('{"d":"secret"}')
    expect(first).not.toBe(second)
    expect(encryption.decrypt(first)).toBe('{"d":"secret"}')
    expect(encryption.decrypt(second)).toBe('{"d":"secret"}')
  })

  it('refuses a sealed text whose ciphertext was changed', () => {
    const [version, iv, ciphertext, tag] = encryption.encrypt('{"d":"secret"}').split('.')
    const changed = `${ciphertext?.[0] === 'A' ? 'B' : 'A'}${ciphertext?.slice(1)}`
    expect(() => encryption.decrypt([version, iv, changed, tag].join('.'))).toThrow(GCM_FAILURE)
  })

  it('refuses a text in an unknown format', () => {
    expect(() => encryption.decrypt('{"kty":"OKP","d":"x"}')).toThrow(
      'signing key: unknown encryption format',
    )
  })
})

describe('signing keys at rest with KEY_ENCRYPTION_SECRET', () => {
  const temp = makeTempDir()
  afterAll(() => temp.remove())
  const configured = 'k'.repeat(48)

  it('seals keys with the configured secret and writes no secret file', async () => {
    const kid = rotatedKid(
      await runCli(['keys', 'rotate'], {
        NODE_ENV: 'test',
        DATA_DIR: temp.dir,
        KEY_ENCRYPTION_SECRET: configured,
      }),
    )
    expect(fs.existsSync(path.join(temp.dir, 'key-encryption.secret'))).toBe(false)
    // On an empty store the rotation makes a current key (the one it names) and an upcoming one.
    const rows = readSigningKeys(temp.dir)
    expect(rows).toHaveLength(2)
    expect(rows.find((row) => row.activated_at !== null)?.kid).toBe(kid)
    for (const row of rows) {
      const privateJwk = JSON.parse(createKeyEncryption(configured).decrypt(row.private_jwk))
      expect(privateJwk).toMatchObject({
        kid: row.kid,
        kty: 'OKP',
        crv: 'Ed25519',
        d: expect.any(String),
      })
      expect(() => createKeyEncryption('x'.repeat(48)).decrypt(row.private_jwk)).toThrow(
        GCM_FAILURE,
      )
    }
  })
})
