/**
 * The few DOM helpers the views share: find an element (failing loudly if the page lacks it),
 * read a form, build elements without `innerHTML` (post titles and user agents are user input),
 * and speak through the page's one `aria-live` status region.
 *
 * @module
 */
import { GatehouseClientError } from '@gatehouse/client'

/**
 * The element with `id`, of type `type`.
 *
 * @example
 * const form = byId('sign-in-form', HTMLFormElement)
 */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id)
  if (!(element instanceof type)) throw new Error(`the page has no #${id} ${type.name}`)
  return element
}

/**
 * A form's text fields by name.
 *
 * @example
 * const { username, password } = formFields(form, ['username', 'password'])
 */
export function formFields<K extends string>(
  form: HTMLFormElement,
  names: readonly K[],
): Record<K, string> {
  const data = new FormData(form)
  const fields = {} as Record<K, string>
  for (const name of names) {
    const value = data.get(name)
    fields[name] = typeof value === 'string' ? value : ''
  }
  return fields
}

/**
 * An element with text content and attributes (never HTML).
 *
 * @example
 * list.append(element('li', { text: post.title }))
 */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: { text?: string; attributes?: Record<string, string> } = {},
  ...children: Node[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  if (options.text !== undefined) node.textContent = options.text
  for (const [name, value] of Object.entries(options.attributes ?? {}))
    node.setAttribute(name, value)
  node.append(...children)
  return node
}

/**
 * Says `message` in the status region, which screen readers announce.
 *
 * @example
 * announce('Signed in as Jane')
 */
export function announce(message: string): void {
  byId('status', HTMLElement).textContent = message
}

/** A failure as one sentence for the status region: the server's message when it sent one. */
export function describeFailure(error: unknown): string {
  if (error instanceof GatehouseClientError) return `${error.message} (${error.code})`
  if (error instanceof Error) return error.message
  return 'Something went wrong'
}

/**
 * Runs `action` when `form` is submitted (Enter or the button), with the form's buttons disabled
 * meanwhile; a failure is announced (unless it came from the session ending meanwhile, which
 * announces itself), and the form is kept for another try.
 *
 * @example
 * onSubmit(form, async () => { await client.login(formFields(form, ['username', 'password'])) })
 */
export function onSubmit(form: HTMLFormElement, action: () => Promise<void>): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    void busy(form, action)
  })
}

/**
 * Runs `action` on a click of `button`, like `onSubmit`.
 *
 * @example
 * onClick(button, () => client.logout())
 */
export function onClick(button: HTMLButtonElement, action: () => Promise<void>): void {
  button.addEventListener('click', () => void busy(button, action))
}

async function busy(target: HTMLFormElement | HTMLButtonElement, action: () => Promise<void>) {
  const buttons =
    target instanceof HTMLButtonElement ? [target] : [...target.querySelectorAll('button')]
  for (const button of buttons) button.disabled = true
  const state = document.body.dataset.state
  try {
    await action()
  } catch (error) {
    // A request refused because the session just ended: the sign-out's own message says why.
    const signedOutMeanwhile = state === 'signed-in' && document.body.dataset.state !== state
    if (!signedOutMeanwhile) announce(describeFailure(error))
  } finally {
    for (const button of buttons) button.disabled = false
  }
}
