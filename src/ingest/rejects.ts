import { createWriteStream, type WriteStream } from 'node:fs';
import type { RowError } from './types.js';
import { RESERVED_PREFIX } from './batches.js';

const LINE = `${RESERVED_PREFIX}line`;
const REASON = `${RESERVED_PREFIX}reason`;
const FILE = `${RESERVED_PREFIX}file`;

function csvCell(value: string, delimiter: string): string {
  return /["\n\r]/.test(value) || value.includes(delimiter) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Writes rejected rows as they were, plus file, line and reason columns, so they can
 * be fixed and loaded again (assay drops the `_assay_` columns on load). Delimited
 * sources give a delimited rejects file; JSON sources give JSON Lines.
 */
export function createRejectsWriter(path: string, kind: 'csv' | 'jsonl', delimiter = ',') {
  let out: WriteStream | undefined;
  let header: string[] | undefined;
  const stream = () => (out ??= createWriteStream(path));

  return {
    header(columns: string[]) {
      if (kind !== 'csv' || header) return;
      header = columns;
      stream().write([...columns, FILE, LINE, REASON].map((c) => csvCell(c, delimiter)).join(delimiter) + '\n');
    },
    write(file: string, error: RowError) {
      if (kind === 'jsonl') {
        const record = error.fields ?? { [`${RESERVED_PREFIX}raw`]: error.raw ?? '' };
        stream().write(JSON.stringify({ ...record, [FILE]: file, [LINE]: error.line, [REASON]: error.reason }) + '\n');
        return;
      }
      const row = error.fields && header ? header.map((c) => csvCell(error.fields![c] ?? '', delimiter)).join(delimiter) : (error.raw ?? '');
      stream().write([row, csvCell(file, delimiter), String(error.line), csvCell(error.reason, delimiter)].join(delimiter) + '\n');
    },
    async close(): Promise<void> {
      if (!out) return;
      const s = out;
      await new Promise<void>((resolve, reject) => s.end((err?: Error | null) => (err ? reject(err) : resolve())));
    },
  };
}
