import { accessSync, constants, createWriteStream, statSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { finished } from 'node:stream/promises';
import { neutralizeFormula, quoteCsv } from '../csv-cell.js';
import { ExitCode, UserError } from '../errors.js';
import { checkOutputs } from '../files/output-guard.js';
import { reasonFor } from '../files/write-errors.js';
import type { RowError } from './types.js';
import { RESERVED_PREFIX } from './product-folder.js';

const LINE = `${RESERVED_PREFIX}line`;
const REASON = `${RESERVED_PREFIX}reason`;
const FILE = `${RESERVED_PREFIX}file`;

/**
 * The rows' own cells are written as they were, only quoted, so a fixed file loads the same values
 * again; the file and reason columns are assay's (dropped on load), so formulas there are escaped too.
 */
const ownCell = (value: string, delimiter: string) => quoteCsv(neutralizeFormula(value), delimiter);

/**
 * Refuses a rejects path that would lose data or fail half-way: the catalog or one of the input
 * files (it would be overwritten while in use), a directory, or a folder that cannot be written.
 */
export function checkRejectsPath(path: string, inputs: string[], catalog: string): void {
  const target = statOf(path);
  if (target?.isDirectory()) throw new UserError('rejects_is_directory', `--rejects ${path} is a directory: name a file for the rejected rows`);
  checkOutputs([{ flag: '--rejects ', path }], { catalog, inputs });
  try {
    accessSync(target ? path : dirname(path), constants.W_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'its folder does not exist' : 'it cannot be written';
    throw new UserError('rejects_unwritable', `--rejects ${path}: ${reason}: name a file in a folder you can write to`);
  }
}

function statOf(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Writes rejected rows as they were, plus file, line and reason columns, so they can
 * be fixed and loaded again (assay drops the `_assay_` columns on load). Delimited
 * sources give a delimited rejects file; JSON sources give JSON Lines.
 */
export function createRejectsWriter(path: string, kind: 'csv' | 'jsonl', delimiter = ',') {
  let out: WriteStream | undefined;
  let failure: Error | undefined;
  let header: string[] | undefined;
  // A write that fails later (a full disk) is reported when the writer closes, not as an unhandled error.
  const stream = () => (out ??= createWriteStream(path).on('error', (error) => (failure ??= error)));

  return {
    header(columns: string[]) {
      if (kind !== 'csv' || header) return;
      header = columns;
      stream().write([...columns, FILE, LINE, REASON].map((c) => quoteCsv(c, delimiter)).join(delimiter) + '\n');
    },
    write(file: string, error: RowError) {
      if (kind === 'jsonl') {
        const record = error.fields ?? { [`${RESERVED_PREFIX}raw`]: error.raw ?? '' };
        stream().write(JSON.stringify({ ...record, [FILE]: file, [LINE]: error.line, [REASON]: error.reason }) + '\n');
        return;
      }
      const row = error.fields && header ? header.map((c) => quoteCsv(error.fields![c] ?? '', delimiter)).join(delimiter) : (error.raw ?? '');
      stream().write([row, ownCell(file, delimiter), String(error.line), ownCell(error.reason, delimiter)].join(delimiter) + '\n');
    },
    async close(): Promise<void> {
      if (out && !failure) {
        // The last write may fail only now, while the stream ends: wait for the outcome, not just for end().
        try {
          out.end();
          await finished(out);
        } catch (error) {
          failure ??= error as Error;
        }
      }
      // A full disk is an I/O failure (exit 3), as for exports; the good rows are in the catalog by now.
      if (failure)
        throw new UserError(
          'rejects_write_failed',
          `--rejects ${path}: the rejected rows could not be written: ${reasonFor(failure)} (${(failure as NodeJS.ErrnoException).code ?? failure.message}); the other rows are loaded`,
          ExitCode.failed,
        );
    },
  };
}
