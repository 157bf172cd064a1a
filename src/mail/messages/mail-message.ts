/**
 * What every message template returns, and the link its button leads to. The token always
 * travels in the link's fragment (`#verify-email=…`), which a browser never sends to a server:
 * no access log, proxy or `Referer` ever sees it.
 *
 * @module
 */

/** The kinds of message, as logs and metrics name them (never by recipient). */
export type MailKind = 'verify-email' | 'reset-password' | 'address-in-use'

export interface MailMessage {
  readonly kind: MailKind
  readonly subject: string
  readonly text: string
  readonly html: string
}

/**
 * @param base `ACCOUNT_LINK_URL`, e.g. `http://localhost:8080`.
 * @example
 * accountLink('https://app.example.com', 'reset-password', token) // 'https://app.example.com/#reset-password=…'
 */
export function accountLink(
  base: string,
  action: 'verify-email' | 'reset-password',
  token: string,
) {
  return `${base}/#${action}=${encodeURIComponent(token)}`
}

/** `text` made safe to put in HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** A plain HTML page of paragraphs and, when given, one link. */
export function simpleHtml(paragraphs: readonly string[], link?: { href: string; label: string }) {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`)
  if (link)
    body.splice(1, 0, `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>`)
  return `<!doctype html><html><body style="font-family: sans-serif">${body.join('')}</body></html>`
}
