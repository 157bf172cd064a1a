/**
 * The tutorial's refresh endpoint (chapters 15-16), the child process of the refresh part's
 * tutorial row: `node --import tsx bench/tutorial-refresh-server.ts <stored> <hot>`. It fills the
 * tutorial's `refreshTokens` array with `stored` refresh tokens, one per user (`{ name }` signed
 * with `REFRESH_TOKEN_SECRET`, no expiry, as the tutorial's login does), listens on an ephemeral
 * port of 127.0.0.1 and sends `{ port, hotTokens, fillMs }` to the parent over IPC.
 *
 * `GET /accessToken` and `verifyToken` are the tutorial's code, with TypeScript annotations only:
 * the 401/403 checks, `refreshTokens.includes(token)`, then `jwt.verify` with jsonwebtoken, and a
 * new 15 s access token; no rotation, so each connection reuses its token.
 *
 * Signing with jsonwebtoken costs about 0.7 ms a token on the bench machine (over ten minutes for
 * a million), so only the hot tokens are made by `jwt.sign`; the others are built with
 * `node:crypto` in the exact form `jwt.sign({ name }, secret)` gives (header
 * `{"alg":"HS256","typ":"JWT"}`, payload `{"name":...,"iat":...}`, HS256), which is checked
 * against jsonwebtoken before the fill.
 *
 * @module
 */
import { createHmac } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import express, { type NextFunction, type Request, type Response } from 'express'
import jwt from 'jsonwebtoken'

/** The tutorial's `req.user`. */
interface TutorialRequest {
  user?: { name: string }
}

const [storedText, hotText] = process.argv.slice(2)
const stored = Number(storedText)
const hot = Number(hotText)
if (!Number.isSafeInteger(stored) || !Number.isSafeInteger(hot) || hot < 1 || hot > stored) {
  throw new Error('usage: tutorial-refresh-server.ts <stored> <hot>, 1 <= hot <= stored')
}
const refreshSecret = process.env.REFRESH_TOKEN_SECRET
if (!refreshSecret || !process.env.ACCESS_TOKEN_SECRET) {
  throw new Error('REFRESH_TOKEN_SECRET and ACCESS_TOKEN_SECRET must be set')
}

// The tutorial declares `let refreshTokens = []`; only its logout (chapter 17) reassigns it.
const refreshTokens: string[] = []
const started = performance.now()
const hotTokens = fill(refreshTokens, refreshSecret)
const fillMs = performance.now() - started

function createAccessToken(user: { name: string }) {
  return jwt.sign(user, process.env.ACCESS_TOKEN_SECRET as string, { expiresIn: '15s' })
}

function verifyToken(req: Request, res: Response, next: NextFunction) {
  const authHeader = req.headers.authorization
  const token = authHeader?.split(' ')[1]
  if (token == null) {
    res.sendStatus(401)
    return
  }
  if (!refreshTokens.includes(token)) {
    res.sendStatus(403)
    return
  }
  jwt.verify(token, process.env.REFRESH_TOKEN_SECRET as string, (err, payload) => {
    if (err) {
      res.sendStatus(403)
      return
    }
    ;(req as TutorialRequest).user = { name: (payload as jwt.JwtPayload).name }
    next()
  })
}

const app = express()
app.use(express.json())
app.get('/accessToken', verifyToken, (req, res) => {
  const user = (req as TutorialRequest).user as { name: string }
  const accessToken = createAccessToken(user)
  res.json({ accessToken: accessToken })
})

const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo
  process.send?.({ port, hotTokens, fillMs })
})
process.on('disconnect', () => process.exit(0))

/** Pushes `stored` tokens, the hot ones at evenly spread positions; returns the hot ones. */
function fill(tokens: string[], secret: string): string[] {
  const iat = Math.floor(Date.now() / 1000)
  const header = base64url('{"alg":"HS256","typ":"JWT"}')
  const quickSign = (name: string) => {
    const body = `${header}.${base64url(JSON.stringify({ name, iat }))}`
    return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`
  }
  const probe = userName(0)
  if (quickSign(probe) !== jwt.sign({ name: probe, iat }, secret)) {
    throw new Error('the quick signer does not give what jwt.sign gives')
  }
  const hotAt = new Set<number>()
  for (let k = 0; k < hot; k++) hotAt.add(Math.floor(((k + 0.5) * stored) / hot))
  const chosen: string[] = []
  for (let index = 0; index < stored; index++) {
    const name = userName(index)
    if (hotAt.has(index)) {
      const token = jwt.sign({ name }, secret)
      chosen.push(token)
      tokens.push(token)
    } else {
      tokens.push(quickSign(name))
    }
  }
  return chosen
}

/** One user per token, names of one length (so are the tokens, as on a real login page). */
function userName(index: number): string {
  return `user-${String(index).padStart(7, '0')}`
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url')
}
