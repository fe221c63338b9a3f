/**
 * Finds the byte sequences that are not valid UTF-8, as the WHATWG decoder replaces them (one
 * U+FFFD per maximal invalid subpart). Decoded text cannot tell such a replacement from a literal
 * U+FFFD that a valid file holds (bytes EF BF BD), so this reads the bytes themselves; it runs only
 * on chunks whose text holds U+FFFD.
 */
export interface Utf8Scan {
  invalid: number;
  /** Line breaks before the first invalid sequence, when there is one. */
  linesBefore?: number;
  /** Invalid sequences that are one byte Windows-1252 reads as a character (`é` is E9), as Latin-1 text has them. */
  latin1Like: number;
}

// Windows-1252 leaves these bytes undefined: text in that encoding never holds them.
const UNDEFINED_IN_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/** Scans `bytes` (which must start at a character boundary); a sequence cut off at the end counts only when `final`. */
export function scanUtf8(bytes: Uint8Array, final: boolean): Utf8Scan {
  const scan: Utf8Scan = { invalid: 0, latin1Like: 0 };
  let lines = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) lines++;
      i++;
      continue;
    }
    const [need, low, high] = expected(b);
    let taken = 1;
    let ok = need > 0;
    for (let k = 0; ok && k < need; k++) {
      const next = bytes[i + 1 + k];
      if (next === undefined) {
        if (!final) return scan;
        ok = false;
        break;
      }
      const min = k === 0 ? low : 0x80;
      const max = k === 0 ? high : 0xbf;
      if (next < min || next > max) ok = false;
      else taken++;
    }
    if (!ok) {
      scan.invalid++;
      scan.linesBefore ??= lines;
      if (taken === 1 && !UNDEFINED_IN_1252.has(b)) scan.latin1Like++;
    }
    i += taken;
  }
  return scan;
}

/** Continuation bytes a lead byte needs, and the range of the first one (RFC 3629's table). */
function expected(lead: number): [number, number, number] {
  if (lead >= 0xc2 && lead <= 0xdf) return [1, 0x80, 0xbf];
  if (lead === 0xe0) return [2, 0xa0, 0xbf];
  if (lead === 0xed) return [2, 0x80, 0x9f];
  if (lead >= 0xe1 && lead <= 0xef) return [2, 0x80, 0xbf];
  if (lead === 0xf0) return [3, 0x90, 0xbf];
  if (lead >= 0xf1 && lead <= 0xf3) return [3, 0x80, 0xbf];
  if (lead === 0xf4) return [3, 0x80, 0x8f];
  return [0, 0, 0];
}

/** The bytes at the end of a chunk that start a sequence the next chunk completes (at most 3). */
export function incompleteTail(bytes: Uint8Array): Uint8Array {
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const b = bytes[bytes.length - back];
    if (b < 0x80) return bytes.subarray(bytes.length);
    if (b >= 0xc0) {
      const [need] = expected(b);
      return need >= back ? bytes.subarray(bytes.length - back) : bytes.subarray(bytes.length);
    }
  }
  return bytes.subarray(bytes.length);
}
