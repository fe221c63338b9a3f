import { writeSync } from 'node:fs';

/**
 * Writes one JSON document to stdout with a large array in the middle streamed
 * item by item (already-serialized JSON strings), so a million results never sit
 * in memory as one string.
 */
export function writeJsonDocument(head: Record<string, unknown>, arrayKey: string, items: Iterable<string>, tail: Record<string, unknown>): void {
  const open = JSON.stringify(head).slice(0, -1);
  let buffer = `${open}${open.length > 1 ? ',' : ''}${JSON.stringify(arrayKey)}:[`;
  let first = true;
  for (const item of items) {
    buffer += first ? item : `,${item}`;
    first = false;
    if (buffer.length > 1 << 16) {
      writeAll(buffer);
      buffer = '';
    }
  }
  const rest = JSON.stringify(tail).slice(1);
  buffer += rest.length > 1 ? `],${rest}` : ']}';
  writeAll(`${buffer}\n`);
}

function writeAll(text: string): void {
  const data = Buffer.from(text);
  for (let offset = 0; offset < data.length; ) {
    try {
      offset += writeSync(1, data, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}
