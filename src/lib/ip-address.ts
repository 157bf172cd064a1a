/**
 * Client addresses in one spelling, and the bucket a per-address limit counts them in.
 *
 * An IPv6 address has many spellings (`2001:db8::1`, `2001:DB8:0:0:0:0:0:1`), an IPv4 client may
 * arrive IPv4-mapped (`::ffff:10.9.9.9`), and one IPv6 subscriber is handed a whole /64 (RFC
 * 6177), so counting per exact address gives each of them as many fresh buckets as they like.
 *
 * @module
 */
import net from 'node:net'

/** Groups of an IPv6 address a per-address limit keys on: the /64 a single site is handed. */
const IPV6_BUCKET_GROUPS = 4

/**
 * The one spelling of an address: IPv4 dotted decimal (IPv4-mapped IPv6 unwrapped), IPv6 lower
 * case and compressed as RFC 5952 §4 asks, any zone id (`%eth0`) dropped. Anything that is not
 * an IP address comes back unchanged.
 *
 * @example
 * canonicalAddress('2001:DB8:0:0:0:0:0:1') // '2001:db8::1'
 * canonicalAddress('::ffff:10.9.9.9') // '10.9.9.9'
 */
export function canonicalAddress(address: string): string {
  const groups = parseIPv6(address)
  if (!groups) return address
  if (isIPv4Mapped(groups)) return ipv4FromGroups(groups[6] ?? 0, groups[7] ?? 0)
  return formatIPv6(groups)
}

/**
 * The key a per-address limit counts `address` under: an IPv4 address itself, an IPv6 address
 * by its /64 (`2001:db8:0:1::/64`).
 *
 * @example
 * addressBucket('2001:db8:0:1:aaaa::1') === addressBucket('2001:db8:0:1:bbbb::2') // true
 */
export function addressBucket(address: string): string {
  const groups = parseIPv6(address)
  if (!groups) return address
  if (isIPv4Mapped(groups)) return ipv4FromGroups(groups[6] ?? 0, groups[7] ?? 0)
  return `${formatIPv6([...groups.slice(0, IPV6_BUCKET_GROUPS), 0, 0, 0, 0])}/64`
}

/**
 * The network a client address belongs to, for recognising one client that moves between
 * addresses of its own network (the refresh grace window): an IPv4 address's /24, an IPv6
 * address's /64, in one spelling whatever the input's.
 *
 * @example
 * addressNetwork('::ffff:10.9.9.9') // '10.9.9.0/24'
 * addressNetwork('2001:DB8::1') // '2001:db8::/64'
 */
export function addressNetwork(address: string): string {
  const canonical = canonicalAddress(address)
  if (net.isIPv4(canonical)) return `${canonical.split('.').slice(0, 3).join('.')}.0/24`
  return addressBucket(canonical)
}

/** The eight 16-bit groups of an IPv6 address, or `undefined` when it is not one. */
function parseIPv6(address: string): number[] | undefined {
  const text = address.split('%')[0] ?? ''
  if (!net.isIPv6(text)) return undefined
  const [head = '', tail] = text.split('::')
  const parts = (part: string) => (part === '' ? [] : part.split(':').flatMap(groupsOf))
  const left = parts(head)
  const right = tail === undefined ? [] : parts(tail)
  const zeros = new Array<number>(8 - left.length - right.length).fill(0)
  return [...left, ...zeros, ...right]
}

/** One `:`-separated part as 16-bit groups; an embedded IPv4 address is two of them. */
function groupsOf(part: string): number[] {
  if (!part.includes('.')) return [Number.parseInt(part, 16)]
  const [a = 0, b = 0, c = 0, d = 0] = part.split('.').map(Number)
  return [(a << 8) | b, (c << 8) | d]
}

/** `::ffff:0:0/96` (RFC 4291 §2.5.5.2). */
function isIPv4Mapped(groups: number[]): boolean {
  return groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff
}

function ipv4FromGroups(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.')
}

/** RFC 5952 §4: lower case, no leading zeros, the longest run of two or more zero groups as `::`. */
function formatIPv6(groups: number[]): string {
  let best = { start: -1, length: 1 }
  for (let start = 0; start < groups.length; start++) {
    let length = 0
    while (groups[start + length] === 0) length++
    if (length > best.length) best = { start, length }
  }
  const hex = groups.map((group) => group.toString(16))
  if (best.start < 0) return hex.join(':')
  const left = hex.slice(0, best.start).join(':')
  const right = hex.slice(best.start + best.length).join(':')
  return `${left}::${right}`
}
