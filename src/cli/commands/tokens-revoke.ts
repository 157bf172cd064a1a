/** `gatehouse tokens revoke --jti JTI`: refuse one access token until it expires. @module */
import { isAccessTokenId } from '../../tokens/access-token-signer.js'
import type { Command } from '../command.js'
import { enderOf, withStores } from '../open-stores.js'

export const tokensRevoke: Command = {
  name: 'tokens revoke',
  synopsis: 'tokens revoke --jti JTI',
  summary: 'refuse one access token until it expires',
  help: `usage: gatehouse tokens revoke --jti JTI [--json]

Refuses one access token, named by its "jti" claim (a UUID), on every API server following the
revocation feed, until it would have expired anyway.

  --json   { "jti", "until" } (ISO 8601)
`,
  options: ['jti'],
  opensDatabase: true,
  usesSessions: true,
  run: ({ config, options }) => {
    if (!options.jti) throw new Error('tokens revoke needs --jti JTI')
    // Issued jtis are not stored, but they are all random UUIDs: anything else (a whole token,
    // a username, a typo) was never issued, and "revoking" it would protect nothing.
    const jti = options.jti.toLowerCase()
    if (!isAccessTokenId(jti)) {
      throw new Error(
        `${options.jti} is not an access token id: a jti is a UUID such as 0f8c1c5e-7d4b-4b0e-9d7a-3c2b1a0f9e8d, the token's "jti" claim`,
      )
    }
    return withStores(config, async (stores) => {
      const until = new Date((await enderOf(config, stores).revokeToken(jti)) * 1000).toISOString()
      return { lines: [`revoked token ${jti} until ${until}`], json: { jti, until } }
    })
  },
}
