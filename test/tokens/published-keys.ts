/**
 * What the auth server publishes and what `gatehouse keys list` says about it, for the rotation
 * tests: the kids in the JWKS, each key's state, and how many times the JWKS was fetched.
 */
import type { Server } from 'node:http'
import { decodeProtectedHeader, type JWK } from 'jose'
import { runCli } from '../cli/run-cli.js'
import { request } from '../helpers/test-servers.js'

export const JWKS_PATH = '/.well-known/jwks.json'

/** The `kid` a token was signed with, failing loudly when it has none. */
export function kidOf(token: string): string {
  const { kid } = decodeProtectedHeader(token)
  if (typeof kid !== 'string') throw new Error(`token without a kid: ${token}`)
  return kid
}

/** The kids in the auth server's JWKS, sorted (keys made in one second come in either order). */
export async function publishedKids(authUrl: string): Promise<string[]> {
  const res = await request<{ keys: JWK[] }>(`${authUrl}${JWKS_PATH}`)
  if (res.status !== 200) throw new Error(`JWKS answered ${res.status}`)
  return res.body.keys.map((key) => key.kid as string).sort()
}

/** `kids` sorted, to compare with `publishedKids`. */
export const sorted = (...kids: string[]) => [...kids].sort()

/** `gatehouse keys list` as `{ kid: state }`, failing loudly when the command fails. */
export async function keyStates(env: Record<string, string>): Promise<Record<string, string>> {
  const result = await runCli(['keys', 'list'], env)
  // Standard error holds only the line naming the database.
  if (result.code !== 0 || !/^gatehouse: database \S+[^\n]*\n$/.test(result.stderr))
    throw new Error(`keys list exited ${result.code}: ${result.stderr}`)
  const states: Record<string, string> = {}
  for (const line of result.stdout.trimEnd().split('\n')) {
    const [kid, , state] = line.split(/\s+/)
    if (kid === undefined || state === undefined || kid in states)
      throw new Error(`unexpected keys list line: ${line}`)
    states[kid] = state
  }
  return states
}

/**
 * Counts the requests for the JWKS that reach `server` from now on: a verifier that already knows
 * a key must not need them.
 */
export function countJwksRequests(server: Server): { readonly count: number; stop(): void } {
  let count = 0
  const onRequest = (req: { url?: string }) => {
    if (req.url?.split('?')[0] === JWKS_PATH) count++
  }
  server.on('request', onRequest)
  return {
    get count() {
      return count
    },
    stop: () => server.off('request', onRequest),
  }
}
