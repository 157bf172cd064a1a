/**
 * `@gatehouse/client`: a browser and Node client for Gatehouse with no dependencies. In a browser
 * the refresh token lives in an `HttpOnly` cookie and the access token in memory; the tabs of an
 * app share one refresh and hear each other's sign-outs.
 *
 * @module
 */
export { GatehouseClientError } from './client-error.js'
export { createClient } from './create-client.js'
export type {
  ClientEvents,
  ClientOptions,
  FetchInput,
  GatehouseClient,
  SessionInfo,
  SignOutReason,
  Transport,
  User,
} from './types.js'
