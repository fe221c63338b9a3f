import type { Db } from '../store/catalog.js';
import { sampleBronze } from '../store/bronze.js';
import { COLUMN_SAMPLE, describeColumns, type ColumnReport } from '../silver/column-report.js';
import type { MappingOptions } from '../silver/mapping.js';

/** The column report of a loaded catalog, from its first products in load order. */
export function catalogColumns(db: Db, options: MappingOptions, limit = COLUMN_SAMPLE): ColumnReport & { sampled: number } {
  const rows = sampleBronze(db, limit);
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  const report = describeColumns([...seen], rows, options);
  // Every loaded product has an id (load found or was told its column): not a field to ask for.
  const unfed = report.unfed.filter((field) => field !== 'id');
  const suggestions = report.suggestions.filter((s) => s.target !== 'id');
  return { ...report, unfed, suggestions, sampled: rows.length };
}

/** What normalize says once per run about the mapping: counts, the unfed fields, the suggestions. */
export interface MappingSummary {
  preset?: string;
  columns: number;
  mapped: number;
  toAttributes: number;
  unfed: string[];
  suggestions: ColumnReport['suggestions'];
}

export function summarizeMapping(report: ColumnReport & { sampled: number }): MappingSummary | undefined {
  if (report.sampled === 0) return undefined;
  const toAttributes = report.columns.filter((c) => c.via === 'attributes').length;
  const mapped = report.columns.filter((c) => c.via !== 'attributes' && c.via !== 'ignored').length;
  const summary: MappingSummary = { columns: report.columns.length, mapped, toAttributes, unfed: report.unfed, suggestions: report.suggestions };
  return report.preset === undefined ? summary : { preset: report.preset, ...summary };
}
