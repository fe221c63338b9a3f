import { writeSync } from 'node:fs';

/**
 * Writes one JSON document to stdout with a large array in the middle streamed
 * item by item (already-serialized JSON strings), so a million results never sit
 * in memory as one string.
 *
 * The writes are synchronous on purpose: the items come from a synchronous SQLite
 * cursor, and waiting on each write is what holds the reader's pace. Queued on
 * process.stdout, a slow reader would leave the whole document in memory.
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

/** Sleeps while a full pipe drains: briefly at first, so a fast reader loses little, longer while it stays full. */
const FIRST_WAIT_MS = 0.05;
const LONGEST_WAIT_MS = 16;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

function writeAll(text: string): void {
  const data = Buffer.from(text);
  let wait = FIRST_WAIT_MS;
  for (let offset = 0; offset < data.length; ) {
    try {
      offset += writeSync(1, data, offset);
      wait = FIRST_WAIT_MS;
    } catch (error) {
      // Node opens a piped stdout non-blocking, and nothing synchronous can wait for it to
      // drain; trying again at once would spin a core for as long as the reader lags.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(sleeper, 0, 0, wait);
      wait = Math.min(wait * 2, LONGEST_WAIT_MS);
    }
  }
}
