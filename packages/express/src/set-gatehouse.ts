/**
 * Where `req.gatehouse` is kept. Express 5 gives every request its app's prototype
 * (`Object.setPrototypeOf(req, app.request)`), and from then on V8 shares no hidden class between
 * requests: each property added to a request makes a new one (a map and a copy of its
 * descriptors, in the old generation, for the garbage collector to mark and sweep). Adding
 * `gatehouse` to every request cost more than the rest of a cache hit. So `gatehouse` is an
 * accessor over a `WeakMap` of requests, defined once on the request prototype every Express app
 * inherits from (so it is also seen after a sub-app hands the request back to its parent), and
 * setting it adds an entry to the map, not a property to the request.
 *
 * When that prototype is not Express's (another framework's request object), or another copy of
 * this package holds the property already, or the request has an own `gatehouse` already, the
 * value is simply assigned: the same answer, only without the saving.
 *
 * @module
 */
import { IncomingMessage } from 'node:http'
import type { VerifiedToken } from '@gatehouse/verify'
import type { Request } from 'express'

/** The verified token of each request that went through `requireAuth`. */
const tokens = new WeakMap<object, VerifiedToken | undefined>()

/** Per app prototype (`app.request`): whether `gatehouse` on it is this module's accessor. */
const prepared = new WeakMap<object, boolean>()

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
 * Sets `req.gatehouse`, allocating no hidden class for it.
 *
 * @example
 * setGatehouse(req, verified)
 * req.gatehouse === verified // true
 */
export function setGatehouse(req: Request, verified: VerifiedToken | undefined): void {
  const prototype: object | null = Object.getPrototypeOf(req)
  if (prototype === null) {
    req.gatehouse = verified
    return
  }
  let ours = prepared.get(prototype)
  if (ours === undefined) {
    ours = prepare(prototype)
    prepared.set(prototype, ours)
  }
  // An own property (set before the accessor was defined) would hide the accessor's value.
  if (ours && !Object.hasOwn(req, 'gatehouse')) tokens.set(req, verified)
  else req.gatehouse = verified
}

/**
 * Defines the accessor on Express's own request prototype (the one whose prototype is
 * `IncomingMessage.prototype`) above `prototype`, once; says whether it is there now.
 */
function prepare(prototype: object): boolean {
  let shared: object | null = prototype
  while (shared !== null && Object.getPrototypeOf(shared) !== IncomingMessage.prototype) {
    shared = Object.getPrototypeOf(shared)
  }
  if (shared === null) return false
  const existing = Object.getOwnPropertyDescriptor(shared, 'gatehouse')
  if (existing === undefined) {
    Object.defineProperty(shared, 'gatehouse', accessor)
    return true
  }
  return existing.get === accessor.get
}
