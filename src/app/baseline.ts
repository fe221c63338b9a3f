import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UserError } from '../errors.js';
import { BaselineDocumentSchema, BaselineRecordSchema, gapFields, type Baseline, type BaselineProduct } from '../gold/baseline.js';
import { describeIssue, parseStored } from '../store/stored-json.js';

/** Reads a baseline: an earlier `assay export --format json` (or jsonl) file. */
export function readBaseline(path: string): Baseline {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(
      'baseline_unreadable',
      `${path}: cannot read the baseline (${(error as NodeJS.ErrnoException).code ?? 'error'}): make one with 'assay export --format json --out ${path}'`,
    );
  }
  const remake = `make it again with 'assay export --format json --out ${path}'`;
  const invalid = (what: string) => new UserError('baseline_invalid', `${path}: not a baseline assay can read: ${what}; ${remake}`);
  let records: unknown[];
  let avgScore: number | null = null;
  // A json export opens with its schemaVersion; a jsonl export is one product per line.
  if (text.trimStart().startsWith('{"schemaVersion"')) {
    const doc = parseStored(text, BaselineDocumentSchema);
    if (!doc.ok) throw invalid(doc.problem);
    records = doc.value.products;
    avgScore = doc.value.catalogSummary?.avgScore ?? null;
  } else {
    records = text.split('\n').flatMap((line, i) => {
      if (!line.trim()) return [];
      const record = parseStored(line, z.unknown());
      if (!record.ok) throw invalid(`line ${i + 1}: ${record.problem}`);
      return [record.value];
    });
  }
  const products = new Map<string, BaselineProduct>();
  const rubricVersions = new Set<string>();
  let sum = 0;
  let scored = 0;
  records.forEach((raw, i) => {
    const parsed = BaselineRecordSchema.safeParse(raw);
    if (!parsed.success) {
      const id = (raw as { id?: unknown } | null)?.id;
      throw invalid(`product ${i + 1}${typeof id === 'string' ? ` (${id})` : ''}: ${describeIssue(parsed.error.issues[0])}`);
    }
    const record = parsed.data;
    const gold = record.gold?.status === 'success' ? record.gold : null;
    products.set(record.id, { score: gold?.score ?? null, feedReady: gold?.feedReady ?? false, gaps: gold ? gapFields(gold.gaps) : [] });
    if (record.rubricVersion) rubricVersions.add(record.rubricVersion);
    if (gold) {
      sum += gold.score;
      scored++;
    }
  });
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
  if (asked && !options.baseline)
    throw new UserError(
      'baseline_missing',
      '--max-avg-drop, --max-product-drop and --no-new-failures compare with an earlier run: name it with --baseline FILE (an assay export --format json)',
    );
}
