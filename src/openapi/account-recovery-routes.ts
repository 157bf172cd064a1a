/**
 * The auth server's routes of email addresses, their verification and password reset, as
 * entries of its OpenAPI document (spread into `authRoutes` in `auth-document.ts`).
 *
 * @module
 */
import { z } from 'zod'
import { setEmailBody } from '../auth-server/routes/email.js'
import { verifyEmailBody } from '../auth-server/routes/email-verify.js'
import { forgotBody, resetBody } from '../auth-server/routes/password-reset.js'
import type { ErrorCode } from '../errors/codes.js'
import type { RouteEntry } from './build-document.js'
import { ACCESS_TOKEN_ERRORS, BODY_ERRORS } from './error-responses.js'
import { cacheControlHeader } from './headers.js'

const STORE: readonly ErrorCode[] = ['ERR_STORE_UNAVAILABLE']
const noStoreHeaders = z.object({ 'Cache-Control': cacheControlHeader })

const emailState = z
  .strictObject({
    email: z.string().nullable().meta({ description: 'The address as given; `null`: none.' }),
    emailVerified: z.boolean(),
  })
  .meta({ id: 'EmailState' })

const emailAnswer = (description: string) => ({
  description,
  headers: noStoreHeaders,
  content: { 'application/json': { schema: emailState } },
})

const forgotAnswer = z
  .strictObject({ message: z.string() })
  .meta({ id: 'PasswordForgotAnswer', description: 'The same for every request.' })

export const accountRecoveryRoutes: readonly RouteEntry[] = [
  {
    method: 'get',
    path: '/account/email',
    operationId: 'getEmail',
    tag: 'accounts',
    summary: 'The caller’s email address',
    description: 'The address and whether it is verified (accounts.md).',
    security: ['accessToken'],
    responses: { '200': emailAnswer('The address.') },
    errors: [...ACCESS_TOKEN_ERRORS, ...STORE],
  },
  {
    method: 'post',
    path: '/account/email',
    operationId: 'setEmail',
    tag: 'accounts',
    summary: 'Set or change the email address',
    description:
      '202: the address is set, unverified (the access tokens issued from the next refresh carry `email_verified: false`), earlier links stop working, and a verification link (24 h, single-use) is mailed to it. The same answer for an address another account has verified: its mailbox is sent a notice instead (accounts.md). 403 `ERR_WRONG_PASSWORD` for a wrong password, limited like a login; 429 past `RATE_LIMIT_ACCOUNT_MAIL`.',
    security: ['accessToken'],
    body: setEmailBody,
    responses: { '202': emailAnswer('Set; a link is on its way.') },
    errors: [
      ...ACCESS_TOKEN_ERRORS,
      ...BODY_ERRORS,
      'ERR_WRONG_PASSWORD',
      'ERR_RATE_LIMITED',
      ...STORE,
    ],
  },
  {
    method: 'post',
    path: '/email/verify',
    operationId: 'verifyEmail',
    tag: 'accounts',
    summary: 'Verify an email address',
    description:
      'The token from the mailed link (`#verify-email=<token>`); no sign-in needed. 400 `ERR_VERIFICATION_TOKEN_INVALID` for a token unknown, used, expired, or sent to an address the account no longer has. 429 past `RATE_LIMIT_ACCOUNT_TOKEN_IP`.',
    body: verifyEmailBody,
    responses: { '200': emailAnswer('Verified.') },
    errors: [...BODY_ERRORS, 'ERR_VERIFICATION_TOKEN_INVALID', 'ERR_RATE_LIMITED', ...STORE],
  },
  {
    method: 'post',
    path: '/email/verify/resend',
    operationId: 'resendEmailVerification',
    tag: 'accounts',
    summary: 'Mail a new verification link',
    description:
      '202 with a new link mailed; earlier ones stop working. 409 `ERR_EMAIL_MISSING` without an address, `ERR_EMAIL_ALREADY_VERIFIED` once verified. 429 past `RATE_LIMIT_ACCOUNT_MAIL`.',
    security: ['accessToken'],
    responses: { '202': emailAnswer('A link is on its way.') },
    errors: [
      ...ACCESS_TOKEN_ERRORS,
      'ERR_EMAIL_MISSING',
      'ERR_EMAIL_ALREADY_VERIFIED',
      'ERR_RATE_LIMITED',
      ...STORE,
    ],
  },
  {
    method: 'post',
    path: '/password/forgot',
    operationId: 'forgotPassword',
    tag: 'accounts',
    summary: 'Ask for a password-reset link',
    description:
      '`{username}` or `{email}`. Always 202 with the same body, sent before the account is looked up, so neither it nor its timing tells whether the account exists. A link (30 min, single-use) is mailed only to a verified address of an account in use, at most `RATE_LIMIT_PASSWORD_FORGOT_ACCOUNT` times (past it: 202, nothing sent). 429 only past `RATE_LIMIT_PASSWORD_FORGOT_IP` for this address.',
    body: forgotBody,
    responses: {
      '202': {
        description: 'Taken; a link follows if the account can get one.',
        headers: noStoreHeaders,
        content: { 'application/json': { schema: forgotAnswer } },
      },
    },
    errors: [...BODY_ERRORS, 'ERR_RATE_LIMITED'],
  },
  {
    method: 'post',
    path: '/password/reset',
    operationId: 'resetPassword',
    tag: 'accounts',
    summary: 'Choose a new password with a reset link',
    description:
      '204: the password is replaced (the rules of a new password, http.md), every session of the user ends — their access tokens reach the revocation feed — and their other reset links stop working; sign in again. 400 `ERR_RESET_TOKEN_INVALID` for a token unknown, used or expired; 429 past `RATE_LIMIT_ACCOUNT_TOKEN_IP`.',
    body: resetBody,
    responses: { '204': { description: 'Reset; every session ended.' } },
    errors: [...BODY_ERRORS, 'ERR_RESET_TOKEN_INVALID', 'ERR_RATE_LIMITED', ...STORE],
  },
]
