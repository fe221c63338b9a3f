import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import type { Baseline, BaselineProduct } from '../gold/baseline.js';

interface ExportedProduct {
  id?: unknown;
  gold?: { status?: string; score?: number; feedReady?: boolean; gaps?: { field: string }[] } | null;
  rubricVersion?: string | null;
}

/** Reads a baseline: an earlier `assay export --format json` (or jsonl) file. */
export function readBaseline(path: string): Baseline {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError('baseline_unreadable', `${path}: cannot read the baseline (${(error as NodeJS.ErrnoException).code ?? 'error'}): make one with 'assay export --format json --out ${path}'`);
  }
  let records: ExportedProduct[];
  let avgScore: number | null = null;
  try {
    const trimmed = text.trimStart();
    // A json export opens with its schemaVersion; a jsonl export is one product per line.
    if (trimmed.startsWith('{"schemaVersion"')) {
      const doc = JSON.parse(text) as { products?: ExportedProduct[]; catalogSummary?: { avgScore?: number } };
      records = doc.products ?? [];
      avgScore = doc.catalogSummary?.avgScore ?? null;
    } else records = text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as ExportedProduct);
  } catch (error) {
    throw new UserError('baseline_invalid', `${path}: not an assay JSON export: ${(error as Error).message}`);
  }
  const products = new Map<string, BaselineProduct>();
  const rubricVersions = new Set<string>();
  let sum = 0;
  let scored = 0;
  for (const record of records) {
    if (typeof record.id !== 'string') throw new UserError('baseline_invalid', `${path}: a product without an id: expected the records of 'assay export --format json'`);
    const gold = record.gold?.status === 'success' ? record.gold : null;
    products.set(record.id, { score: gold?.score ?? null, feedReady: Boolean(gold?.feedReady), gaps: gold?.gaps?.map((g) => g.field) ?? [] });
    if (record.rubricVersion) rubricVersions.add(record.rubricVersion);
    if (gold?.score !== undefined) {
      sum += gold.score;
      scored++;
    }
  }
  return { products, avgScore: avgScore ?? (scored > 0 ? Math.round((sum / scored) * 10) / 10 : null), rubricVersions };
}

/** A comparison with an earlier run: the export to compare with, and the regression gates to apply. */
export interface BaselineOptions {
  /** An earlier `assay export --format json` (or jsonl) file. */
  baseline?: string;
  /** The average score falls at most this many points. */
  maxAvgDrop?: number;
  /** No product falls more than this many points. */
  maxProductDrop?: number;
  /** No product that was feed-ready (and at the minimum score) in the baseline falls below it. */
  noNewFailures?: boolean;
}

/** Regression gates compare with an earlier run: they need one. */
export function checkBaselineOptions(options: BaselineOptions): void {
  const asked = options.maxAvgDrop !== undefined || options.maxProductDrop !== undefined || Boolean(options.noNewFailures);
  if (asked && !options.baseline) throw new UserError('baseline_missing', '--max-avg-drop, --max-product-drop and --no-new-failures compare with an earlier run: name it with --baseline FILE (an assay export --format json)');
}
