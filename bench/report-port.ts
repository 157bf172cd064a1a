/**
 * Preloaded into the bench's real servers (`node --import <this file> …`) so that they can listen
 * on port 0 and the bench still learns where: each server that starts listening is reported to
 * the parent as `{ listening: port }` over the IPC channel, in the order they bind (the auth or
 * API server binds its main port first, before anything else is built). No server code changes;
 * without an IPC channel this does nothing.
 *
 * @module
 */
import net from 'node:net'

const listen = net.Server.prototype.listen

net.Server.prototype.listen = function reportedListen(
  this: net.Server,
  ...args: Parameters<net.Server['listen']>
) {
  this.once('listening', () => {
    const address = this.address()
    if (address !== null && typeof address === 'object') process.send?.({ listening: address.port })
  })
  return listen.apply(this, args)
} as net.Server['listen']

// The channel must not keep a server alive that would otherwise exit.
process.channel?.unref()
