/**
 * Row (i): row (a) again, in a server process of its own. Nothing differs but the process, so
 * its distance from row (a) is what the harness cannot tell apart on this machine: a row whose
 * difference from (a) is no larger than (i)'s is within the noise.
 *
 * @module
 */
export { createRoute } from './no-auth.js'
