import type { CatalogSummary } from '../../gold/summary.js';
import { neutralizeFormula, quoteCsv } from '../../csv-cell.js';
import { STAGES } from '../../gold/types.js';
import { points, scored, type ExportRecord } from './record.js';
import { SILVER_COLUMNS, silverCells } from './silver-columns.js';
import type { Sink } from './sink.js';

export const CSV_HEADER = [
  'id',
  'title',
  'brand',
  'stage',
  'score',
  'band',
  ...STAGES,
  'gaps',
  'missing_fields',
  'feed_ready',
  'duplicate_of',
  'duplicate_reason',
  'broken_url_count',
  'broken_urls',
  ...SILVER_COLUMNS.map((field) => `silver_${field}`),
];

type Cell = string | number | boolean | null | undefined;

function csvLine(cells: readonly Cell[]): string {
  return `${cells.map((cell) => (typeof cell === 'string' ? quoteCsv(neutralizeFormula(cell)) : cell == null ? '' : String(cell))).join(',')}\r\n`;
}

function csvCells(record: ExportRecord): Cell[] {
  const gold = scored(record);
  const broken = record.silver?.brokenUrls ?? [];
  return [
    record.id,
    record.title,
    record.brand,
    record.stage,
    gold?.score,
    gold?.band,
    ...STAGES.map((stage) => gold?.stages[stage]),
    gold?.gaps.map((gap) => `${gap.field}:${points(gap.pointsLost)}`).join(';'),
    gold?.missingFields.join(';'),
    gold ? gold.feedReady : null,
    record.silver?.duplicateOf,
    record.silver?.duplicateReason,
    record.silver ? broken.length : null,
    broken.map((b) => b.url).join(' '),
    ...silverCells(record.record),
  ];
}

/** One row per product; the catalog summary has no place in a flat table. */
export async function writeCsv(records: Iterable<ExportRecord>, _summary: CatalogSummary, sink: Sink): Promise<number> {
  let count = 0;
  await sink.write(csvLine(CSV_HEADER));
  for (const record of records) {
    await sink.write(csvLine(csvCells(record)));
    count++;
  }
  return count;
}
