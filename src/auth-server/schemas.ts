/**
 * Request bodies of the auth server. Limits keep hashing cheap to refuse: no password longer
 * than `MAX_PASSWORD_LENGTH` reaches argon2. Passwords and usernames are Unicode NFKC-normalised
 * (NIST SP 800-63B §5.1.1.2), so the same text typed on another keyboard is the same secret;
 * lengths count characters (code points), not bytes.
 *
 * @module
 */
import { z } from 'zod'
import { findDisallowedInUsername } from '../lib/precis-identifier.js'
import { isCommonPassword } from '../passwords/common-passwords.js'

export const MIN_PASSWORD_LENGTH = 8
export const MAX_PASSWORD_LENGTH = 256
export const MAX_USERNAME_LENGTH = 64

const characters = (text: string) => [...text].length

/** Any password as typed: a string, NFKC-normalised, capped before it can reach argon2. */
const passwordText = z
  .string({ error: 'must be a string' })
  .max(MAX_PASSWORD_LENGTH * 4, `must be at most ${MAX_PASSWORD_LENGTH} characters`)
  .transform((text) => text.normalize('NFKC'))
  .refine(
    (text) => characters(text) <= MAX_PASSWORD_LENGTH,
    `must be at most ${MAX_PASSWORD_LENGTH} characters`,
  )

/** What a username refused by the PRECIS IdentifierClass (`findDisallowedInUsername`) is told. */
const DISALLOWED_MESSAGES = {
  invisible: 'must not contain control or invisible characters',
  'not-identifier':
    'must hold only letters, digits, combining marks and ASCII symbols, with single spaces between words',
} as const

/**
 * A username: visible text (no control, format, private-use or unassigned characters, no line
 * or paragraph separators, so nothing can break a log line or a header), no surrounding spaces;
 * stored NFKC-normalised; and a PRECIS identifier (RFC 8264/8265: no default-ignorable code
 * points, Hangul fillers, symbols or compatibility characters), so that no invisible character
 * makes a second `Jane`. Look-alikes from other scripts are refused by the user store.
 */
export const usernameSchema = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .refine(
    (name) => !/[\p{C}\p{Zl}\p{Zp}]/u.test(name),
    'must not contain control or invisible characters',
  )
  .transform((name) => name.normalize('NFKC'))
  .refine((name) => name.trim() === name, 'must not start or end with spaces')
  .refine((name) => name.length > 0, 'must not be empty')
  .superRefine((name, ctx) => {
    const reason = findDisallowedInUsername(name)
    if (reason) ctx.addIssue({ code: 'custom', message: DISALLOWED_MESSAGES[reason] })
  })
  .refine(
    (name) => characters(name) <= MAX_USERNAME_LENGTH,
    `must be at most ${MAX_USERNAME_LENGTH} characters`,
  )

/**
 * A new password, by NIST SP 800-63B: at least 8 characters, up to 256, any Unicode, no
 * composition rules, not one of the most common passwords.
 */
export const newPasswordSchema = passwordText
  .refine(
    (text) => characters(text) >= MIN_PASSWORD_LENGTH,
    `must be at least ${MIN_PASSWORD_LENGTH} characters`,
  )
  .refine(
    (text) => !isCommonPassword(text, MIN_PASSWORD_LENGTH),
    'is one of the most commonly used passwords; choose another',
  )

/** RFC 5321's longest usable address, in characters. */
export const MAX_EMAIL_LENGTH = 254

/** An email address: one line, at most 254 characters, of the form zod's `z.email()` accepts. */
export const emailSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .max(MAX_EMAIL_LENGTH, `must be at most ${MAX_EMAIL_LENGTH} characters`)
  .pipe(z.email({ error: 'must be an email address, such as jane@example.com' }))

export const registerBody = z.object({
  username: usernameSchema,
  password: newPasswordSchema,
  email: emailSchema.optional(),
})

export const changePasswordBody = z.object({
  oldPassword: passwordText.refine((text) => text.length > 0, 'must not be empty'),
  newPassword: newPasswordSchema,
})

/** Login checks shape only: a name that could never register simply fails with 401. */
export const loginBody = z.object({
  username: z
    .string({ error: 'must be a string' })
    .min(1, 'must not be empty')
    .max(MAX_USERNAME_LENGTH * 4, 'is too long'),
  password: passwordText.refine((text) => text.length > 0, 'must not be empty'),
})

export const logoutBody = z.object({
  refreshToken: z
    .string({ error: 'must be a string' })
    .min(1, 'must not be empty')
    .max(1024, 'is too long'),
})
