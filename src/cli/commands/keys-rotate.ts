/** `gatehouse keys rotate`: a new current signing key. @module */
import { cliAuditLog } from '../../audit/cli-audit.js'
import { createKeyring } from '../../tokens/keys/create-keyring.js'
import type { Command } from '../command.js'
import { withStores } from '../open-stores.js'

export const keysRotate: Command = {
  name: 'keys rotate',
  synopsis: 'keys rotate',
  summary: 'make a new signing key; the old one stays published until its tokens expire',
  help: `usage: gatehouse keys rotate [--json]

Makes the upcoming key current: running auth servers sign with it at once, and the previous key
stays in the JWKS until every token it signed has expired. Refused in tutorial mode
(ACCESS_TOKEN_SECRET set), which has no keys: change the secret instead.

  --json   { "kid", "alg", "previousPublishedFor" } (seconds)
`,
  options: [],
  opensDatabase: true,
  run: ({ config }) => {
    if (config.accessTokenSecret !== undefined) {
      throw new Error(
        'tutorial mode (ACCESS_TOKEN_SECRET is set) has no key to rotate: change the secret instead',
      )
    }
    return withStores(config, async (stores) => {
      const next = await createKeyring(config, stores.keys).rotate()
      await cliAuditLog(config, stores).record({
        event: 'key.rotated',
        actor: 'cli',
        detail: { kid: next.kid, alg: next.alg },
      })
      const seconds = config.accessTokenTtl + config.clockTolerance
      return {
        lines: [
          `rotated: new signing key ${next.kid} (${next.alg}); the previous key stays published`,
          `for ${seconds} seconds, until the tokens it signed expire`,
        ],
        json: { kid: next.kid, alg: next.alg, previousPublishedFor: seconds },
      }
    })
  },
}
