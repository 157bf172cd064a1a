/**
 * `docs/errors.md` lists every code of `src/errors/codes.ts` with its status and message; these
 * tests fail as soon as the two disagree.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ERROR_CODES } from '../../src/errors/codes.js'

const DOC_PATH = path.resolve(import.meta.dirname, '../../docs/errors.md')

interface DocumentedError {
  readonly status: number
  readonly message: string
}

/** Rows of the form `| \`ERR_X\` | 400 | message | when |`, keyed by code. */
function parseErrorTable(markdown: string): Map<string, DocumentedError> {
  const rows = new Map<string, DocumentedError>()
  for (const line of markdown.split('\n')) {
    const cells = line
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((cell) => cell.trim())
    const code = /^`(ERR_[A-Z0-9_]+)`$/.exec(cells[0] ?? '')?.[1]
    if (!code) continue
    if (rows.has(code)) throw new Error(`docs/errors.md lists ${code} twice`)
    rows.set(code, { status: Number(cells[1]), message: cells[2] ?? '' })
  }
  return rows
}

const documented = parseErrorTable(fs.readFileSync(DOC_PATH, 'utf8'))
const registry = Object.entries(ERROR_CODES)

describe('docs/errors.md', () => {
  it('has a table row for at least one code', () => {
    expect(documented.size).toBeGreaterThan(0)
  })

  it.each(registry)('documents %s', (code) => {
    expect(documented.has(code), `${code} is missing from docs/errors.md`).toBe(true)
  })

  it.each(registry)('gives %s the status and message of the registry', (code, entry) => {
    expect(documented.get(code)).toEqual({ status: entry.status, message: entry.message })
  })

  it('lists no code that the registry does not declare', () => {
    const unknown = [...documented.keys()].filter((code) => !Object.hasOwn(ERROR_CODES, code))
    expect(unknown, 'codes in docs/errors.md but not in src/errors/codes.ts').toEqual([])
  })
})
