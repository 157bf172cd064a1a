import { randomUUID } from 'node:crypto'
import type { AuthUser } from '@gatehouse/express'
import { type RequestHandler, Router } from 'express'
import { z } from 'zod'
import { GatehouseError } from '../../errors/index.js'
import { validateBody } from '../../http/validate-body.js'
import { nowSeconds } from '../../lib/time.js'
import type { PostsStore } from '../posts-store.js'

const createPostBody = z.object({
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
 * The tutorial's posts behind `guards` (`requireAuth`, then the body parser): `GET /posts` (the caller's own), `POST /posts`, and
 * `DELETE /posts/:id` (204 for the author, 404 for everyone else, so no one learns it exists).
 */
export function postsRouter(posts: PostsStore, guards: RequestHandler[]): Router {
  const router = Router()
  router.use('/posts', guards)

  router.get('/posts', async function listOwnPosts(req, res) {
    res.json(await posts.listByAuthor(caller(req.gatehouse?.user).id))
  })

  router.post('/posts', validateBody(createPostBody), async function createPost(req, res) {
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
  })

  router.delete('/posts/:id', async function deleteOwnPost(req, res) {
    const id = req.params.id ?? ''
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
