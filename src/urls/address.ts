import { BlockList, isIP } from 'node:net';
import { embeddedIpv4s, ipv6Bytes } from './ipv6.js';

/** `blocked`: never fetched. `private`: fetched only with allowPrivateHosts. */
export type AddressClass = 'public' | 'private' | 'blocked';

/** Link-local ranges and cloud metadata services, refused even when private hosts are allowed. */
const blocked = new BlockList();
// IPv4 link-local (RFC 3927). It holds the metadata service of AWS, GCP, Azure, Oracle Cloud
// Infrastructure, DigitalOcean and OpenStack at 169.254.169.254 (each provider's instance metadata
// documentation) and AWS's ECS task metadata at 169.254.170.2.
blocked.addSubnet('169.254.0.0', 16, 'ipv4');
// Alibaba Cloud ECS instance metadata (Alibaba Cloud docs, "Instance metadata").
blocked.addAddress('100.100.100.200', 'ipv4');
// Azure WireServer, the host's agent endpoint (Azure docs, "What is IP address 168.63.129.16?").
blocked.addAddress('168.63.129.16', 'ipv4');
// IPv6 link-local (RFC 4291 section 2.5.6).
blocked.addSubnet('fe80::', 10, 'ipv6');
// AWS instance metadata over IPv6 (EC2 docs, "Access instance metadata", IPv6 endpoint).
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
  ['fec0::', 10],
  // NAT64 local-use prefix (RFC 8215): not globally reachable.
  ['64:ff9b:1::', 48],
  ['ff00::', 8],
] as const) {
  privateRanges.addSubnet(net, prefix, 'ipv6');
}

const BLOCKED_NAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata']);

/** Host names refused before any lookup. */
export function isBlockedHostname(hostname: string): boolean {
  return BLOCKED_NAMES.has(hostname.toLowerCase().replace(/\.$/, ''));
}

const SEVERITY: Record<AddressClass, number> = { public: 0, private: 1, blocked: 2 };

/**
 * The class of an address; for IPv6, the most severe of its own and that of every IPv4 address
 * it embeds, so that no IPv6 spelling reaches an IPv4 host the IPv4 address itself may not.
 */
export function classifyAddress(address: string): AddressClass {
  const family = isIP(address);
  if (family === 4) return classifyOne(address, 'ipv4');
  const bytes = ipv6Bytes(address);
  if (!bytes) return 'blocked';
  const own = classifyOne(address.split('%')[0], 'ipv6');
  const classes = [own, ...embeddedIpv4s(bytes).map((v4) => classifyOne(v4, 'ipv4'))];
  return classes.reduce((worst, kind) => (SEVERITY[kind] > SEVERITY[worst] ? kind : worst));
}

function classifyOne(address: string, type: 'ipv4' | 'ipv6'): AddressClass {
  if (blocked.check(address, type)) return 'blocked';
  if (privateRanges.check(address, type)) return 'private';
  return 'public';
}

/** Strips the brackets WHATWG URL keeps around IPv6 host names. */
export function bareHostname(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}
