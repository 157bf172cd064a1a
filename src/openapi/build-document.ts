/**
 * Turns a server's route table into its OpenAPI 3.1 document with `zod-openapi`: one entry per
 * route (method, path, schemas, success answers, the error codes it can refuse with), so the
 * document is built from the same zod schemas the routes validate with, and adding a route to
 * the contract is adding one entry.
 *
 * @module
 */
import { createRequire } from 'node:module'
import type { z } from 'zod'
import {
  createDocument,
  type ZodOpenApiObject,
  type ZodOpenApiOperationObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi'
import type { ErrorCode } from '../errors/codes.js'
import { errorResponses } from './error-responses.js'

/** The OpenAPI document as served and linted: plain JSON. */
export type OpenApiDocument = ReturnType<typeof createDocument>

/** One route of the contract. */
export interface RouteEntry {
  readonly method: 'get' | 'post' | 'delete'
  /** OpenAPI template: `/sessions/{id}` for Express's `/sessions/:id`. */
  readonly path: string
  /** Unique, camelCase. */
  readonly operationId: string
  readonly tag: string
  readonly summary: string
  readonly description: string
  /** Who may call: names of `securitySchemes`; several are alternatives. Omitted: anyone. */
  readonly security?: readonly string[]
  /** The credential may be left out (`{}` among the alternatives). */
  readonly securityOptional?: true
  readonly headers?: z.ZodObject
  readonly pathParams?: z.ZodObject
  readonly query?: z.ZodObject
  /** The request body the route validates (JSON unless `bodyMediaType` says otherwise). */
  readonly body?: z.ZodType
  /** `application/x-www-form-urlencoded` for the OAuth endpoints (RFC 7009, RFC 7662). */
  readonly bodyMediaType?: string
  /** The error body, when the route answers another shape than Gatehouse's (RFC 6749 §5.2). */
  readonly errorBody?: (codes: readonly [ErrorCode, ...ErrorCode[]]) => z.ZodType
  /** The success answers, keyed by status. */
  readonly responses: Readonly<Record<string, ZodOpenApiResponseObject>>
  /** Every error code the route can answer (`ERR_INTERNAL` is added). */
  readonly errors: readonly ErrorCode[]
}

export interface DocumentSpec {
  readonly title: string
  readonly description: string
  readonly tags: readonly { readonly name: string; readonly description: string }[]
  readonly securitySchemes: NonNullable<ZodOpenApiObject['components']>['securitySchemes']
  readonly routes: readonly RouteEntry[]
}

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string }

/**
 * @example
 * const document = buildDocument({ title: 'Gatehouse API server', routes: [...], ... })
 */
export function buildDocument(spec: DocumentSpec): OpenApiDocument {
  const paths: NonNullable<ZodOpenApiObject['paths']> = {}
  for (const route of spec.routes) {
    const operation: ZodOpenApiOperationObject = {
      operationId: route.operationId,
      tags: [route.tag],
      summary: route.summary,
      description: route.description,
      ...(route.security
        ? {
            security: [
              ...route.security.map((name) => ({ [name]: [] })),
              ...(route.securityOptional ? [{}] : []),
            ],
          }
        : {}),
      requestParams: {
        ...(route.headers ? { header: route.headers } : {}),
        ...(route.pathParams ? { path: route.pathParams } : {}),
        ...(route.query ? { query: route.query } : {}),
      },
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { [route.bodyMediaType ?? 'application/json']: { schema: route.body } },
            },
          }
        : {}),
      responses: { ...route.responses, ...errorResponses(route.errors, route.errorBody) },
    }
    paths[route.path] = { ...paths[route.path], [route.method]: operation }
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: spec.title,
      version,
      description: spec.description,
      license: { name: 'MIT', identifier: 'MIT' },
      contact: { name: 'Gatehouse' },
    },
    // The document is served by the server it describes: its URLs are relative to it.
    servers: [{ url: '/', description: 'The server that serves this document.' }],
    tags: spec.tags.map((tag) => ({ ...tag })),
    paths,
    components: { securitySchemes: spec.securitySchemes },
  })
}
