/**
 * The one Express app every variant runs: the tutorial's `GET /posts`, answering the caller's own
 * posts, behind whichever middleware the variant mounts. Only the middleware and where it left
 * the caller's name differ between rows of the benchmark.
 *
 * @module
 */
import express, {
  type ErrorRequestHandler,
  type Express,
  type Request,
  type RequestHandler,
} from 'express'

/** What a variant contributes to the app. */
export interface ProtectedRoute {
  /** Mounted before the handler of `GET /posts`; empty for the no-auth row. */
  readonly middleware: readonly RequestHandler[]
  /** The caller's name, where the middleware put it (`req.user`, `req.auth`, ...). */
  readonly userName: (req: Request) => string | undefined
  /** Settles when the middleware is ready to be measured (e.g. its revocation feed synced). */
  readonly ready?: Promise<unknown>
}

interface Post {
  readonly author: string
  readonly title: string
}

const POSTS: readonly Post[] = [
  { author: 'Jane', title: 'Post 1' },
  { author: 'John', title: 'Post 2' },
  { author: 'Jane', title: 'Post 3' },
  { author: 'John', title: 'Post 4' },
  { author: 'Ann', title: 'Post 5' },
]

/**
 * @example
 * createPostsApp({ middleware: [requireAuth(options)], userName: (req) => req.user?.name }).listen(0)
 */
export function createPostsApp(route: ProtectedRoute): Express {
  const app = express()
  app.disable('x-powered-by')
  app.disable('etag')
  app.get('/posts', ...route.middleware, (req, res) => {
    const name = route.userName(req)
    res.json(POSTS.filter((post) => post.author === name))
  })
  app.use(refusal)
  return app
}

/** Middlewares that call `next(error)` (express-jwt, express-oauth2-jwt-bearer) end here. */
const refusal: ErrorRequestHandler = (error, _req, res, _next) => {
  const status = typeof error?.status === 'number' ? error.status : 500
  res.status(status).json({ error: String(error?.code ?? error?.name ?? 'error') })
}
