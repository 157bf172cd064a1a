/**
 * Generators for the fuzz tests: mutations of a real token (flipped, inserted and deleted
 * characters, swapped segments, random base64url segments) and header text without the control
 * characters that Node's HTTP parser refuses before any Gatehouse code runs.
 */
import fc from 'fast-check'

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** A character a token might plausibly be mutated with: base64url, separators, or anything. */
const mutationChar = fc.oneof(
  fc.constantFrom(...BASE64URL),
  fc.constantFrom('.', '=', '+', '/', ' ', '~', '%', '"'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
)

export const base64urlSegment = fc
  .array(fc.constantFrom(...BASE64URL), { maxLength: 300 })
  .map((chars) => chars.join(''))

/** One mutation of `token`; may (rarely) give back the token itself. */
export function mutatedToken(token: string): fc.Arbitrary<string> {
  const index = fc.nat({ max: token.length - 1 })
  const parts = token.split('.')
  return fc.oneof(
    fc.tuple(index, mutationChar).map(([i, c]) => token.slice(0, i) + c + token.slice(i + 1)),
    fc.tuple(index, mutationChar).map(([i, c]) => token.slice(0, i) + c + token.slice(i)),
    index.map((i) => token.slice(0, i) + token.slice(i + 1)),
    fc.tuple(fc.nat({ max: 2 }), fc.nat({ max: 2 })).map(([a, b]) => {
      const swapped = [...parts]
      ;[swapped[a], swapped[b]] = [parts[b] ?? '', parts[a] ?? '']
      return swapped.join('.')
    }),
    fc.tuple(fc.nat({ max: 2 }), base64urlSegment).map(([i, segment]) => {
      const replaced = [...parts]
      replaced[i] = segment
      return replaced.join('.')
    }),
    fc
      .array(base64urlSegment, { minLength: 1, maxLength: 5 })
      .map((segments) => segments.join('.')),
  )
}

/** Removes the bytes Node's HTTP parser refuses in a header value (CTLs other than tab). */
export function withoutControlCharacters(text: string): string {
  return [...text]
    .filter((char) => {
      const code = char.codePointAt(0) ?? 0
      return code === 0x09 || (code >= 0x20 && code !== 0x7f)
    })
    .join('')
}
