/**
 * The sessions a refresh row is filled with, backend-neutral: a few users, and `stored` live
 * sessions spread over them, each with the keyed hash of a refresh token naming it, made by the
 * auth server's own `createRefreshTokens` (`src/tokens/refresh-tokens.ts`) with the
 * `REFRESH_TOKEN_SECRET` it will run with. Only the tokens of the "hot" sessions, the ones the load
 * refreshes, are kept; they sit at evenly spread positions of the insertion order.
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import { usernameKey, usernameSkeleton } from '../src/lib/username-key.js'
import { createRefreshTokens } from '../src/tokens/refresh-tokens.js'

/** Users the sessions belong to. */
export const BENCH_USER_COUNT = 10
/** Rows per batch handed to a backend's bulk insert. */
export const FILL_BATCH_ROWS = 10_000

const DAY = 24 * 60 * 60
/** The auth server's default absolute session lifetime (REFRESH_ABSOLUTE_TTL). */
const ABSOLUTE_TTL = 30 * DAY
/** Cold sessions were created within this many seconds before the fill (under the 7-day idle TTL). */
const COLD_SPREAD = 6 * DAY
/** A placeholder for `users.password_hash`: nobody logs in during the bench. */
const NO_PASSWORD = '$argon2id$v=19$m=19456,t=2,p=1$YmVuY2g$bm8tbG9naW4tZHVyaW5nLXRoZS1iZW5jaA'

export interface BenchUser {
  readonly id: string
  readonly username: string
  readonly usernameKey: string
  readonly usernameSkeleton: string
  readonly passwordHash: string
  readonly createdAt: number
}

/** One `sessions` row, as the SQL schema names its columns (camelCase). */
export interface SessionRowData {
  readonly id: string
  readonly userId: string
  readonly refreshHash: string
  readonly createdAt: number
  readonly lastUsedAt: number
  readonly expiresAt: number
  readonly userAgent: string
  readonly ip: string
}

export interface SessionPlan {
  readonly users: readonly BenchUser[]
  /** Sessions to store. */
  readonly stored: number
  /** Refresh tokens of the hot sessions, one per connection. */
  readonly hotTokens: readonly string[]
  /** The rows, `FILL_BATCH_ROWS` at a time; the hot sessions are among them. */
  batches(): Generator<SessionRowData[]>
}

/**
 * @param stored Sessions to store, at least `hot`.
 * @param hot Sessions whose refresh tokens are kept.
 * @param secret The `REFRESH_TOKEN_SECRET` the auth server will run with.
 * @example
 * const plan = planSessions(1_000_000, 50, secret)
 * for (const rows of plan.batches()) insert(rows)
 */
export function planSessions(stored: number, hot: number, secret: string): SessionPlan {
  if (hot > stored) throw new Error(`${hot} hot sessions do not fit in ${stored}`)
  const refreshTokens = createRefreshTokens(secret)
  const now = Math.floor(Date.now() / 1000)
  const users = Array.from({ length: BENCH_USER_COUNT }, (_, index) => {
    const username = `bench-user-${index}`
    return {
      id: randomUUID(),
      username,
      usernameKey: usernameKey(username),
      usernameSkeleton: usernameSkeleton(username),
      passwordHash: NO_PASSWORD,
      createdAt: now - 30 * DAY,
    }
  })
  const hotAt = new Map<number, { id: string; token: string; hash: string }>()
  for (let k = 0; k < hot; k++) {
    const id = randomUUID()
    hotAt.set(Math.floor(((k + 0.5) * stored) / hot), {
      id,
      ...refreshTokens.generate('bearer', id),
    })
  }
  return {
    users,
    stored,
    hotTokens: [...hotAt.values()].map((session) => session.token),
    *batches() {
      for (let start = 0; start < stored; start += FILL_BATCH_ROWS) {
        const count = Math.min(FILL_BATCH_ROWS, stored - start)
        const rows: SessionRowData[] = []
        for (let offset = 0; offset < count; offset++) {
          const index = start + offset
          const hotSession = hotAt.get(index)
          const id = hotSession?.id ?? randomUUID()
          const refreshHash = hotSession?.hash ?? refreshTokens.generate('bearer', id).hash
          const createdAt = hotSession ? now - 60 : now - (index % COLD_SPREAD) - 60
          rows.push({
            id,
            userId: (users[index % users.length] as BenchUser).id,
            refreshHash,
            createdAt,
            lastUsedAt: createdAt,
            expiresAt: createdAt + ABSOLUTE_TTL,
            userAgent: 'gatehouse-bench',
            ip: '127.0.0.1',
          })
        }
        yield rows
      }
    },
  }
}
