/**
 * `GET /openapi.json`: the server's OpenAPI document, built on the first request and kept (it
 * depends on nothing but the code). Public, like the metadata: it holds no secret.
 *
 * @module
 */
import type { RequestHandler } from 'express'
import type { OpenApiDocument } from './build-document.js'

/**
 * @example
 * app.get('/openapi.json', openApiRoute(authDocument))
 */
export function openApiRoute(build: () => OpenApiDocument): RequestHandler {
  let document: OpenApiDocument | undefined
  return function serveOpenApi(_req, res) {
    document ??= build()
    res.set('Cache-Control', 'public, max-age=300')
    res.json(document)
  }
}
