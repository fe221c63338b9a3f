import { UserError } from '../errors.js';
import type { Encoding } from './decode.js';
import { foldFields } from './fold.js';
import { DEFAULT_REPEAT_POLICY, RepeatLog, resolveRepeat, type RepeatExample, type RepeatPolicy } from './repeats.js';
import { findColumn, ID_COLUMNS, NO_TITLE_COLUMN, TITLE_COLUMNS } from './columns.js';
import { isObjectAt, objectIdKey, objectIdReason } from './json-id.js';
import { BatchBuilder, type PackedBatch } from './packed-batch.js';
import { openSource } from './source.js';
import type { Format, HeaderRename, RawItem } from './types.js';

const BATCH_SIZE = 5000;
const SHOWN_RENAMES = 5;

/** What reading one file needs: plain data, so that it can be handed to a worker thread. */
export interface ReadOptions {
  format?: Format;
  encoding?: Encoding;
  delimiter?: string;
  sheet?: string;
  idColumn?: string;
  /** Source columns the mapping sends to id and title, when the user gave a mapping. */
  mappedId?: string;
  mappedTitle?: string;
  /** The largest row, line or element read, in bytes. */
  maxFieldBytes?: number;
  /** Bytes already open (a download): read in the thread that holds them, never handed to a worker. */
  bytes?: AsyncIterable<Uint8Array>;
  /** A repeated id that is not a continuation row: fold (default), first, last or error. */
  onRepeat?: RepeatPolicy;
}

/** What reading a file hands to the writer, in file order. */
export type ReadMessage =
  | { kind: 'header'; columns: string[] }
  | { kind: 'warning'; message: string }
  | { kind: 'repeats'; count: number; examples: RepeatExample[] }
  | PackedBatch
  | { kind: 'end'; rows: number };

/**
 * Reads one file into batches of bronze records: folds consecutive rows that share
 * an id, checks id and title, and serializes each product once it is complete.
 * `spares` takes back the buffers of written batches.
 */
export async function* readBatches(file: string, options: ReadOptions, spares: ArrayBuffer[] = []): AsyncGenerator<ReadMessage> {
  const source = await openSource(file, options);
  const name = file === '-' ? 'stdin' : file;
  const batch = new BatchBuilder(name, spares);
  let open: { id: string; fields: Record<string, string>; line: number; column?: number } | undefined;
  let columns: { id: string; title: string | undefined } | undefined;
  let reserved: boolean | undefined;
  let noIdColumn: unknown;
  let rows = 0;
  const policy = options.onRepeat ?? DEFAULT_REPEAT_POLICY;
  const repeats = new RepeatLog();
  const keyRenames: { line: number; from: string; to: string }[] = [];
  let keyRenameCount = 0;
  const out: ReadMessage[] = [];
  const close = () => {
    if (!open) return;
    // Without a title the row can only join a product this load already holds (the writer decides).
    const incomplete =
      columns?.title === undefined || !open.fields[columns.title]?.trim()
        ? columns?.title
          ? `no title (column '${columns.title}' is empty)${at(open.column)}`
          : NO_TITLE_COLUMN
        : undefined;
    batch.add(open.id, JSON.stringify(open.fields), open.line, incomplete);
    open = undefined;
  };
  const flush = () => out.push(batch.take(rows));
  const handle = (item: RawItem): void => {
    if (item.kind === 'warning') {
      out.push(item);
      return;
    }
    if (item.kind === 'header') {
      reserved = item.columns.some(isReserved);
      // The header alone says whether there is an id column: a file of no records is refused as one of many.
      columns = pickColumns(
        item.columns.filter((c) => !isReserved(c)),
        options,
        name,
      );
      if (item.renamed) out.push({ kind: 'warning', message: describeRenames(item.renamed) });
      out.push({ kind: 'header', columns: item.columns });
      return;
    }
    rows++;
    if (item.kind === 'error') {
      batch.errors.push(item);
      return;
    }
    // A delimited file's header says once whether any column is reserved; JSON records each have their own keys.
    if (reserved !== false) stripReserved(item.fields);
    if (item.renamed) {
      keyRenameCount += item.renamed.length;
      for (const r of item.renamed) if (keyRenames.length < SHOWN_RENAMES) keyRenames.push({ line: item.line, ...r });
    }
    if (!columns) {
      try {
        columns = pickColumns(Object.keys(item.fields), options, name);
      } catch (error) {
        const wanted = options.idColumn ?? options.mappedId;
        const objectId = item.json && objectIdKey(item.json, wanted);
        if (objectId) {
          batch.errors.push({ kind: 'error', line: item.line, code: 'id_is_object', reason: objectIdReason(objectId), fields: item.fields });
          return;
        }
        // JSON records carry their own keys: one without an id key is a row error; the file fails only if none has one.
        noIdColumn ??= error;
        const reason = wanted ? `no '${wanted}' key in this record` : `no id key in this record (looked for ${ID_COLUMNS.join(', ')})`;
        batch.errors.push({ kind: 'error', line: item.line, code: 'no_id', reason: reason + at(item.column), fields: item.fields });
        return;
      }
    }
    const id = item.fields[columns.id]?.trim();
    // A JSON id given as an object was flattened into other columns: say so rather than 'empty'.
    if (!id && item.json && isObjectAt(item.json, columns.id)) {
      batch.errors.push({ kind: 'error', line: item.line, code: 'id_is_object', reason: objectIdReason(columns.id), fields: item.fields });
      return;
    }
    if (!id) {
      batch.errors.push({
        kind: 'error',
        line: item.line,
        code: 'no_id',
        reason: `no id (column '${columns.id}' is empty)${at(item.column)}`,
        fields: item.fields,
      });
      return;
    }
    if (open?.id === id) {
      // A row with a title is a record of its own, not a continuation (variant, extra image) of the one before.
      if (columns.title !== undefined && item.fields[columns.title]?.trim()) {
        repeats.add(id, item.line);
        const kept = resolveRepeat(policy, open.fields, item.fields, foldFields);
        if (kept === undefined)
          batch.errors.push({ kind: 'error', line: item.line, code: 'repeated_id', reason: `id '${id}' repeats line ${open.line}`, fields: item.fields });
        else open.fields = kept;
        return;
      }
      open.fields = foldFields(open.fields, item.fields);
      return;
    }
    close();
    open = { id, fields: item.fields, line: item.line, column: item.column };
    if (batch.size >= BATCH_SIZE) flush();
  };
  let failed = false;
  let failure: unknown;
  try {
    for await (const item of source.items) {
      handle(item);
      if (out.length > 0) {
        yield* out;
        out.length = 0;
      }
    }
  } catch (error) {
    failed = true;
    failure = error;
  }
  // Rows read before a failure (a JSON array cut off mid-way) still load.
  close();
  if (batch.size > 0 || batch.errors.length > 0) flush();
  yield* out;
  if (failed) throw failure;
  if (!columns && noIdColumn) throw noIdColumn;
  if (repeats.count > 0) yield { kind: 'repeats', count: repeats.count, examples: repeats.examples };
  if (keyRenameCount > 0) yield { kind: 'warning', message: describeKeyRenames(keyRenames, keyRenameCount) };
  const decode = source.decode;
  if (decode.utf16AfterUtf8Bom) {
    const name = decode.encoding.toUpperCase().replace('LE', ' LE').replace('BE', ' BE');
    yield {
      kind: 'warning',
      message: `the file starts with a UTF-8 byte-order mark but holds ${name} text: it was read as ${name}; save it again as UTF-8 to silence this`,
    };
  }
  if (decode.invalidSequences > 0) {
    yield {
      kind: 'warning',
      message: `${decode.invalidSequences} byte sequence(s) are not valid ${decode.encoding} and were replaced with U+FFFD (first on line ${decode.firstInvalidLine})${latin1Hint(decode)}`,
    };
  }
  if (decode.nulBytes > 0) yield { kind: 'warning', message: `${decode.nulBytes} NUL byte(s) were removed (first on line ${decode.firstNulLine})` };
  yield { kind: 'end', rows };
}

/** Where on its line a record starts, for formats whose records do not start lines (a feed's items). */
function at(column: number | undefined): string {
  return column === undefined ? '' : ` (the item starts at column ${column})`;
}

// The advice to reload as Latin-1 is only given where the bad bytes read as Latin-1 text: following
// it on a UTF-8 file would turn every accented letter into two (`Vitória` → `VitÃ³ria`).
// A few stray sequences (a character cut in two by an earlier conversion) do not make a file any less Latin-1.
const LATIN1_SHARE = 0.8;

function latin1Hint(decode: { encoding: string; invalidSequences: number; latin1Like?: number }): string {
  if (decode.encoding !== 'utf-8') return '';
  const share = (decode.latin1Like ?? 0) / decode.invalidSequences;
  return share >= LATIN1_SHARE ? ': if the file is Latin-1, load it again with --encoding latin1' : ': the file is damaged or in another encoding';
}

function describeRenames(renamed: HeaderRename[]): string {
  const shown = renamed.slice(0, SHOWN_RENAMES).map(describeRename).join('; ');
  const more = renamed.length > SHOWN_RENAMES ? `; and ${renamed.length - SHOWN_RENAMES} more` : '';
  return `header columns renamed so no value is lost: ${shown}${more}`;
}

function describeKeyRenames(shown: { line: number; from: string; to: string }[], count: number): string {
  const listed = shown.map((r) => `line ${r.line} '${r.from}' is '${r.to}'`).join('; ');
  const more = count > shown.length ? `; and ${count - shown.length} more` : '';
  return `repeated keys renamed so no value is lost (a nested key counts under its dotted name): ${listed}${more}`;
}

function describeRename(r: HeaderRename): string {
  return `column ${r.column} ${r.from ? `'${r.from}' (a repeated name)` : '(no name)'} is '${r.to}'`;
}

function pickColumns(names: string[], options: ReadOptions, file: string): { id: string; title: string | undefined } {
  const wanted = options.idColumn ?? options.mappedId;
  if (wanted && !names.includes(wanted)) {
    throw new UserError(
      'id_column_missing',
      `${file}: no column '${wanted}' for the id: the columns are ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', ...' : ''}`,
    );
  }
  const id = wanted ?? findColumn(names, ID_COLUMNS);
  if (!id) {
    const found = `${names
      .slice(0, 12)
      .map((n) => `'${n}'`)
      .join(', ')}${names.length > 12 ? ', ...' : ''}`;
    throw new UserError('no_id_column', `${file}: no id column found (looked for ${ID_COLUMNS.join(', ')}; found ${found}): name one with --id-column COL`);
  }
  const title = options.mappedTitle && names.includes(options.mappedTitle) ? options.mappedTitle : findColumn(names, TITLE_COLUMNS);
  return { id, title };
}

/** Columns a --rejects file adds; dropped when that file is loaded again. */
export const RESERVED_PREFIX = '_assay_';

function isReserved(key: string): boolean {
  return key.startsWith(RESERVED_PREFIX);
}

function stripReserved(fields: Record<string, string>): void {
  for (const key of Object.keys(fields)) if (isReserved(key)) delete fields[key];
}
