/**
 * The network a client address belongs to: its /24 for IPv4, its /64 for IPv6 (one subscriber's
 * usual allocation, RFC 6177), so that one client moving between addresses of its own network is
 * still recognised, and spellings of one address (`::ffff:10.0.0.1`, upper case, zeros written
 * out) give one answer.
 *
 * @module
 */
import { isIPv4, isIPv6 } from 'node:net'

/**
 * @param address An IPv4 or IPv6 address as Node reports it (`req.ip`).
 * @returns `a.b.c.0/24`, `xxxx:xxxx:xxxx:xxxx::/64` (lower case, no leading zeros), or the input
 * unchanged when it is not an IP address.
 * @example
 * addressPrefix('2001:DB8::1') // '2001:db8:0:0::/64'
 * addressPrefix('::ffff:10.9.9.9') // '10.9.9.0/24'
 */
export function addressPrefix(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1]
  const ip = mapped ?? address
  if (isIPv4(ip)) return `${ip.split('.').slice(0, 3).join('.')}.0/24`
  if (!isIPv6(ip)) return address
  return `${ipv6Groups(ip).slice(0, 4).join(':')}::/64`
}

/** The eight groups of an IPv6 address, lower case, without leading zeros. */
function ipv6Groups(ip: string): string[] {
  const withoutZone = ip.split('%')[0] ?? ip
  // A trailing dotted IPv4 part (`::1.2.3.4`) stands for the last two groups.
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(withoutZone)
  const hex = dotted
    ? withoutZone.slice(0, dotted.index) +
      [(Number(dotted[1]) << 8) | Number(dotted[2]), (Number(dotted[3]) << 8) | Number(dotted[4])]
        .map((n) => n.toString(16))
        .join(':')
    : withoutZone
  const [head = '', tail] = hex.split('::')
  const left = head === '' ? [] : head.split(':')
  const right = tail === undefined || tail === '' ? [] : tail.split(':')
  const missing = tail === undefined ? 0 : 8 - left.length - right.length
  return [...left, ...Array(missing).fill('0'), ...right].map((group) =>
    Number.parseInt(group, 16).toString(16),
  )
}
