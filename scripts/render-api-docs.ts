/**
 * Writes `docs/api.md` from the servers' OpenAPI documents (`npm run docs:api`); a test keeps the
 * file equal to what this writes.
 */
import fs from 'node:fs'
import path from 'node:path'
import { apiDocument } from '../src/openapi/api-document.js'
import { authDocument } from '../src/openapi/auth-document.js'
import { renderApiReference } from '../src/openapi/render-markdown.js'

const target = path.resolve(import.meta.dirname, '../docs/api.md')
fs.writeFileSync(target, renderApiReference([authDocument(), apiDocument()]))
console.log(`wrote ${path.relative(process.cwd(), target)}`)
