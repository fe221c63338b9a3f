import type { Encoding } from '../ingest/decode.js';
import { formatNamed } from '../ingest/formats.js';
import { DEFAULT_DOWNLOAD, loadFiles, type LoadSummary } from '../ingest/load.js';
import { checkRejectsPath, createRejectsWriter } from '../ingest/rejects.js';
import type { RepeatPolicy } from '../ingest/repeats.js';
import { formatOf } from '../ingest/source.js';
import type { Format } from '../ingest/types.js';
import type { MappingRule } from '../silver/mapping.js';
import type { Db } from '../store/catalog.js';
import type { AssayEvent } from './events.js';

export interface LoadOptions {
  /** Default: from the extension, else the content. */
  format?: Format;
  encoding?: Encoding;
  delimiter?: string;
  /** The sheet of an .xlsx workbook (default: the first). */
  sheet?: string;
  idColumn?: string;
  /** A row repeating an id read before: fold (default), first, last or error. */
  onRepeat?: RepeatPolicy;
  /** Mapping rules: the columns they send to id and title are read as those. */
  rules?: MappingRule[];
  /** The largest row, line or element read, in bytes. */
  maxFieldBytes?: number;
  /** Load nothing if any row has an error. */
  strict?: boolean;
  /** Write rejected rows, with line and reason, to this file. */
  rejects?: string;
  /** Feeds named by URL: private hosts allowed, the largest download in bytes. */
  download?: { allowPrivateHosts?: boolean; maxBytes?: number };
  onProgress?: (event: AssayEvent) => void;
}

/** Loads files (or feed URLs) into the bronze layer of the catalog. */
export async function runLoad(db: Db, files: string[], options: LoadOptions = {}): Promise<LoadSummary> {
  const rules = options.rules ?? [];
  if (options.rejects) checkRejectsPath(options.rejects, files, db.name);
  const rejects = options.rejects
    ? createRejectsWriter(options.rejects, rejectsKind(options.rejects, files, options.format), options.delimiter ?? ',')
    : undefined;
  try {
    return await loadFiles(db, files, {
      format: options.format,
      encoding: options.encoding,
      delimiter: options.delimiter,
      sheet: options.sheet,
      download: { ...DEFAULT_DOWNLOAD, ...definedOnly(options.download ?? {}) },
      idColumn: options.idColumn,
      onRepeat: options.onRepeat,
      mappedId: rules.find((r) => r.targetField === 'id')?.sourceField,
      mappedTitle: rules.find((r) => r.targetField === 'title')?.sourceField,
      maxFieldBytes: options.maxFieldBytes,
      strict: options.strict,
      // A load that stands in for an unchanged one reads no row, so it could write no rejected row.
      reuse: options.rejects === undefined,
      onRows: (rows) => options.onProgress?.({ type: 'rows', rows }),
      onHeader: (_file, columns) => rejects?.header(columns),
      onReject: (file, error) => rejects?.write(file, error),
    });
  } finally {
    await rejects?.close();
  }
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** The rejects file takes the form the first input's format gives it, unless its own name says JSON Lines. */
function rejectsKind(path: string, files: string[], format?: Format): 'csv' | 'jsonl' {
  if (/\.(json|jsonl|ndjson)$/i.test(path)) return 'jsonl';
  try {
    return formatNamed(formatOf(files[0], format)).rejects;
  } catch {
    return 'csv';
  }
}
