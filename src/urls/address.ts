import { BlockList, isIP } from 'node:net';

/** `blocked`: never fetched. `private`: fetched only with allowPrivateHosts. */
export type AddressClass = 'public' | 'private' | 'blocked';

/** Cloud metadata services and link-local ranges, refused even when private hosts are allowed. */
const blocked = new BlockList();
blocked.addSubnet('169.254.0.0', 16, 'ipv4');
blocked.addAddress('100.100.100.200', 'ipv4');
blocked.addSubnet('fe80::', 10, 'ipv6');
blocked.addAddress('fd00:ec2::254', 'ipv6');

const privateRanges = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['192.0.0.0', 24],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  privateRanges.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['ff00::', 8],
] as const) {
  privateRanges.addSubnet(net, prefix, 'ipv6');
}

const BLOCKED_NAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata']);

/** Host names refused before any lookup. */
export function isBlockedHostname(hostname: string): boolean {
  return BLOCKED_NAMES.has(hostname.toLowerCase().replace(/\.$/, ''));
}

export function classifyAddress(address: string): AddressClass {
  const v4 = embeddedIpv4(address);
  if (v4) return classifyAddress(v4);
  const family = isIP(address);
  if (family === 0) return 'blocked';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (blocked.check(address, type)) return 'blocked';
  if (privateRanges.check(address, type)) return 'private';
  return 'public';
}

/**
 * The IPv4 address inside an IPv4-mapped or IPv4-compatible IPv6 address
 * (::ffff:169.254.169.254, ::ffff:a9fe:a9fe), which connect to the IPv4 host.
 */
function embeddedIpv4(address: string): string | undefined {
  if (isIP(address) !== 6) return undefined;
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return undefined;
  const high = parseInt(hex[1], 16);
  const low = parseInt(hex[2], 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/** Strips the brackets WHATWG URL keeps around IPv6 host names. */
export function bareHostname(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}
