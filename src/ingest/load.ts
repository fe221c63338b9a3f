import type { Db } from '../store/catalog.js';
import { countLoad, createBronzeWriter, finishLoad, startLoad, type BronzeInput } from '../store/bronze.js';
import { UserError } from '../errors.js';
import type { Encoding } from './decode.js';
import { foldFields } from './fold.js';
import { findColumn, ID_COLUMNS, TITLE_COLUMNS } from './columns.js';
import { openSource } from './source.js';
import type { Format, HeaderRename, RawItem, RowError } from './types.js';

const BATCH_SIZE = 5000;
const SHOWN_RENAMES = 5;

export interface LoadOptions {
  format?: Format;
  encoding?: Encoding;
  delimiter?: string;
  idColumn?: string;
  /** Source columns the mapping sends to id and title, when the user gave a mapping. */
  mappedId?: string;
  mappedTitle?: string;
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
 * Bronze ingest: streams each file, folds consecutive rows that share an id,
 * checks id and title, and upserts in batches of BATCH_SIZE, one transaction each.
 */
export async function loadFiles(db: Db, files: string[], options: LoadOptions = {}): Promise<LoadSummary> {
  const now = options.now ?? Date.now;
  const started = now();
  const loadId = startLoad(db, files, started);
  const writer = createBronzeWriter(db, loadId, foldFields);
  const errors: LoadError[] = [];
  const warnings: LoadWarning[] = [];
  let rows = 0;
  if (options.strict) db.exec('BEGIN IMMEDIATE');
  try {
    for (const file of files) {
      const reject = (error: RowError) => {
        errors.push({ file, line: error.line, code: error.code, reason: error.reason });
        options.onReject?.(file, error);
      };
      const write = (batch: BronzeInput[], at: number) => {
        for (const record of writer.write(batch, at)) {
          reject({ kind: 'error', line: record.line, code: 'no_title', reason: record.incomplete!, fields: record.fields });
        }
      };
      rows += await loadOne(file, options, write, now, reject, warnings, () => options.onRows?.(rows));
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
  const counts = countLoad(db, loadId);
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

async function loadOne(
  file: string,
  options: LoadOptions,
  write: (batch: BronzeInput[], now: number) => void,
  now: () => number,
  reject: (error: RowError) => void,
  warnings: LoadWarning[],
  progress: () => void,
): Promise<number> {
  const source = await openSource(file, options);
  const name = file === '-' ? 'stdin' : file;
  let batch: BronzeInput[] = [];
  let open: BronzeInput | undefined;
  let columns: { id: string; title: string | undefined } | undefined;
  let rows = 0;
  const close = () => {
    if (!open) return;
    // Without a title the row can only join a product this load already holds (the writer decides).
    if (columns?.title === undefined || !open.fields[columns.title]?.trim()) {
      open.incomplete = columns?.title ? `no title (column '${columns.title}' is empty)` : 'no title column';
    }
    batch.push(open);
    open = undefined;
    if (batch.length >= BATCH_SIZE) {
      write(batch, now());
      batch = [];
      progress();
    }
  };
  const handle = (item: RawItem) => {
    if (item.kind === 'header') {
      if (item.renamed) {
        const shown = item.renamed.slice(0, SHOWN_RENAMES).map(describeRename).join('; ');
        const more = item.renamed.length > SHOWN_RENAMES ? `; and ${item.renamed.length - SHOWN_RENAMES} more` : '';
        warnings.push({ file: name, message: `header columns renamed so no value is lost: ${shown}${more}` });
      }
      return options.onHeader?.(name, item.columns);
    }
    rows++;
    if (item.kind === 'error') return reject(item);
    stripReserved(item.fields);
    columns ??= pickColumns(item.fields, options, name);
    const id = item.fields[columns.id]?.trim();
    if (!id) return reject({ kind: 'error', line: item.line, code: 'no_id', reason: `no id (column '${columns.id}' is empty)`, fields: item.fields });
    if (open?.id === id) {
      open.fields = foldFields(open.fields, item.fields);
      return;
    }
    close();
    open = { id, fields: item.fields, file: name, line: item.line };
  };
  try {
    for await (const item of source.items) handle(item);
  } finally {
    close();
    if (batch.length > 0) write(batch, now());
    progress();
  }
  if (source.decode.invalidSequences > 0) {
    warnings.push({
      file: name,
      message: `${source.decode.invalidSequences} byte sequence(s) are not valid ${source.decode.encoding} and were replaced with U+FFFD (first on line ${source.decode.firstInvalidLine}): if the file is Latin-1, load it again with --encoding latin1`,
    });
  }
  if (source.decode.nulBytes > 0) warnings.push({ file: name, message: `${source.decode.nulBytes} NUL byte(s) were removed (first on line ${source.decode.firstNulLine})` });
  return rows;
}

function describeRename(r: HeaderRename): string {
  return `column ${r.column} ${r.from ? `'${r.from}' (a repeated name)` : '(no name)'} is '${r.to}'`;
}

function pickColumns(fields: Record<string, string>, options: LoadOptions, file: string): { id: string; title: string | undefined } {
  const names = Object.keys(fields);
  const wanted = options.idColumn ?? options.mappedId;
  if (wanted && !names.includes(wanted)) {
    throw new UserError('id_column_missing', `${file}: no column '${wanted}' for the id: the columns are ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', ...' : ''}`);
  }
  const id = wanted ?? findColumn(names, ID_COLUMNS);
  if (!id) throw new UserError('no_id_column', `${file}: no id column found (looked for ${ID_COLUMNS.join(', ')}): name one with --id-column COL`);
  const title = options.mappedTitle && names.includes(options.mappedTitle) ? options.mappedTitle : findColumn(names, TITLE_COLUMNS);
  return { id, title };
}

/** Columns a --rejects file adds; dropped when that file is loaded again. */
export const RESERVED_PREFIX = '_assay_';

function stripReserved(fields: Record<string, string>): void {
  for (const key of Object.keys(fields)) if (key.startsWith(RESERVED_PREFIX)) delete fields[key];
}
