import { isIP } from 'node:net';

/** The 16 bytes of an IPv6 address, zone id dropped; undefined for anything else. */
export function ipv6Bytes(address: string): Uint8Array | undefined {
  const text = address.split('%')[0];
  if (isIP(text) !== 6) return undefined;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  const hex = dotted ? `${text.slice(0, dotted.index)}${hexPair(Number(dotted[1]), Number(dotted[2]))}:${hexPair(Number(dotted[3]), Number(dotted[4]))}` : text;
  const [left, right] = hex.split('::');
  const head = left ? left.split(':') : [];
  const tail = right ? right.split(':') : [];
  const groups = right === undefined ? head : [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    const value = parseInt(group, 16);
    bytes[2 * i] = value >> 8;
    bytes[2 * i + 1] = value & 255;
  });
  return bytes;
}

function hexPair(high: number, low: number): string {
  return ((high << 8) | low).toString(16);
}

/**
 * Every IPv4 address an IPv6 address may carry to an IPv4 host, by the transition mechanisms
 * that embed one. Several candidates when the layout is ambiguous: the caller judges them all.
 */
export function embeddedIpv4s(bytes: Uint8Array): string[] {
  const at = (...offsets: number[]): string => offsets.map((offset) => bytes[offset]).join('.');
  const found: string[] = [];
  // ::/64 holds only the unspecified and loopback addresses and the forms that end in an IPv4
  // address: IPv4-compatible ::a.b.c.d and IPv4-mapped ::ffff:a.b.c.d (RFC 4291 section 2.5.5),
  // IPv4-translated ::ffff:0:a.b.c.d (RFC 6145).
  if (startsWith(bytes, [0, 0, 0, 0, 0, 0, 0, 0])) found.push(at(12, 13, 14, 15));
  // NAT64 well-known prefix 64:ff9b::/96 (RFC 6052 section 2.1).
  if (startsWith(bytes, [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0])) found.push(at(12, 13, 14, 15));
  // NAT64 local-use prefix 64:ff9b:1::/48 (RFC 8215), which a network may cut into /48, /56, /64 or
  // /96 prefixes; the IPv4 address then sits where RFC 6052 section 2.2 puts it for that length,
  // skipping bits 64-71.
  if (startsWith(bytes, [0, 0x64, 0xff, 0x9b, 0, 1])) {
    found.push(at(6, 7, 9, 10), at(7, 9, 10, 11), at(9, 10, 11, 12), at(12, 13, 14, 15));
  }
  // 6to4 2002:a.b.c.d::/48 (RFC 3056 section 2).
  if (startsWith(bytes, [0x20, 0x02])) found.push(at(2, 3, 4, 5));
  // Teredo 2001::/32 (RFC 4380 section 4): the server's IPv4 address in bits 32-63, the client's
  // in the last 32 bits, each bit inverted.
  if (startsWith(bytes, [0x20, 0x01, 0, 0])) {
    found.push(at(4, 5, 6, 7), [12, 13, 14, 15].map((offset) => bytes[offset] ^ 0xff).join('.'));
  }
  // ISATAP interface identifiers ::0:5efe:a.b.c.d and ::200:5efe:a.b.c.d under any prefix (RFC 5214 section 6.1).
  if ((bytes[8] === 0 || bytes[8] === 2) && bytes[9] === 0 && bytes[10] === 0x5e && bytes[11] === 0xfe) {
    found.push(at(12, 13, 14, 15));
  }
  return found;
}

/**
 * One spelling per socket destination: IPv4-mapped addresses connect to their IPv4 host
 * (RFC 4291 section 2.5.5.2), and IPv6 text has many spellings of one address.
 */
export function canonicalAddress(address: string): string {
  const bytes = ipv6Bytes(address);
  if (!bytes) return address;
  if (startsWith(bytes, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff])) return [...bytes.subarray(12)].join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  return groups.join(':');
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((value, i) => bytes[i] === value);
}
