import { bearerChallenge } from '@gatehouse/verify'
import type { Response } from 'express'
import { isGatehouseError } from '../../errors/index.js'

/** Adds `WWW-Authenticate: Bearer …` (RFC 6750 §3) when `error` refuses a Bearer token. */
export function challengeIfRefused(res: Response, realm: string, error: unknown): void {
  if (isGatehouseError(error) && (error.status === 401 || error.status === 403)) {
    res.set('WWW-Authenticate', bearerChallenge(realm, error.code, error.message))
  }
}
