import { randomUUID } from 'node:crypto'
import type { AuthUser } from '@gatehouse/express'
import { type RequestHandler, Router } from 'express'
import { z } from 'zod'
import { GatehouseError } from '../../errors/index.js'
import { noStore } from '../../http/no-store.js'
import { validateBody } from '../../http/validate-body.js'
import { nowSeconds } from '../../lib/time.js'
import type { PostsStore } from '../posts-store.js'

/** What each route runs before its handler. */
export interface PostsGuards {
  /** Any valid access token: reading one's own posts. */
  readonly read: RequestHandler
  /** After `read`: the same token must carry the `posts:write` scope (creating and deleting). */
  readonly write: RequestHandler
  /** The JSON body parser, after the token check so an unauthenticated body is never read. */
  readonly body: RequestHandler[]
}

export const createPostBody = z.object({
  title: z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters'),
  body: z
    .string({ error: 'must be a string' })
    .max(10_000, 'must be at most 10000 characters')
    .optional(),
})

/**
 * The tutorial's posts behind `guards`: `GET /posts` (the caller's own), `POST /posts`, and
 * `DELETE /posts/:id` (204 for the author, 404 for everyone else, so no one learns it exists).
 * Every answer is a user's private data (or a refusal about it): `Cache-Control: no-store`, so
 * that no browser or shared cache keeps it.
 * Creating and deleting need the `posts:write` scope (403 `ERR_INSUFFICIENT_SCOPE` without it).
 */
export function postsRouter(posts: PostsStore, guards: PostsGuards): Router {
  const router = Router()
  // Every path under /posts needs a valid token first, so an unknown one answers 401 before 404.
  router.use('/posts', noStore, guards.read)

  router.get('/posts', async function listOwnPosts(req, res) {
    res.json(await posts.listByAuthor(caller(req.gatehouse?.user).id))
  })

  router.post(
    '/posts',
    guards.write,
    ...guards.body,
    validateBody(createPostBody),
    async function createPost(req, res) {
      const user = caller(req.gatehouse?.user)
      const post = await posts.create({
        id: randomUUID(),
        authorId: user.id,
        author: user.name,
        title: req.body.title,
        body: req.body.body ?? null,
        createdAt: nowSeconds(),
      })
      res.status(201).json(post)
    },
  )

  router.delete('/posts/:id', guards.write, async function deleteOwnPost(req, res) {
    const id = typeof req.params.id === 'string' ? req.params.id : ''
    if (!(await posts.deleteOwn(id, caller(req.gatehouse?.user).id)))
      throw new GatehouseError('ERR_NOT_FOUND')
    res.sendStatus(204)
  })

  return router
}

function caller(user: AuthUser | undefined): AuthUser {
  // requireAuth runs first on every /posts route; reaching here without a user is a wiring bug.
  if (!user) throw new Error('postsRouter: requireAuth did not set req.gatehouse')
  return user
}
