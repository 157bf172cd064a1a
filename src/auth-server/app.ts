/**
 * The auth server: accounts, login, refresh and logout. Built without listening, so tests mount
 * it on port 0 and `main/` decides where it runs.
 *
 * @module
 */
import type { Express } from 'express'
import { createBaseApp, finishApp, jsonBody } from '../http/create-base-app.js'
import type { AuthDeps } from './deps.js'
import { loginRoute } from './routes/login.js'
import { logoutRoute } from './routes/logout.js'
import { refreshRoute } from './routes/refresh.js'
import { registerRoute } from './routes/register.js'

/**
 * @example
 * const app = createAuthApp({ accounts, sessions, logger, bodyLimit: 16384, realm: 'gatehouse' })
 * app.listen(4000)
 */
export function createAuthApp(deps: AuthDeps): Express {
  const app = createBaseApp(deps.logger)
  app.use(jsonBody(deps.bodyLimit))
  app.post('/register', registerRoute(deps))
  app.post('/login', loginRoute(deps))
  app.get('/accessToken', refreshRoute(deps))
  app.post('/accessToken', refreshRoute(deps))
  app.delete('/logout', logoutRoute(deps))
  return finishApp(app, deps.logger)
}
