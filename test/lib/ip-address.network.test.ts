/** @see issue 9, point 7: the grace window recognises a client by its network, not one address. */
import { describe, expect, it } from 'vitest'
import { addressNetwork } from '../../src/lib/ip-address.js'

describe('addressNetwork', () => {
  it('reduces an IPv4 address to its /24', () => {
    expect(addressNetwork('203.0.113.7')).toBe('203.0.113.0/24')
    expect(addressNetwork('203.0.113.250')).toBe('203.0.113.0/24')
    expect(addressNetwork('203.0.114.7')).toBe('203.0.114.0/24')
  })

  it('treats an IPv4-mapped IPv6 address as the IPv4 address', () => {
    expect(addressNetwork('::ffff:10.9.9.9')).toBe('10.9.9.0/24')
    expect(addressNetwork('::FFFF:10.9.9.9')).toBe('10.9.9.0/24')
  })

  it('reduces an IPv6 address to its /64, whatever its spelling', () => {
    const expected = '2001:db8::/64'
    for (const spelling of [
      '2001:db8::1',
      '2001:DB8:0:0:0:0:0:1',
      '2001:0db8:0000:0000:ffff:ffff:ffff:ffff',
      '2001:db8::1.2.3.4',
      '2001:db8::1%eth0',
    ]) {
      expect(addressNetwork(spelling), spelling).toBe(expected)
    }
    expect(addressNetwork('2001:db8:0:1::1')).toBe('2001:db8:0:1::/64')
    expect(addressNetwork('::1')).toBe('::/64')
  })

  it('leaves what is not an IP address as it is', () => {
    expect(addressNetwork('unknown')).toBe('unknown')
    expect(addressNetwork('')).toBe('')
  })
})
