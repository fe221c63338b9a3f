/** One row read from a source file, with its source columns as text. */
export interface RawRecord {
  kind: 'record';
  line: number;
  /** Where the record starts on its line, for formats whose records do not start lines (XML). */
  column?: number;
  fields: Record<string, string>;
  /** Keys of a JSON object that repeat (or that a nested key flattens onto), and the names they were given instead. */
  renamed?: KeyRename[];
  /** The parsed object of a JSON record, kept so an id given as an object or array can be named. */
  json?: Record<string, unknown>;
}

export interface KeyRename {
  from: string;
  to: string;
}

/** A row that could not be read; the rows around it still load. */
export interface RowError {
  kind: 'error';
  line: number;
  code: string;
  reason: string;
  /** The row as it stood in the file, when known (for --rejects). */
  raw?: string;
  fields?: Record<string, string>;
}

/** The header of a delimited file, emitted once before its records. */
export interface RawHeader {
  kind: 'header';
  columns: string[];
  /** Columns whose name was empty or taken, and the name they were given instead. */
  renamed?: HeaderRename[];
}

export interface HeaderRename {
  /** 1-based position in the header. */
  column: number;
  from: string;
  to: string;
}

/** Something the reader skipped or read differently, said once (a title line before the header). */
export interface RawWarning {
  kind: 'warning';
  message: string;
}

export type RawItem = RawRecord | RowError | RawHeader | RawWarning;

/** The input formats; src/ingest/formats.ts says how each is named, recognized and read. */
export type Format = 'csv' | 'tsv' | 'json' | 'jsonl' | 'xml' | 'xlsx';
