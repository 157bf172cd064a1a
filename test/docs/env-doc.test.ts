/**
 * Every environment variable the configuration schema reads is documented in
 * `docs/configuration.md` and listed in `.env.example`; these tests fail when a new variable ships
 * without either.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { envSchema } from '../../src/config/env-schema.js'

const root = path.resolve(import.meta.dirname, '../..')
const configurationDoc = fs.readFileSync(path.join(root, 'docs/configuration.md'), 'utf8')
const envExample = fs.readFileSync(path.join(root, '.env.example'), 'utf8')
const variables = Object.keys(envSchema.shape)

describe('environment variable documentation', () => {
  it('finds the variables in the schema', () => {
    expect(variables.length).toBeGreaterThan(0)
  })

  it.each(variables)('documents %s in docs/configuration.md', (name) => {
    expect(
      configurationDoc.includes(`\`${name}\``),
      `docs/configuration.md does not mention \`${name}\``,
    ).toBe(true)
  })

  it.each(variables)('lists %s in .env.example', (name) => {
    // Set (`NAME=value`) or commented out with its default (`# NAME=value`).
    const entry = new RegExp(`^#?\\s*${name}=`, 'm')
    expect(entry.test(envExample), `.env.example has no "${name}=" line`).toBe(true)
  })

  it('lists no variable in .env.example that the schema does not read', () => {
    const listed = [...envExample.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1])
    expect(listed.filter((name) => name && !variables.includes(name))).toEqual([])
  })
})
