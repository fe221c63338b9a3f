import { UserError } from '../errors.js';
import { findColumn, ID_COLUMNS, NO_TITLE_COLUMN, TITLE_COLUMNS } from './columns.js';
import { foldFields } from './fold.js';
import { isObjectAt, objectIdKey, objectIdReason } from './json-id.js';
import type { BatchBuilder } from './packed-batch.js';
import { DEFAULT_REPEAT_POLICY, RepeatLog, resolveRepeat, type RepeatPolicy } from './repeats.js';
import type { HeaderRename, RawItem, RawRecord, RowError } from './types.js';

/** A product whose rows are still being read: later rows with its id fold into it. */
export interface OpenProduct {
  id: string;
  fields: Record<string, string>;
  line: number;
  column?: number;
}

export interface Columns {
  id: string;
  title: string | undefined;
}

/** What folding needs to know of the load: plain data, so that it can be handed to a worker thread. */
export interface FoldOptions {
  idColumn?: string;
  mappedId?: string;
  mappedTitle?: string;
  onRepeat?: RepeatPolicy;
}

const SHOWN_RENAMES = 5;

/**
 * Turns raw items into products: folds consecutive rows that share an id, checks id and
 * title, and serializes each product into `batch` once it is complete.
 *
 * A folder that reads a piece of a file from its middle does not know the product open where
 * the piece starts: `holdSeam` keeps the piece's first rows, up to the first row of a second
 * id, unread in `seam`, for whoever knows that product to fold them in file order.
 */
export class ProductFolder {
  columns: Columns | undefined;
  open: OpenProduct | undefined;
  rows = 0;
  readonly repeats = new RepeatLog();
  keyRenameCount = 0;
  readonly keyRenames: { line: number; from: string; to: string }[] = [];
  noIdColumn: unknown;
  /** The rows held back at the start of a piece (see above). */
  readonly seam: RawItem[] = [];
  /** Whether rows are still held back: no second id yet. */
  holdsSeam: boolean;
  private seamId: string | undefined;
  private reserved: boolean | undefined;
  private readonly policy: RepeatPolicy;

  constructor(
    private readonly name: string,
    private readonly options: FoldOptions,
    private readonly batch: BatchBuilder,
    /** Warnings and header, and the batches cut every `batchSize` products, in file order. */
    private readonly onMessage: (message: FolderMessage) => void,
    private readonly batchSize: number,
    holdSeam = false,
  ) {
    this.policy = options.onRepeat ?? DEFAULT_REPEAT_POLICY;
    this.holdsSeam = holdSeam;
  }

  /** Starts from a header read elsewhere (the start of the file), for a piece of its middle. */
  useHeader(columns: string[]): void {
    this.reserved = columns.some(isReserved);
    this.columns = pickColumns(
      columns.filter((c) => !isReserved(c)),
      this.options,
      this.name,
    );
  }

  handle(item: RawItem): void {
    if (item.kind === 'warning') {
      this.onMessage(item);
      return;
    }
    if (item.kind === 'header') {
      this.useHeader(item.columns);
      if (item.renamed) this.onMessage({ kind: 'warning', message: describeRenames(item.renamed) });
      this.onMessage({ kind: 'header', columns: item.columns });
      return;
    }
    this.rows++;
    if (this.holdsSeam && !this.leavesSeam(item)) {
      this.seam.push(item);
      return;
    }
    this.read(item);
  }

  /** Folds a row read elsewhere (a seam) without counting it again. */
  replay(item: RawItem): void {
    if (item.kind === 'record' || item.kind === 'error') this.read(item);
  }

  /** Serializes the open product into the batch. */
  close(): void {
    const open = this.open;
    if (!open) return;
    const columns = this.columns;
    // Without a title the row can only join a product this load already holds (the writer decides).
    const incomplete =
      columns?.title === undefined || !open.fields[columns.title]?.trim()
        ? columns?.title
          ? `no title (column '${columns.title}' is empty)${at(open.column)}`
          : NO_TITLE_COLUMN
        : undefined;
    this.batch.add(open.id, JSON.stringify(open.fields), open.line, incomplete);
    this.open = undefined;
  }

  flush(): void {
    this.onMessage(this.batch.take(this.rows));
  }

  /** Hands over what is left at the end: products, or row errors alone. */
  flushRest(): void {
    if (this.batch.size > 0 || this.batch.errorCount > 0) this.flush();
  }

  /** Whether a row ends the seam: a record with a good id other than the seam's first. */
  private leavesSeam(item: RawItem): boolean {
    if (item.kind !== 'record' || !this.columns) return false;
    if (this.reserved !== false) stripReserved(item.fields);
    const id = item.fields[this.columns.id]?.trim();
    if (!id) return false;
    if (this.seamId === undefined) this.seamId = id;
    if (id === this.seamId) return false;
    this.holdsSeam = false;
    return true;
  }

  private error(error: RowError): void {
    this.batch.addError(error);
  }

  private read(item: RawRecord | RowError): void {
    if (item.kind === 'error') {
      this.error(item);
      return;
    }
    // A delimited file's header says once whether any column is reserved; JSON records each have their own keys.
    if (this.reserved !== false) stripReserved(item.fields);
    if (item.renamed) {
      this.keyRenameCount += item.renamed.length;
      for (const r of item.renamed) if (this.keyRenames.length < SHOWN_RENAMES) this.keyRenames.push({ line: item.line, ...r });
    }
    if (!this.columns) {
      try {
        this.columns = pickColumns(Object.keys(item.fields), this.options, this.name);
      } catch (error) {
        const wanted = this.options.idColumn ?? this.options.mappedId;
        const objectId = item.json && objectIdKey(item.json, wanted);
        if (objectId) {
          this.error({ kind: 'error', line: item.line, code: 'id_is_object', reason: objectIdReason(objectId), fields: item.fields });
          return;
        }
        // JSON records carry their own keys: one without an id key is a row error; the file fails only if none has one.
        this.noIdColumn ??= error;
        const reason = wanted ? `no '${wanted}' key in this record` : `no id key in this record (looked for ${ID_COLUMNS.join(', ')})`;
        this.error({ kind: 'error', line: item.line, code: 'no_id', reason: reason + at(item.column), fields: item.fields });
        return;
      }
    }
    const columns = this.columns;
    const id = item.fields[columns.id]?.trim();
    // A JSON id given as an object was flattened into other columns: say so rather than 'empty'.
    if (!id && item.json && isObjectAt(item.json, columns.id)) {
      this.error({ kind: 'error', line: item.line, code: 'id_is_object', reason: objectIdReason(columns.id), fields: item.fields });
      return;
    }
    if (!id) {
      this.error({
        kind: 'error',
        line: item.line,
        code: 'no_id',
        reason: `no id (column '${columns.id}' is empty)${at(item.column)}`,
        fields: item.fields,
      });
      return;
    }
    const open = this.open;
    if (open?.id === id) {
      // A row with a title is a record of its own, not a continuation (variant, extra image) of the one before.
      if (columns.title !== undefined && item.fields[columns.title]?.trim()) {
        this.repeats.add(id, item.line);
        const kept = resolveRepeat(this.policy, open.fields, item.fields, foldFields);
        if (kept === undefined)
          this.error({ kind: 'error', line: item.line, code: 'repeated_id', reason: `id '${id}' repeats line ${open.line}`, fields: item.fields });
        else open.fields = kept;
        return;
      }
      open.fields = foldFields(open.fields, item.fields);
      return;
    }
    this.close();
    this.open = { id, fields: item.fields, line: item.line, column: item.column };
    if (this.batch.size >= this.batchSize) this.flush();
  }
}

export type FolderMessage = { kind: 'header'; columns: string[] } | { kind: 'warning'; message: string } | ReturnType<BatchBuilder['take']>;

/** Where on its line a record starts, for formats whose records do not start lines (a feed's items). */
function at(column: number | undefined): string {
  return column === undefined ? '' : ` (the item starts at column ${column})`;
}

function describeRenames(renamed: HeaderRename[]): string {
  const shown = renamed.slice(0, SHOWN_RENAMES).map(describeRename).join('; ');
  const more = renamed.length > SHOWN_RENAMES ? `; and ${renamed.length - SHOWN_RENAMES} more` : '';
  return `header columns renamed so no value is lost: ${shown}${more}`;
}

function describeRename(r: HeaderRename): string {
  return `column ${r.column} ${r.from ? `'${r.from}' (a repeated name)` : '(no name)'} is '${r.to}'`;
}

function pickColumns(names: string[], options: FoldOptions, file: string): Columns {
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
