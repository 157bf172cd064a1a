/**
 * `docs/api.md` is exactly what `npm run docs:api` renders from the OpenAPI documents, so the
 * reference cannot drift from the contract the servers serve and the tests enforce.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { apiDocument } from '../../src/openapi/api-document.js'
import { authDocument } from '../../src/openapi/auth-document.js'
import { renderApiReference } from '../../src/openapi/render-markdown.js'

const DOC_PATH = path.resolve(import.meta.dirname, '../../docs/api.md')

describe('docs/api.md', () => {
  it('is what the generator renders from the OpenAPI documents (run `npm run docs:api`)', () => {
    expect(fs.readFileSync(DOC_PATH, 'utf8')).toBe(
      renderApiReference([authDocument(), apiDocument()]),
    )
  })

  it('has a section for every route of both documents', () => {
    const markdown = fs.readFileSync(DOC_PATH, 'utf8')
    for (const document of [authDocument(), apiDocument()]) {
      for (const [route, item] of Object.entries(document.paths ?? {})) {
        for (const method of Object.keys(item ?? {})) {
          expect(markdown).toContain(`#### \`${method.toUpperCase()} ${route}\``)
        }
      }
    }
  })
})
