/**
 * `docs/api.md`, rendered from the OpenAPI documents: per server, its credentials, then each
 * route with its headers, body, and every answer (status, headers, body type, error codes), then
 * the named schemas. Generated, never edited: `npm run docs:api` writes it, and a test keeps the
 * file equal to what this renders, so the reference cannot drift from the contract.
 *
 * @module
 */
import type { OpenApiDocument } from './build-document.js'

/** Just the parts of a JSON Schema (OpenAPI 3.1) this renders. */
interface Schema {
  readonly $ref?: string
  readonly type?: string | readonly string[]
  readonly const?: unknown
  readonly enum?: readonly unknown[]
  readonly anyOf?: readonly Schema[]
  readonly oneOf?: readonly Schema[]
  readonly items?: Schema
  readonly properties?: Readonly<Record<string, Schema>>
  readonly required?: readonly string[]
  readonly additionalProperties?: boolean | Schema
  readonly format?: string
  readonly minLength?: number
  readonly maxLength?: number
  readonly description?: string
}

interface Parameter {
  readonly in: string
  readonly name: string
  readonly required?: boolean
  readonly description?: string
  readonly schema?: Schema
}

interface Response {
  readonly description: string
  readonly headers?: Readonly<Record<string, { readonly required?: boolean }>>
  readonly content?: Readonly<Record<string, { readonly schema?: Schema }>>
}

interface Operation {
  readonly summary?: string
  readonly description?: string
  readonly tags?: readonly string[]
  readonly security?: readonly Readonly<Record<string, readonly string[]>>[]
  readonly parameters?: readonly Parameter[]
  readonly requestBody?: {
    readonly content: Readonly<Record<string, { readonly schema?: Schema }>>
  }
  readonly responses: Readonly<Record<string, Response>>
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

/** A compact type: `{ id: string, body?: string | null }`, `Post[]`, `'a' | 'b'`. */
export function typeOf(schema: Schema | undefined): string {
  if (!schema) return 'any'
  if (schema.$ref) return schema.$ref.split('/').at(-1) ?? 'any'
  if (schema.const !== undefined) return JSON.stringify(schema.const)
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' \\| ')
  const union = schema.anyOf ?? schema.oneOf
  if (union) return union.map(typeOf).join(' \\| ')
  const types = Array.isArray(schema.type) ? schema.type : [schema.type]
  return types
    .map((type) => {
      if (type === 'array') return `${typeOf(schema.items)}[]`
      if (type === 'object') return objectType(schema)
      if (type === 'string' && schema.format) return `string (${schema.format})`
      return type ?? 'any'
    })
    .join(' \\| ')
}

function objectType(schema: Schema): string {
  const properties = Object.entries(schema.properties ?? {})
  const extra =
    typeof schema.additionalProperties === 'object'
      ? [`[name: string]: ${typeOf(schema.additionalProperties)}`]
      : schema.additionalProperties === false
        ? []
        : ['…']
  const fields = properties.map(
    ([name, property]) =>
      `${name}${schema.required?.includes(name) ? '' : '?'}: ${typeOf(property)}`,
  )
  return `{ ${[...fields, ...extra].join(', ')} }`.replace('{  }', '{}')
}

/** `{code, message, requestId}`: shown as `Error`, its codes being in the answer's column. */
function isErrorBody(schema: Schema | undefined): boolean {
  const names = Object.keys(schema?.properties ?? {})
  return (
    names.length === 3 && ['code', 'message', 'requestId'].every((name) => names.includes(name))
  )
}

function cell(text: string | undefined): string {
  return (text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

function renderOperation(method: string, path: string, operation: Operation): string[] {
  const lines = [`### \`${method.toUpperCase()} ${path}\` — ${operation.summary ?? ''}`, '']
  if (operation.description) lines.push(operation.description, '')
  const security = operation.security
  if (security) {
    const names = security.map((requirement) => Object.keys(requirement)[0] ?? 'none')
    lines.push(`Credential: ${names.map((name) => `\`${name}\``).join(' or ')}.`, '')
  }
  const parameters = operation.parameters ?? []
  if (parameters.length > 0) {
    lines.push(
      '| parameter | in | required | type | description |',
      '| --- | --- | --- | --- | --- |',
    )
    for (const parameter of parameters) {
      lines.push(
        `| \`${parameter.name}\` | ${parameter.in} | ${parameter.required ? 'yes' : 'no'} | ${typeOf(parameter.schema)} | ${cell(parameter.description)} |`,
      )
    }
    lines.push('')
  }
  const body = operation.requestBody?.content['application/json']?.schema
  if (body) lines.push(`Body (JSON): \`${typeOf(body)}\``, '')
  lines.push('| status | answer | headers | body |', '| --- | --- | --- | --- |')
  for (const [status, response] of Object.entries(operation.responses)) {
    const headers = Object.entries(response.headers ?? {})
      .map(([name, header]) => `\`${name}\`${header.required ? '' : ' (optional)'}`)
      .join(', ')
    const bodies = Object.entries(response.content ?? {})
      .map(
        ([media, { schema }]) => `${media}: \`${isErrorBody(schema) ? 'Error' : typeOf(schema)}\``,
      )
      .join('; ')
    lines.push(`| ${status} | ${cell(response.description)} | ${headers} | ${bodies} |`)
  }
  lines.push('')
  return lines
}

function renderDocument(document: OpenApiDocument): string[] {
  const lines = [`## ${document.info.title}`, '']
  if (document.info.description) lines.push(document.info.description, '')
  const schemes = Object.entries(document.components?.securitySchemes ?? {})
  if (schemes.length > 0) {
    lines.push('Credentials:', '', '| name | kind | description |', '| --- | --- | --- |')
    for (const [name, scheme] of schemes) {
      const kind =
        'type' in scheme
          ? scheme.type === 'apiKey'
            ? `cookie \`${scheme.name}\``
            : `${scheme.scheme ?? scheme.type}${scheme.bearerFormat ? ` (${scheme.bearerFormat})` : ''}`
          : ''
      lines.push(
        `| \`${name}\` | ${kind} | ${cell('description' in scheme ? scheme.description : '')} |`,
      )
    }
    lines.push('')
  }
  for (const tag of document.tags ?? []) {
    lines.push(`### ${tag.name}`, '')
    if (tag.description) lines.push(tag.description, '')
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      for (const method of METHODS) {
        const operation = (item as Record<string, Operation | undefined>)[method]
        if (operation?.tags?.[0] !== tag.name) continue
        lines.push(...renderOperation(method, path, operation).map(deepen))
      }
    }
  }
  const schemas = Object.entries(document.components?.schemas ?? {})
  if (schemas.length > 0) {
    lines.push('### Schemas', '', '| name | type | description |', '| --- | --- | --- |')
    for (const [name, schema] of schemas) {
      lines.push(
        `| \`${name}\` | \`${typeOf(schema as Schema)}\` | ${cell((schema as Schema).description)} |`,
      )
    }
    lines.push('')
  }
  return lines
}

/** An operation's heading one level under its tag's. */
function deepen(line: string): string {
  return line.startsWith('### ') ? `#${line}` : line
}

/**
 * @example
 * fs.writeFileSync('docs/api.md', renderApiReference([authDocument(), apiDocument()]))
 */
export function renderApiReference(documents: readonly OpenApiDocument[]): string {
  const lines = [
    '# HTTP API reference',
    '',
    '<!-- Generated from the OpenAPI documents (src/openapi/) by `npm run docs:api`: do not edit. -->',
    '',
    'Each server serves its OpenAPI 3.1 document at `GET /openapi.json`; this page is rendered from',
    'the same documents. Every error (`Error` below) answers `{code, message, requestId}` with one of',
    'the codes its status lists, explained in [errors.md](errors.md). `…` in a body type: other',
    'fields are ignored.',
    '',
  ]
  for (const document of documents) lines.push(...renderDocument(document))
  return `${lines.join('\n').trimEnd()}\n`
}
