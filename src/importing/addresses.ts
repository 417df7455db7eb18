import { BlockList, isIP } from 'node:net';

/**
 * Address ranges a fetch of a moderator's link must never reach: the host's own services, its
 * network and its cloud's metadata service. Each says what it is, for the refusal. IPv4 ranges also
 * catch the same addresses written as IPv4-mapped IPv6 (`::ffff:10.0.0.1`): `BlockList` checks both.
 * From the IANA special-purpose address registries (RFC 6890 and its updates).
 */
const RANGES: ReadonlyArray<readonly [subnet: string, prefix: number, what: string]> = [
  ['0.0.0.0', 8, 'a "this network" address'],
  ['10.0.0.0', 8, 'a private address'],
  ['100.64.0.0', 10, 'a carrier-grade NAT address'],
  ['127.0.0.0', 8, 'a loopback address'],
  ['169.254.0.0', 16, 'a link-local address (where cloud metadata services answer)'],
  ['172.16.0.0', 12, 'a private address'],
  ['192.0.0.0', 24, 'a reserved address (IETF protocol assignments)'],
  ['192.0.2.0', 24, 'a reserved address (documentation)'],
  ['192.88.99.0', 24, 'a reserved address (6to4 relay)'],
  ['192.168.0.0', 16, 'a private address'],
  ['198.18.0.0', 15, 'a reserved address (benchmarking)'],
  ['198.51.100.0', 24, 'a reserved address (documentation)'],
  ['203.0.113.0', 24, 'a reserved address (documentation)'],
  ['224.0.0.0', 4, 'a multicast address'],
  ['240.0.0.0', 4, 'a reserved address'],
  ['::', 128, 'the unspecified address'],
  ['::1', 128, 'a loopback address'],
  ['::', 96, 'a reserved address (IPv4-compatible)'],
  ['::ffff:0:0:0', 96, 'an IPv4-translated address (it names an IPv4 host)'],
  ['64:ff9b::', 96, 'a NAT64 address'],
  ['64:ff9b:1::', 48, 'a NAT64 address'],
  ['100::', 64, 'a reserved address (discard)'],
  ['2001::', 23, 'a reserved address (IETF protocol assignments, Teredo)'],
  ['2001:db8::', 32, 'a reserved address (documentation)'],
  ['2002::', 16, 'a 6to4 address'],
  ['3fff::', 20, 'a reserved address (documentation)'],
  ['5f00::', 16, 'a reserved address (segment routing)'],
  ['fc00::', 7, 'a private address (unique local)'],
  ['fe80::', 10, 'a link-local address'],
  ['fec0::', 10, 'a site-local address'],
  ['ff00::', 8, 'a multicast address'],
];

const LISTS = RANGES.map(([subnet, prefix, what]) => {
  const list = new BlockList();
  list.addSubnet(subnet, prefix, isIP(subnet) === 4 ? 'ipv4' : 'ipv6');
  return { list, what };
});

/**
 * What kind of non-public address `address` is, or `null` for a public one: the reason a fetch
 * refuses to connect there. Anything that is not an IP address at all is refused too.
 *
 * @example
 * restrictedAddress('169.254.169.254') // => 'a link-local address (where cloud metadata services answer)'
 * restrictedAddress('::ffff:10.0.0.1') // => 'a private address'
 * restrictedAddress('93.184.215.14') // => null
 */
export function restrictedAddress(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 0) return 'not an IP address';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  return LISTS.find(({ list }) => list.check(bare, type))?.what ?? null;
}
