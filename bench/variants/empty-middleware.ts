/**
 * Row (h): the route behind the least an authentication middleware can be, a check that the
 * `Authorization` header is there, then `next()`. Its cost over row (a) is Express's extra layer
 * alone, which every verifying row pays too.
 *
 * @module
 */
import type { NextFunction, Request, Response } from 'express'
import type { ProtectedRoute } from '../posts-app.js'

export function createRoute(): ProtectedRoute {
  return {
    middleware: [
      (req: Request, res: Response, next: NextFunction) => {
        if (req.headers.authorization) next()
        else res.status(401).end()
      },
    ],
    userName: () => 'Jane',
  }
}
