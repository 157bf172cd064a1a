/**
 * Control characters and header or log injection in usernames: CR/LF, NUL, line and paragraph
 * separators, bidi overrides and zero-width characters are refused at registration with 400, and
 * nothing of them reaches a response header or splits a log line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sendJson } from '../helpers/test-servers.js'
import {
  expectError,
  GOOD_PASSWORD,
  type LoggedAuthServer,
  rawHttp,
  rawRequest,
  requestEntries,
  startLoggedAuthServer,
} from './abuse-kit.js'

const REFUSED = 'username: must not contain control or invisible characters'

const HOSTILE_NAMES = {
  'CR LF header injection': 'eve\r\nSet-Cookie: session=stolen',
  'bare LF log injection': 'eve\n{"level":50,"msg":"forged"}',
  NUL: 'eve\u0000admin',
  'line separator': 'eve\u2028admin',
  'paragraph separator': 'eve\u2029admin',
  'right-to-left override': 'eve\u202egnp.exe',
  'zero-width space': 'ad\u200bmin',
  'zero-width joiner': 'ad\u200dmin',
  'byte order mark': '\ufeffadmin',
  tab: 'eve\tadmin',
  DEL: 'eve\u007fadmin',
  'C1 control': 'eve\u0085admin',
} as const

describe('hostile characters in usernames', () => {
  let logged: LoggedAuthServer
  beforeAll(async () => {
    logged = await startLoggedAuthServer({ RATE_LIMIT_REGISTER_IP: 'off' })
  })
  afterAll(() => logged.close())

  it('refuses each at registration with 400 and a message that does not echo it', async () => {
    for (const [name, username] of Object.entries(HOSTILE_NAMES)) {
      const res = await sendJson(`${logged.url}/register`, { username, password: GOOD_PASSWORD })
      expect(res.status, name).toBe(400)
      expectError(res, 'ERR_VALIDATION', REFUSED)
    }
  })

  it('answers a login with each with 401, and no response header carries any of it', async () => {
    const port = Number(new URL(logged.url).port)
    for (const [name, username] of Object.entries(HOSTILE_NAMES)) {
      const body = Buffer.from(JSON.stringify({ username, password: GOOD_PASSWORD }))
      const res = await rawRequest(
        port,
        rawHttp('POST', '/login', { 'Content-Type': 'application/json' }, body),
      )
      expect(res.status, name).toBe(401)
      expect(res.head, name).not.toMatch(/set-cookie|eve|admin|gnp/i)
      expect(
        res.head.split('\r\n').every((line) => /^[\x20-\x7e]*$/.test(line)),
        name,
      ).toBe(true)
    }
  })

  it('writes one well-formed log line per request, none of them split', async () => {
    expect(logged.lines.length).toBeGreaterThan(0)
    for (const line of logged.lines) {
      expect(line.endsWith('\n')).toBe(true)
      expect(line.slice(0, -1)).not.toMatch(/[\n\r\u2028\u2029]/)
      expect(() => JSON.parse(line)).not.toThrow()
    }
    const names = Object.keys(HOSTILE_NAMES).length
    const entries = requestEntries(logged.lines)
    expect(entries.filter((entry) => entry.path === '/register')).toHaveLength(names)
    expect(entries.filter((entry) => entry.path === '/login')).toHaveLength(names)
    // A failed login's audit line keeps the name as typed, as a JSON string: no line of its own.
    expect(logged.lines.some((line) => JSON.parse(line).msg === 'forged')).toBe(false)
  })
})
