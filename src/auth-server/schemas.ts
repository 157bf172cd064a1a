/**
 * Request bodies of the auth server. Limits keep hashing cheap to refuse: no password longer
 * than `MAX_PASSWORD_LENGTH` reaches argon2.
 *
 * @module
 */
import { z } from 'zod'

export const MIN_PASSWORD_LENGTH = 8
export const MAX_PASSWORD_LENGTH = 256
export const MAX_USERNAME_LENGTH = 64

/** A username: visible text, no control characters, no surrounding spaces. */
export const usernameSchema = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(MAX_USERNAME_LENGTH, `must be at most ${MAX_USERNAME_LENGTH} characters`)
  .refine((name) => !/\p{Cc}/u.test(name), 'must not contain control characters')
  .refine((name) => name.trim() === name, 'must not start or end with spaces')

/** A new password: NIST SP 800-63B length rules, no composition rules. */
export const newPasswordSchema = z
  .string({ error: 'must be a string' })
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`)

export const registerBody = z.object({
  username: usernameSchema,
  password: newPasswordSchema,
})

export const changePasswordBody = z.object({
  oldPassword: z
    .string({ error: 'must be a string' })
    .min(1, 'must not be empty')
    .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`),
  newPassword: newPasswordSchema,
})

/** Login checks shape only: a name that could never register simply fails with 401. */
export const loginBody = z.object({
  username: z
    .string({ error: 'must be a string' })
    .min(1, 'must not be empty')
    .max(MAX_USERNAME_LENGTH * 4, 'is too long'),
  password: z
    .string({ error: 'must be a string' })
    .min(1, 'must not be empty')
    .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`),
})

export const logoutBody = z.object({
  refreshToken: z
    .string({ error: 'must be a string' })
    .min(1, 'must not be empty')
    .max(1024, 'is too long'),
})
