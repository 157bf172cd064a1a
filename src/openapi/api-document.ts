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
    description: 'Any valid access token: the posts its user wrote.',
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
    description: 'Needs the `posts:write` scope.',
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
      'Needs the `posts:write` scope. 404 for a post of someone else, so no one learns it exists.',
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
    description: 'The posts of the JWT tutorial, served to the holder of a valid access token.',
    tags: [healthTag, { name: 'posts', description: 'Posts of the access token’s user.' }],
    securitySchemes: { accessToken: accessTokenScheme },
    routes: apiRoutes,
  })
}
