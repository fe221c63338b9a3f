import type { Db } from '../store/catalog.js';
import { createBronzeWriter, finishLoad, parseFields, startLoad, type BronzeInput } from '../store/bronze.js';
import { UserError } from '../errors.js';
import { readBatches, type ReadMessage, type ReadOptions } from './batches.js';
import { foldFields } from './fold.js';
import { describeRepeats, RepeatLog, resolveRepeat, type RepeatExample } from './repeats.js';
import { unpack } from './packed-batch.js';
import { canReadInWorker, readInWorker } from './read-in-worker.js';
import type { RowError } from './types.js';

export { RESERVED_PREFIX } from './batches.js';

export interface LoadOptions extends ReadOptions {
  strict?: boolean;
  onRows?: (rows: number) => void;
  onReject?: (file: string, error: RowError) => void;
  onHeader?: (file: string, columns: string[]) => void;
  now?: () => number;
}

export interface LoadError {
  file: string;
  line: number;
  code: string;
  reason: string;
}

export interface LoadWarning {
  file: string;
  message: string;
}

export interface LoadSummary {
  files: string[];
  total: number;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: LoadError[];
  warnings: LoadWarning[];
  duration_ms: number;
}

/**
 * Bronze ingest: reads each file into batches of products (in a worker thread when
 * the compiled worker is there, so parsing overlaps with writing) and upserts each
 * batch in one transaction.
 */
export async function loadFiles(db: Db, files: string[], options: LoadOptions = {}): Promise<LoadSummary> {
  const now = options.now ?? Date.now;
  const started = now();
  const loadId = startLoad(db, files, started);
  const policy = options.onRepeat ?? 'fold';
  // Records this load wrote under an id before (not continuation rows) are repeats: counted per file.
  let fileRepeats = new RepeatLog();
  const refused = new WeakSet<BronzeInput>();
  const writer = createBronzeWriter(db, loadId, foldFields, (base, next, record) => {
    fileRepeats.add(record.id, record.line);
    const kept = resolveRepeat(policy, base, next, foldFields);
    if (kept === undefined) refused.add(record);
    return kept;
  });
  const errors: LoadError[] = [];
  const warnings: LoadWarning[] = [];
  let rows = 0;
  if (options.strict) db.exec('BEGIN IMMEDIATE');
  try {
    for (const file of files) {
      const name = file === '-' ? 'stdin' : file;
      const reject = (error: RowError) => {
        errors.push({ file, line: error.line, code: error.code, reason: error.reason });
        options.onReject?.(file, error);
      };
      const write = (batch: BronzeInput[], at: number) => {
        for (const record of writer.write(batch, at)) {
          const fields = parseFields(record.json);
          if (refused.has(record)) reject({ kind: 'error', line: record.line, code: 'repeated_id', reason: `id '${record.id}' repeats a record read before`, fields });
          else reject({ kind: 'error', line: record.line, code: 'no_title', reason: record.incomplete!, fields });
        }
      };
      fileRepeats = new RepeatLog();
      let readerRepeats: { count: number; examples: RepeatExample[] } = { count: 0, examples: [] };
      for await (const message of read(file, options)) {
        if (message.kind === 'header') options.onHeader?.(name, message.columns);
        else if (message.kind === 'warning') warnings.push({ file: name, message: message.message });
        else if (message.kind === 'repeats') readerRepeats = message;
        else if (message.kind === 'batch') {
          message.errors.forEach(reject);
          if (message.lines.length > 0) write(unpack(message), now());
          options.onRows?.(rows + message.rows);
        } else rows += message.rows;
      }
      const count = readerRepeats.count + fileRepeats.count;
      if (count > 0) {
        const examples = [...readerRepeats.examples, ...fileRepeats.examples].sort((a, b) => a.line - b.line).slice(0, 5);
        warnings.push({ file: name, message: describeRepeats(count, examples, policy) });
      }
    }
    if (options.strict) {
      if (errors.length > 0) {
        db.exec('ROLLBACK');
        throw new UserError('strict_load_failed', `--strict: ${errors.length} row error(s), nothing was loaded (first: ${errors[0].file} line ${errors[0].line}: ${errors[0].reason})`);
      }
      db.exec('COMMIT');
    }
  } catch (error) {
    if (options.strict && db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
  // Rows without a title are judged when their batch is written, so errors can come out of line order.
  errors.sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file) || a.line - b.line);
  const counts = writer.counts();
  const summary: LoadSummary = {
    files,
    total: counts.created + counts.updated + counts.unchanged,
    rows,
    ...counts,
    errors,
    warnings,
    duration_ms: now() - started,
  };
  finishLoad(db, loadId, { ...summary, errors: errors.length }, now());
  return summary;
}

/** Stdin stays in this thread: a worker has no stdin of its own. */
function read(file: string, options: LoadOptions): AsyncIterable<ReadMessage> {
  const { format, encoding, delimiter, idColumn, mappedId, mappedTitle, onRepeat } = options;
  const plain: ReadOptions = { format, encoding, delimiter, idColumn, mappedId, mappedTitle, onRepeat };
  return file !== '-' && canReadInWorker() ? readInWorker(file, plain) : readHere(file, plain);
}

/** Reads in this thread, handing each batch's buffer back for the next once the batch is written. */
async function* readHere(file: string, options: ReadOptions): AsyncGenerator<ReadMessage> {
  const spares: ArrayBuffer[] = [];
  for await (const message of readBatches(file, options, spares)) {
    yield message;
    if (message.kind === 'batch') spares.push(message.bytes.buffer as ArrayBuffer);
  }
}
