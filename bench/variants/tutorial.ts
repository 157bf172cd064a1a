/**
 * Row (b): the tutorial's own `verifyToken` middleware (chapters 09-11), as written there:
 * jsonwebtoken, HS256, and the secret handed over as the string `process.env.ACCESS_TOKEN_SECRET`
 * on every call. Only TypeScript annotations are added, and `return res.sendStatus(...)` is split
 * into two statements for `noImplicitReturns`.
 *
 * @module
 */
import type { NextFunction, Request, Response } from 'express'
import jwt from 'jsonwebtoken'
import type { ProtectedRoute } from '../posts-app.js'

/** The tutorial's `req.user`: just the name. */
interface TutorialRequest {
  user?: { name: string }
}

function verifyToken(req: Request, res: Response, next: NextFunction) {
  const authHeader = req.headers.authorization
  const token = authHeader?.split(' ')[1]
  if (token == null) {
    res.sendStatus(401)
    return
  }
  jwt.verify(token, process.env.ACCESS_TOKEN_SECRET as string, (err, payload) => {
    if (err) {
      res.sendStatus(403)
      return
    }
    ;(req as TutorialRequest).user = { name: (payload as jwt.JwtPayload).name }
    next()
  })
}

export function createRoute(): ProtectedRoute {
  return {
    middleware: [verifyToken],
    userName: (req) => (req as TutorialRequest).user?.name,
  }
}
