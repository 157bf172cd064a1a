/**
 * Where `req.gatehouse` is kept. Express gives every request object a hidden class of its own:
 * it sets the request's prototype (`Object.setPrototypeOf(req, app.request)`), and V8 keeps no
 * transitions from a class made that way, so each property a middleware then adds to `req`
 * makes V8 build yet another class. That was about 3 µs a request, most of what `requireAuth`
 * cost over an empty middleware.
 *
 * So `gatehouse` is an accessor over a `WeakMap` from request to verified token, defined once on
 * the Express request prototype: the object between `app.request` and
 * `http.IncomingMessage.prototype`, which every app and mounted sub-app of one copy of Express
 * shares. Admitting a request is a `WeakMap` entry, which goes when the request object does;
 * reading and assigning `req.gatehouse` work as before. A request without that prototype (not
 * an Express request, or one whose prototype already has a `gatehouse` of someone else's), or
 * one the app gave an own `gatehouse`, gets an own property, as before.
 *
 * @module
 */
import { IncomingMessage } from 'node:http'
import type { VerifiedToken } from '@gatehouse/verify'

const tokens = new WeakMap<object, VerifiedToken | undefined>()

/** Prototypes seen, and whether `gatehouse` is the accessor for requests below them. */
const prototypes = new WeakMap<object, boolean>()

/** The prototype of the request admitted last, known to carry the accessor: the usual case. */
let lastPrototype: object | undefined

const accessor: PropertyDescriptor = {
  configurable: true,
  enumerable: false,
  get(this: object) {
    return tokens.get(this)
  },
  set(this: object, value: VerifiedToken | undefined) {
    tokens.set(this, value)
  },
}

/**
 * Sets `req.gatehouse` to `verified`.
 *
 * @example
 * setRequestToken(req, verified) // then req.gatehouse === verified
 */
export function setRequestToken(
  req: { gatehouse?: VerifiedToken | undefined },
  verified: VerifiedToken | undefined,
): void {
  const prototype: object | null = Object.getPrototypeOf(req)
  // A request the app gave an own `gatehouse` keeps it; another prototype than last time (the
  // first request, a sub-app's) is found out once.
  if (
    !Object.hasOwn(req, 'gatehouse') &&
    (prototype === lastPrototype || (prototype !== null && carriesAccessor(prototype)))
  ) {
    lastPrototype = prototype
    tokens.set(req, verified)
  } else {
    req.gatehouse = verified
  }
}

function carriesAccessor(prototype: object): boolean {
  let carries = prototypes.get(prototype)
  if (carries === undefined) {
    carries = defineAccessor(prototype)
    prototypes.set(prototype, carries)
  }
  return carries
}

/** Defines the accessor on the Express request prototype above `prototype`, if there is one. */
function defineAccessor(prototype: object): boolean {
  let root: object | null = prototype
  while (root !== null && Object.getPrototypeOf(root) !== IncomingMessage.prototype) {
    root = Object.getPrototypeOf(root)
  }
  if (root === null) return false
  const existing = Object.getOwnPropertyDescriptor(root, 'gatehouse')
  if (existing === undefined) {
    Object.defineProperty(root, 'gatehouse', accessor)
    return true
  }
  return existing.get === accessor.get
}
