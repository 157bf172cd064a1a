/**
 * `docs/security.md` names every rate limit, the proxy setting and the CORS setting the
 * configuration schema reads; these tests fail when a new one ships without its threat-model entry.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { envSchema } from '../../src/config/env-schema.js'

const DOC_PATH = path.resolve(import.meta.dirname, '../../docs/security.md')
const rateLimitVariables = Object.keys(envSchema.shape).filter((name) =>
  name.startsWith('RATE_LIMIT_'),
)
const securityVariables = [...rateLimitVariables, 'TRUST_PROXY', 'CORS_ORIGINS']

describe('docs/security.md', () => {
  it('exists', () => {
    expect(fs.existsSync(DOC_PATH), 'docs/security.md is missing').toBe(true)
  })

  it('finds the rate limits in the schema', () => {
    expect(rateLimitVariables.length).toBeGreaterThan(0)
  })

  it.each(securityVariables)('mentions %s', (name) => {
    expect(Object.hasOwn(envSchema.shape, name), `the schema no longer reads ${name}`).toBe(true)
    const doc = fs.existsSync(DOC_PATH) ? fs.readFileSync(DOC_PATH, 'utf8') : ''
    expect(doc.includes(`\`${name}\``), `docs/security.md does not mention \`${name}\``).toBe(true)
  })
})
