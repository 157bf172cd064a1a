/**
 * Both OpenAPI documents pass Spectral's OpenAPI rules (`.spectral.yaml`, `spectral:oas`) with
 * no errors: the Spectral CLI runs on the documents written to a temporary folder.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { apiDocument } from '../../src/openapi/api-document.js'
import { authDocument } from '../../src/openapi/auth-document.js'
import { makeTempDir } from '../helpers/test-servers.js'

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '../..')
const spectral = path.join(root, 'node_modules/.bin/spectral')

interface SpectralResult {
  readonly code: string | number
  readonly message: string
  readonly path: readonly (string | number)[]
  /** 0 error, 1 warning, 2 info, 3 hint. */
  readonly severity: number
}

/** Spectral's findings on `document`. */
async function lint(dir: string, name: string, document: object): Promise<SpectralResult[]> {
  const file = path.join(dir, `${name}.json`)
  fs.writeFileSync(file, JSON.stringify(document, null, 2))
  // `--fail-severity` above every finding: the exit code stays 0, the findings are read as JSON.
  const { stdout } = await run(
    spectral,
    [
      'lint',
      file,
      '--ruleset',
      path.join(root, '.spectral.yaml'),
      '--format',
      'json',
      '--fail-severity',
      'hint',
      '--quiet',
    ],
    { cwd: root },
  ).catch((error: { stdout?: string; stderr?: string }) => {
    // A finding makes the exit code non-zero; the JSON is on stdout all the same.
    if (error.stdout) return { stdout: error.stdout }
    throw error
  })
  return stdout.trim() === '' ? [] : (JSON.parse(stdout) as SpectralResult[])
}

describe('Spectral on the OpenAPI documents', () => {
  const temp = makeTempDir('gatehouse-spectral-')
  afterAll(() => temp.remove())

  it.each([
    ['auth', authDocument],
    ['api', apiDocument],
  ] as const)('finds no error in the %s server’s document', async (name, build) => {
    const findings = await lint(temp.dir, name, build())
    const errors = findings.filter((finding) => finding.severity === 0)
    expect(errors.map((e) => `${e.code} at ${e.path.join('.')}: ${e.message}`)).toEqual([])
  })

  it('reports an error in a broken document, so the check can fail', async () => {
    const broken = { ...authDocument(), paths: { '/x': { get: { responses: {} } } } }
    const findings = await lint(temp.dir, 'broken', { ...broken, openapi: 3.1 })
    expect(findings.some((finding) => finding.severity === 0)).toBe(true)
  })
})
