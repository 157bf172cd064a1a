/** `gatehouse secret generate` (and its old spelling `gen-secret`): a random secret. @module */
import { randomBytes } from 'node:crypto'
import type { Command, Outcome } from '../command.js'

function generate(): Outcome {
  const secret = randomBytes(64).toString('hex')
  return { lines: [secret], json: { secret } }
}

export const secretGenerate: Command = {
  name: 'secret generate',
  synopsis: 'secret generate',
  summary: 'print a random 64-byte hex secret (also: gen-secret)',
  help: `usage: gatehouse secret generate [--json]

Prints 64 random bytes as 128 hex characters, for ACCESS_TOKEN_SECRET, REFRESH_TOKEN_SECRET,
KEY_ENCRYPTION_SECRET or REVOCATION_FEED_TOKEN. Reads no settings and opens no database.
gen-secret is the same command under its old name.

  --json   { "secret" }
`,
  options: [],
  opensDatabase: false,
  needsConfig: false,
  run: generate,
}

export const genSecret: Command = { ...secretGenerate, name: 'gen-secret', hidden: true }
