/**
 * Row (a): the route with no middleware at all, the ceiling every verifier is measured against.
 * There is no caller, so the handler answers Jane's posts, doing the same filtering work.
 *
 * @module
 */
import type { ProtectedRoute } from '../posts-app.js'

export function createRoute(): ProtectedRoute {
  return { middleware: [], userName: () => 'Jane' }
}
