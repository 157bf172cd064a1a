/**
 * `docs/configuration.md` is generated from `src/config/settings-reference.ts`, which has one entry
 * per key of the environment schema; these tests fail when a setting ships without its entry, an
 * entry outlives its setting, or the page was edited by hand or not regenerated.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { envSchema } from '../../src/config/env-schema.js'
import { renderConfigurationDoc } from '../../src/config/render-configuration-doc.js'
import { SETTING_GROUPS, SETTINGS_REFERENCE } from '../../src/config/settings-reference.js'

const DOC_PATH = path.resolve(import.meta.dirname, '../../docs/configuration.md')
const schemaKeys = Object.keys(envSchema.shape)
const referenceKeys = Object.keys(SETTINGS_REFERENCE)

describe('the settings reference', () => {
  it('finds the settings in the schema', () => {
    expect(schemaKeys.length).toBeGreaterThan(0)
  })

  it.each(schemaKeys)('describes %s', (name) => {
    expect(referenceKeys, `${name} has no entry in settings-reference.ts`).toContain(name)
  })

  it('describes no setting that the schema does not read', () => {
    expect(referenceKeys.filter((name) => !schemaKeys.includes(name))).toEqual([])
  })

  it.each(referenceKeys)('gives %s a group, a default and a description', (name) => {
    const setting = SETTINGS_REFERENCE[name as keyof typeof SETTINGS_REFERENCE]
    expect(SETTING_GROUPS).toContain(setting.group)
    expect(setting.default.trim()).not.toBe('')
    expect(setting.description.trim()).not.toBe('')
  })
})

describe('docs/configuration.md', () => {
  it('is what npm run docs:config writes', () => {
    const onDisk = fs.existsSync(DOC_PATH) ? fs.readFileSync(DOC_PATH, 'utf8') : ''
    expect(onDisk, 'docs/configuration.md is stale: run npm run docs:config').toBe(
      renderConfigurationDoc(),
    )
  })

  it.each(schemaKeys)('has a row for %s', (name) => {
    expect(renderConfigurationDoc()).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'))
  })
})
