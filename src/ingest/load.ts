import type { Db } from '../store/catalog.js';
import { DEFAULT_MAX_DOWNLOAD_MB } from './limits.js';
import { createBronzeWriter, finishLoad, parseFields, startLoad, type BronzeInput } from '../store/bronze.js';
import { UserError } from '../errors.js';
import { readBatches, type ReadMessage, type ReadOptions } from './batches.js';
import { NO_TITLE_COLUMN, TITLE_COLUMNS } from './columns.js';
import { foldFields } from './fold.js';
import { DEFAULT_REPEAT_POLICY, describeRepeats, RepeatLog, resolveRepeat, type RepeatExample } from './repeats.js';
import { unpack } from './packed-batch.js';
import { canReadInWorker, readInWorker } from './read-in-worker.js';
import { planPieces } from './piece-plan.js';
import { readInPieces, type RecordBatch } from './read-pieces.js';
import type { RowError } from './types.js';
import { beginFeedLoad, endFeedLoad, readFeedValidators, saveFeedValidators, undoFeedLoad } from '../store/feeds.js';
import { isUrl, openDownload, type DownloadOptions, type Validators } from '../urls/download.js';
import { saveLoadMark, type LoadMark } from '../store/load-mark.js';
import { canMark, findSameLoad, isSameState, markFiles, readingOf, statFiles } from './reuse.js';

export interface LoadOptions extends ReadOptions {
  strict?: boolean;
  onRows?: (rows: number) => void;
  onReject?: (file: string, error: RowError) => void;
  onHeader?: (file: string, columns: string[]) => void;
  now?: () => number;
  /**
   * Files whose bytes are the same as at the last load, read the same way into a catalog nobody
   * wrote since, are not read again (default true). Off when the rejected rows must be written out.
   */
  reuse?: boolean;
  /** How feeds named by URL are downloaded. */
  download?: Pick<DownloadOptions, 'allowPrivateHosts' | 'timeoutMs' | 'maxBytes' | 'lookup'>;
}

export const DEFAULT_DOWNLOAD = { allowPrivateHosts: false, timeoutMs: 60_000, maxBytes: DEFAULT_MAX_DOWNLOAD_MB * 1024 * 1024 };

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
  /**
   * Set when the files were not read: they hold the same bytes as at the load that finished at
   * this time (ISO 8601), read the same way, and the catalog has not changed since; the rest of
   * the summary is that load's, with every product unchanged.
   */
  notReadSince?: string;
}

/**
 * Bronze ingest: reads each file into batches of products (in a worker thread when
 * the compiled worker is there, so parsing overlaps with writing) and upserts each
 * batch in one transaction.
 */
export async function loadFiles(db: Db, files: string[], options: LoadOptions = {}): Promise<LoadSummary> {
  const now = options.now ?? Date.now;
  const started = now();
  const reading = readingOf(options);
  const states = canMark(files) ? await statFiles(files) : undefined;
  const same = states && options.reuse !== false ? await findSameLoad(db, states, reading) : {};
  if (same.mark) return reusedSummary(files, same.mark, now() - started);
  // Hashed while the load runs (between batches), and kept only if size and time show no change meanwhile.
  const marking = states ? markFiles(states, same.hashes).catch(() => undefined) : undefined;
  const loadId = startLoad(db, files, started);
  const policy = options.onRepeat ?? DEFAULT_REPEAT_POLICY;
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
      let header: string[] = [];
      // A file with no title column fails every new row for one reason: one error for the file, not one per row.
      let noTitleColumn = 0;
      const reject = (error: RowError) => {
        options.onReject?.(file, error);
        if (error.code === 'no_title' && error.reason === NO_TITLE_COLUMN) {
          if (noTitleColumn++ > 0) return;
        }
        errors.push({ file, line: error.line, code: error.code, reason: error.reason });
      };
      const write = (batch: BronzeInput[], at: number) => {
        for (const record of writer.write(batch, at)) {
          const fields = parseFields(record.json);
          if (refused.has(record))
            reject({ kind: 'error', line: record.line, code: 'repeated_id', reason: `id '${record.id}' repeats a record read before`, fields });
          else reject({ kind: 'error', line: record.line, code: 'no_title', reason: record.incomplete!, fields });
        }
      };
      fileRepeats = new RepeatLog();
      let readerRepeats: { count: number; examples: RepeatExample[] } = { count: 0, examples: [] };
      const fetched = isUrl(file) ? await download(db, file, options, warnings, now) : { messages: read(file, options), validators: undefined };
      if (!fetched) continue;
      const { messages, validators } = fetched;
      // A feed at a URL loads whole or not at all: a download that breaks off takes back what it wrote.
      const savepoint = isUrl(file) && !options.strict;
      if (savepoint) beginFeedLoad(db);
      try {
        for await (const message of messages) {
          if (message.kind === 'header') {
            header = message.columns;
            options.onHeader?.(name, message.columns);
          } else if (message.kind === 'warning') warnings.push({ file: name, message: message.message });
          else if (message.kind === 'repeats') readerRepeats = message;
          else if (message.kind === 'batch' || message.kind === 'records') {
            message.errors.forEach(reject);
            const records = message.kind === 'batch' ? unpack(message) : message.records;
            if (records.length > 0) write(records, now());
            options.onRows?.(rows + message.rows);
          } else rows += message.rows;
        }
      } catch (error) {
        if (savepoint && (error as { code?: string }).code?.startsWith('download_')) undoFeedLoad(db);
        throw error;
      } finally {
        if (savepoint) endFeedLoad(db);
      }
      if (validators) saveFeedValidators(db, file, { ...validators, loadedAt: now() });
      if (noTitleColumn > 0) {
        const at = errors.findIndex((e) => e.file === file && e.reason === NO_TITLE_COLUMN);
        errors[at] = { file, line: errors[at].line, code: 'no_title_column', reason: noTitleColumnReason(noTitleColumn, header) };
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
        throw new UserError(
          'strict_load_failed',
          `--strict: ${errors.length} row error(s), nothing was loaded (first: ${errors[0].file} line ${errors[0].line}: ${errors[0].reason})`,
        );
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
  const version = writer.versionLeft();
  if (states && version !== undefined && errors.length <= MARKED_ERRORS) {
    const files = await marking;
    const after = await statFiles(states.map((s) => s.file));
    if (files && after && isSameState(states, after)) {
      const { rows, total } = summary;
      saveLoadMark(db, { version, reading, files, finishedAt: now(), rows, total, errors, warnings });
    }
  }
  return summary;
}

/** A load with more row errors than this is not marked: its summary would be too large to keep. */
const MARKED_ERRORS = 100_000;

/** What loading the files of `mark` again would report, told without reading them. */
function reusedSummary(files: string[], mark: LoadMark, duration: number): LoadSummary {
  return {
    files,
    total: mark.total,
    rows: mark.rows,
    created: 0,
    updated: 0,
    unchanged: mark.total,
    errors: mark.errors,
    warnings: mark.warnings,
    duration_ms: duration,
    notReadSince: new Date(mark.finishedAt).toISOString(),
  };
}

function noTitleColumnReason(rows: number, header: string[]): string {
  const shown = header
    .slice(0, 12)
    .map((c) => `'${c}'`)
    .join(', ');
  return (
    `${rows} row${rows === 1 ? '' : 's'} not loaded: the file has no title column (looked for ${TITLE_COLUMNS.slice(0, 4).join(', ')}, ...; ` +
    `found ${shown}${header.length > 12 ? ', ...' : ''}); rename the title column or map it with --mapping ` +
    `'[{"sourceField": "COLUMN", "targetField": "title"}]'`
  );
}

/**
 * Downloads a feed into this thread's reader, asking the server only for a changed feed when
 * an earlier load saw its ETag or Last-Modified; undefined (and a warning) when it has not changed.
 */
async function download(
  db: Db,
  url: string,
  options: LoadOptions,
  warnings: LoadWarning[],
  now: () => number,
): Promise<{ messages: AsyncIterable<ReadMessage | RecordBatch>; validators: Validators } | undefined> {
  const known = readFeedValidators(db, url);
  const got = await openDownload(url, { ...DEFAULT_DOWNLOAD, ...options.download, validators: known });
  if (got.kind === 'unchanged') {
    const since = known?.lastModified ?? new Date(known?.loadedAt ?? now()).toUTCString();
    warnings.push({ file: url, message: `unchanged since ${since} (the server answered 304 Not Modified): nothing to load` });
    return undefined;
  }
  const { format, encoding, delimiter, sheet, idColumn, mappedId, mappedTitle, maxFieldBytes, onRepeat } = options;
  return {
    messages: readHere(url, { format, encoding, delimiter, sheet, idColumn, mappedId, mappedTitle, maxFieldBytes, onRepeat, bytes: got.body }),
    validators: got.validators,
  };
}

/** Stdin stays in this thread: a worker has no stdin of its own. A large CSV file is read by several. */
function read(file: string, options: LoadOptions): AsyncIterable<ReadMessage | RecordBatch> {
  const { format, encoding, delimiter, sheet, idColumn, mappedId, mappedTitle, maxFieldBytes, onRepeat } = options;
  const plain: ReadOptions = { format, encoding, delimiter, sheet, idColumn, mappedId, mappedTitle, maxFieldBytes, onRepeat };
  if (file === '-' || !canReadInWorker()) return readHere(file, plain);
  const plan = planPieces(file, plain);
  return plan ? readInPieces(file, plain, plan) : readInWorker(file, plain);
}

/** Reads in this thread, handing each batch's buffer back for the next once the batch is written. */
async function* readHere(file: string, options: ReadOptions): AsyncGenerator<ReadMessage> {
  const spares: ArrayBuffer[] = [];
  for await (const message of readBatches(file, options, spares)) {
    yield message;
    if (message.kind === 'batch') spares.push(message.bytes.buffer as ArrayBuffer);
  }
}
