import { describe, expect, it } from 'vitest'
import { addressBucket, canonicalAddress } from '../../src/lib/ip-address.js'

/** @see issue 9, point 10 */
describe('canonicalAddress', () => {
  it.each([
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8::1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['::1', '::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::ffff:10.9.9.9', '10.9.9.9'],
    ['::FFFF:0a09:0909', '10.9.9.9'],
    ['10.9.9.9', '10.9.9.9'],
    ['64:ff9b::10.9.9.9', '64:ff9b::a09:909'],
    ['unknown', 'unknown'],
  ])('spells %j as %j', (address, canonical) => {
    expect(canonicalAddress(address)).toBe(canonical)
  })
})

describe('addressBucket', () => {
  it('puts every address of one IPv6 /64 in one bucket', () => {
    const bucket = addressBucket('2001:db8:7:7::1')
    expect(bucket).toBe('2001:db8:7:7::/64')
    expect(addressBucket('2001:DB8:7:7:ffff:ffff:ffff:ffff')).toBe(bucket)
    expect(addressBucket('2001:db8:7:8::1')).not.toBe(bucket)
  })

  it('keeps an IPv4 address, mapped or not, a bucket of its own', () => {
    expect(addressBucket('::ffff:10.9.9.9')).toBe('10.9.9.9')
    expect(addressBucket('10.9.9.9')).toBe('10.9.9.9')
    expect(addressBucket('10.9.9.10')).not.toBe('10.9.9.9')
  })
})
