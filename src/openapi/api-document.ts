/**
 * The API server's contract: the tutorial's posts behind an access token, and the health
 * endpoints. One entry per route (a new route: one more entry in `apiRoutes`, as in
 * `auth-document.ts`); `test/openapi` checks the table against the Express app.
 *
 * @module
 */
import { z } from 'zod'
import { createPostBody } from '../api-server/routes/posts.js'
import { buildDocument, type OpenApiDocument, type RouteEntry } from './build-document.js'
import { ACCESS_TOKEN_ERRORS, BODY_ERRORS } from './error-responses.js'
import { cacheControlHeader } from './headers.js'
import { accessTokenScheme } from './security-schemes.js'
import { healthTag, sharedRoutes } from './shared-routes.js'

const post = z
  .strictObject({
    id: z.string(),
    author: z.string().meta({ description: "The author's username when the post was written." }),
    title: z.string(),
    body: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Post' })

const noStore = z.object({ 'Cache-Control': cacheControlHeader })

const apiRoutes: readonly RouteEntry[] = [
  ...sharedRoutes,
  {
    method: 'get',
    path: '/posts',
    operationId: 'listPosts',
    tag: 'posts',
    summary: "The caller's posts",
    description:
      'Any valid access token, with or without `posts:write`: the posts its user wrote, oldest first.',
    security: ['accessToken'],
    responses: {
      '200': {
        description: 'Their posts.',
        headers: noStore,
        content: { 'application/json': { schema: z.array(post) } },
      },
    },
    errors: ACCESS_TOKEN_ERRORS,
  },
  {
    method: 'post',
    path: '/posts',
    operationId: 'createPost',
    tag: 'posts',
    summary: 'Write a post',
    description:
      'Needs the `posts:write` scope. 400 `ERR_VALIDATION` unless `title` is 1–200 characters (trimmed) and `body`, if sent, at most 10,000.',
    security: ['accessToken'],
    body: createPostBody,
    responses: {
      '201': {
        description: 'The new post.',
        headers: noStore,
        content: { 'application/json': { schema: post } },
      },
    },
    errors: [
      ...ACCESS_TOKEN_ERRORS,
      'ERR_INSUFFICIENT_SCOPE',
      ...BODY_ERRORS,
      'ERR_STORE_UNAVAILABLE',
    ],
  },
  {
    method: 'delete',
    path: '/posts/{id}',
    operationId: 'deletePost',
    tag: 'posts',
    summary: 'Delete one of their posts',
    description:
      'Needs the `posts:write` scope. 204 for the post’s author; 404 `ERR_NOT_FOUND` for everyone else and for a post that does not exist, so no one learns that another user’s post exists.',
    security: ['accessToken'],
    pathParams: z.object({ id: z.string().meta({ description: 'The post id.' }) }),
    responses: { '204': { description: 'Deleted.', headers: noStore } },
    errors: [...ACCESS_TOKEN_ERRORS, 'ERR_INSUFFICIENT_SCOPE', 'ERR_NOT_FOUND'],
  },
]

/** The API server's OpenAPI 3.1 document. */
export function apiDocument(): OpenApiDocument {
  return buildDocument({
    title: 'Gatehouse API server',
    description:
      'The posts of the JWT tutorial, served to the holder of a valid access token: without one 401 `ERR_TOKEN_MISSING` (or `ERR_TOKEN_MALFORMED`), with an invalid one 403 `ERR_TOKEN_INVALID`, with an expired one 403 `ERR_TOKEN_EXPIRED`, each with a `WWW-Authenticate` header, as the tutorial’s chapter 09 does. If the auth server’s keys have never been fetched and cannot be, 503 `ERR_KEYS_UNAVAILABLE` with `Retry-After`, never a 403 for a good token; once fetched, they are kept while the auth server is down. Writing needs the `posts:write` scope in the token’s `scope` claim (the demo users and new accounts have it through `DEFAULT_SCOPES`): without it 403 `ERR_INSUFFICIENT_SCOPE` with `WWW-Authenticate: Bearer realm="gatehouse", error="insufficient_scope", error_description="…", scope="posts:write"` (RFC 6750 §3.1). After `gatehouse users grant --user NAME --scope posts:write`, the user’s next refresh gives a token that may write.',
    tags: [healthTag, { name: 'posts', description: 'Posts of the access token’s user.' }],
    securitySchemes: { accessToken: accessTokenScheme },
    routes: apiRoutes,
  })
}
