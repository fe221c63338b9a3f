import { Readable } from 'node:stream';
import { UserError } from '../errors.js';
import { cellText } from './xlsx-cell.js';
import { uniqueNames } from './names.js';
import type { RawHeader, RawItem } from './types.js';

interface SheetRef {
  name: string;
  rId: string;
}

interface ReaderInternals {
  model?: { sheets?: SheetRef[] };
  workbookRels?: { Id: string; Target: string }[];
}

interface RowLike {
  number: number;
  eachCell(options: { includeEmpty: boolean }, fn: (cell: { value: unknown; numFmt?: string }, col: number) => void): void;
}

/**
 * Streams one sheet of an .xlsx workbook (the first, or `sheet` by name) as records: the first
 * non-empty row is the header, each later row a record whose line is its row number. Cells are
 * text as the sheet shows them: numbers in full (a GTIN never becomes 8.87E+11), the sheet's
 * decimals kept, dates as ISO 8601.
 */
export async function* readXlsx(bytes: AsyncIterable<Uint8Array>, file: string, sheet?: string): AsyncGenerator<RawItem> {
  // Loaded on first use: exceljs and its dependencies cost every command ~25 MB of memory at start-up.
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(bytes), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  const internals = reader as unknown as ReaderInternals;
  const seen: string[] = [];
  let done = false;
  try {
    for await (const worksheet of reader) {
      const name = sheetName(internals, (worksheet as unknown as { id: string }).id) ?? (worksheet as unknown as { name: string }).name;
      seen.push(name);
      const wanted = !done && (sheet === undefined ? isFirst(internals, name) : name === sheet);
      if (!wanted) {
        for await (const _row of worksheet) void _row;
        continue;
      }
      done = true;
      yield* readRows(worksheet as AsyncIterable<unknown>);
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(
      'xlsx_unreadable',
      `${file}: cannot read the workbook (${(error as Error).message}): open it in a spreadsheet and save it again as .xlsx`,
    );
  }
  if (!done) {
    const names = seen.length > 0 ? seen.map((s) => `'${s}'`).join(', ') : 'none';
    throw new UserError(
      'xlsx_no_sheet',
      sheet && seen.length > 0
        ? `${file}: no sheet named '${sheet}': the workbook's sheets are ${names}`
        : `${file}: no worksheet in this ZIP archive: if it is a zipped catalog, unzip it and load the file inside`,
    );
  }
}

async function* readRows(rows: AsyncIterable<unknown>): AsyncGenerator<RawItem> {
  let header: string[] | undefined;
  for await (const raw of rows) {
    const row = raw as RowLike;
    const cells: string[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      cells[col - 1] = cellText(cell.value, cell.numFmt);
    });
    const last = lastFilled(cells);
    if (last < 0) continue;
    if (!header) {
      const named = nameColumns(cells, last);
      header = named.columns;
      yield named;
      continue;
    }
    const fields: Record<string, string> = Object.create(null);
    header.forEach((name, i) => {
      fields[name] = cells[i] ?? '';
    });
    for (let i = header.length; i <= last; i++) if (cells[i]) fields[`column_${i + 1}`] = cells[i];
    yield { kind: 'record', line: row.number, fields };
  }
}

/**
 * Empty trailing columns (formatted but blank) are not columns. A blank header cell after a named
 * one is the rest of a merged cell, shown under that name: `Image`, `Image (2)`; repeats are renamed as in CSV.
 */
function nameColumns(cells: string[], last: number): RawHeader {
  let left = '';
  const given = Array.from({ length: last + 1 }, (_, i) => {
    const name = (cells[i] ?? '').trim();
    if (name) left = name;
    return name || left;
  });
  const { names, renamed } = uniqueNames(given, (i) => `column_${i + 1}`);
  const header: RawHeader = { kind: 'header', columns: names };
  if (renamed.length > 0) header.renamed = renamed.map((r) => ({ column: r.index + 1, from: (cells[r.index] ?? '').trim(), to: r.to }));
  return header;
}

function lastFilled(cells: string[]): number {
  for (let i = cells.length - 1; i >= 0; i--) if (cells[i] !== undefined && cells[i] !== '') return i;
  return -1;
}

function sheetName(reader: ReaderInternals, id: string): string | undefined {
  const target = `worksheets/sheet${id}.xml`;
  const rel = reader.workbookRels?.find((r) => r.Target.replace(/^\/?xl\//, '') === target);
  return reader.model?.sheets?.find((s) => s.rId === rel?.Id)?.name;
}

function isFirst(reader: ReaderInternals, name: string): boolean {
  const first = reader.model?.sheets?.[0]?.name;
  return first === undefined || first === name;
}
