import { openSource, type SourceOptions } from './source.js';

export interface FileSample {
  header: string[];
  rows: Record<string, string>[];
}

/** The header and the first `limit` rows of a file, read as load reads them (rows with errors skipped). */
export async function sampleFile(file: string, options: SourceOptions, limit: number): Promise<FileSample> {
  const source = await openSource(file, options);
  let header: string[] | undefined;
  const seen = new Set<string>();
  const rows: Record<string, string>[] = [];
  for await (const item of source.items) {
    if (item.kind === 'header') header = item.columns;
    else if (item.kind === 'record') {
      rows.push(item.fields);
      // JSON records carry their own keys: the header is every key, in order of first appearance.
      if (header === undefined) for (const key of Object.keys(item.fields)) seen.add(key);
      if (rows.length >= limit) break;
    }
  }
  return { header: header ?? [...seen], rows };
}

/** The columns of records already loaded: every key, in order of first appearance. */
export function headerOf(rows: ReadonlyArray<Record<string, string>>): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}
