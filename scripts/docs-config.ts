/**
 * `npm run docs:config`: writes docs/configuration.md from the settings reference. Run it after
 * changing `src/config/settings-reference.ts`; `test/docs/configuration-doc.test.ts` fails until
 * the file on disk matches.
 *
 * @module
 */
import fs from 'node:fs'
import path from 'node:path'
import { renderConfigurationDoc } from '../src/config/render-configuration-doc.js'

const target = path.resolve(import.meta.dirname, '../docs/configuration.md')
fs.writeFileSync(target, renderConfigurationDoc())
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`)
