/**
 * The HTTP contract, enforced on every answer the tests receive: an answer from one of our
 * servers (registered by `startTestServers`) must have a status its OpenAPI document lists for
 * the route's path template and method, the listed media type, the required headers, and a JSON
 * body that validates against the listed schema (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses).
 * Anything else throws from the helper that made the request, failing the test that made it.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { ERROR_CODES } from '../../src/errors/codes.js'
import { apiDocument } from '../../src/openapi/api-document.js'
import { authDocument } from '../../src/openapi/auth-document.js'
import type { OpenApiDocument } from '../../src/openapi/build-document.js'
import { ACCESS_TOKEN_ERRORS, BODY_ERRORS } from '../../src/openapi/error-responses.js'

/** What an answer is checked on. */
export interface ContractAnswer {
  readonly status: number
  readonly headers: Headers
  readonly body: unknown
}

interface MediaTypeObject {
  readonly schema?: object
}
interface ResponseObject {
  readonly content?: Record<string, MediaTypeObject>
  readonly headers?: Record<string, { readonly required?: boolean }>
}
type Operations = Record<string, { readonly responses: Record<string, ResponseObject> }>

/** One server's document, with its path templates as patterns and its validators compiled. */
class Contract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false })
  private readonly validators = new Map<string, ValidateFunction>()
  private readonly templates: { template: string; pattern: RegExp }[]

  /**
   * @param guarded Path prefixes whose every path checks a token before the 404 (the API
   * server's `/posts/...`: `postsRouter` guards them all).
   */
  constructor(
    readonly name: string,
    private readonly document: OpenApiDocument,
    private readonly guarded: readonly string[] = [],
  ) {
    addFormats.default(this.ajv)
    this.templates = Object.keys(document.paths ?? {}).map((template) => ({
      template,
      pattern: new RegExp(
        `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}/]+\}/g, '[^/]+')}$`,
      ),
    }))
  }

  /** Throws when `answer` is not one the document allows for `method` on `pathname`. */
  check(method: string, pathname: string, answer: ContractAnswer): void {
    const where = `${method.toUpperCase()} ${pathname} (${this.name} server)`
    const template = this.templates.find(({ pattern }) => pattern.test(pathname))?.template
    const operations = template
      ? (this.document.paths?.[template] as Operations | undefined)
      : undefined
    const operation = operations?.[method === 'head' ? 'get' : method]
    if (!template || !operation) {
      // Nothing answers here but the app-wide handlers: 404, or a refused body before it.
      this.checkUnrouted(where, pathname, answer)
      return
    }
    const response = operation.responses[String(answer.status)]
    if (!response) {
      throw new Error(
        `contract: ${where} answered ${answer.status}, which the OpenAPI document does not list for ${method.toUpperCase()} ${template} (it lists ${Object.keys(operation.responses).join(', ')}); body: ${JSON.stringify(answer.body)}`,
      )
    }
    for (const [header, spec] of Object.entries(response.headers ?? {})) {
      if (spec.required && !answer.headers.has(header)) {
        throw new Error(
          `contract: ${where} answered ${answer.status} without the required header ${header}`,
        )
      }
    }
    if (method === 'head') return
    const content = response.content
    const contentType = answer.headers.get('content-type')?.split(';')[0]?.trim()
    if (!content) {
      if (answer.body !== undefined && answer.body !== '') {
        throw new Error(
          `contract: ${where} answered ${answer.status} with a body, and the document lists none`,
        )
      }
      return
    }
    const media = contentType ? content[contentType] : undefined
    if (!media) {
      throw new Error(
        `contract: ${where} answered ${answer.status} as ${contentType ?? 'no content type'}; the document lists ${Object.keys(content).join(', ')}`,
      )
    }
    if (contentType !== 'application/json' || !media.schema) return
    const pointer = `${template}|${method}|${answer.status}`
    this.validate(where, answer, pointer, media.schema)
  }

  private checkUnrouted(where: string, pathname: string, answer: ContractAnswer): void {
    const codes: string[] = ['ERR_NOT_FOUND', 'ERR_INTERNAL', ...BODY_ERRORS]
    if (this.guarded.some((prefix) => pathname.startsWith(`${prefix}/`))) {
      codes.push(...ACCESS_TOKEN_ERRORS)
    }
    const body = answer.body as { code?: unknown } | undefined
    const code = typeof body?.code === 'string' ? body.code : undefined
    const known = code !== undefined && codes.includes(code)
    if (!known || ERROR_CODES[code as keyof typeof ERROR_CODES].status !== answer.status) {
      throw new Error(
        `contract: ${where} is no route of the OpenAPI document, and answered ${answer.status} ${JSON.stringify(answer.body)} instead of a 404 error body`,
      )
    }
  }

  private validate(where: string, answer: ContractAnswer, key: string, schema: object): void {
    let validator = this.validators.get(key)
    if (!validator) {
      // `#/components/...` references resolve against this wrapper, as against the document.
      validator = this.ajv.compile({ components: this.document.components, ...schema })
      this.validators.set(key, validator)
    }
    if (!validator(answer.body)) {
      throw new Error(
        `contract: ${where} answered ${answer.status} with a body the OpenAPI document does not allow: ${this.ajv.errorsText(validator.errors)}; body: ${JSON.stringify(answer.body)}`,
      )
    }
  }
}

let auth: Contract | undefined
let api: Contract | undefined
/** Origins of the servers under contract, and which document each answers by. */
const servers = new Map<string, () => Contract>()

/** From now on, answers from `baseUrl` are checked against that server's document. */
export function underContract(baseUrl: string, server: 'auth' | 'api'): () => void {
  const origin = new URL(baseUrl).origin
  servers.set(
    origin,
    server === 'auth'
      ? () => (auth ??= new Contract('auth', authDocument()))
      : () => (api ??= new Contract('api', apiDocument(), ['/posts'])),
  )
  return () => servers.delete(origin)
}

/**
 * Checks an answer to `method url` when `url` is one of our servers' (see `underContract`);
 * answers from anything else (a test's own stub, a third-party server) pass unchecked.
 */
export function checkContract(url: string, method: string, answer: ContractAnswer): void {
  const parsed = new URL(url)
  const contract = servers.get(parsed.origin)
  if (!contract) return
  const verb = method.toLowerCase()
  // Preflights are CORS's, not a route's.
  if (verb === 'options') return
  contract().check(verb, parsed.pathname, answer)
}
