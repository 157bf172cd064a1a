/**
 * `GET /openapi.json`: the server's OpenAPI document, built on the first request and kept (it
 * depends on nothing but the code). Public, like the metadata: it holds no secret.
 *
 * The document's modules (zod-openapi and the route tables) are loaded on that first request
 * too, not at start-up: no start needs them, and they cost a noticeable share of a cold start.
 *
 * @module
 */
import type { RequestHandler } from 'express'
import type { OpenApiDocument } from './build-document.js'

/**
 * @param build Builds the document, or loads the module that does: called once, on the first
 *   request (a failure is not kept, so the next request tries again).
 * @example
 * app.get('/openapi.json', openApiRoute(async () => (await import('../openapi/auth-document.js')).authDocument()))
 */
export function openApiRoute(
  build: () => OpenApiDocument | Promise<OpenApiDocument>,
): RequestHandler {
  let document: Promise<OpenApiDocument> | undefined
  return async function serveOpenApi(_req, res) {
    document ??= Promise.resolve()
      .then(build)
      .catch((error: unknown) => {
        document = undefined
        throw error
      })
    const built = await document
    res.set('Cache-Control', 'public, max-age=300')
    res.json(built)
  }
}
