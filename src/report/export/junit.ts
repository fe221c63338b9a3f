import type { CatalogSummary } from '../../gold/summary.js';
import { attributes, escapeXml } from './xml.js';
import { points, scored, unscoredReason, type ExportRecord } from './record.js';
import { openSpool, type Sink } from './sink.js';

export interface JunitOptions {
  /** Products scoring under this fail. */
  threshold: number;
  exportedAt: string;
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

const zero = (): Counts => ({ tests: 0, failures: 0, errors: 0, skipped: 0 });

function testcase(classname: string, record: ExportRecord, body = ''): string {
  const name = record.title ? `${record.id} ${record.title}` : record.id;
  return body ? `    <testcase${attributes({ classname, name })}>\n${body}    </testcase>\n` : `    <testcase${attributes({ classname, name })}/>\n`;
}

/** The normalize stage: errors where normalizing failed, skipped where it has not run. */
function silverCase(record: ExportRecord, counts: Counts): string {
  counts.tests++;
  if (record.silver === null) {
    counts.skipped++;
    return testcase('assay.silver', record, `      <skipped${attributes({ message: 'not normalized yet' })}/>\n`);
  }
  if (record.silver.status === 'error') {
    counts.errors++;
    return testcase('assay.silver', record, `      <error${attributes({ message: record.silver.error ?? 'normalize failed', type: 'normalize_error' })}/>\n`);
  }
  return testcase('assay.silver', record);
}

/** The analyze stage: a failure under the threshold, with the gaps worst first, or when not scored. */
function goldCase(record: ExportRecord, threshold: number, counts: Counts): string {
  counts.tests++;
  const gold = scored(record);
  if (gold === null) {
    counts.failures++;
    const message = `not scored: ${unscoredReason(record)}`;
    return testcase('assay.unscored', record, `      <failure${attributes({ message, type: 'not_scored' })}/>\n`);
  }
  const classname = `assay.${gold.band}`;
  if (gold.score >= threshold) return testcase(classname, record);
  counts.failures++;
  const gaps = gold.gaps.map((gap) => `${gap.field}: -${points(gap.pointsLost)} points`).join('\n');
  const message = `score ${gold.score} < ${threshold}`;
  return testcase(classname, record, `      <failure${attributes({ message, type: 'below_threshold' })}>${escapeXml(gaps)}</failure>\n`);
}

function suiteOpen(name: string, counts: Counts, timestamp: string): string {
  return `  <testsuite${attributes({ name, ...counts, time: 0, timestamp })}>\n`;
}

/**
 * One test suite per stage, one test case per product. Suite attributes carry counts known
 * only after the last product, so the cases are spooled to temporary files first.
 */
export async function writeJunit(records: Iterable<ExportRecord>, _summary: CatalogSummary, sink: Sink, options: JunitOptions): Promise<number> {
  const silver = { counts: zero(), spool: await openSpool() };
  const gold = {
    counts: zero(),
    spool: await openSpool().catch(async (error: unknown) => {
      await silver.spool.abort();
      throw error;
    }),
  };
  let count = 0;
  try {
    for (const record of records) {
      await silver.spool.write(silverCase(record, silver.counts));
      await gold.spool.write(goldCase(record, options.threshold, gold.counts));
      count++;
    }
    await silver.spool.close();
    await gold.spool.close();
    const total = zero();
    for (const key of Object.keys(total) as (keyof Counts)[]) total[key] = silver.counts[key] + gold.counts[key];
    const timestamp = options.exportedAt.replace(/(\.\d+)?Z$/, '');
    await sink.write(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attributes({ name: 'assay', ...total, time: 0 })}>\n`);
    for (const [name, part] of [
      ['assay.silver', silver],
      ['assay.gold', gold],
    ] as const) {
      await sink.write(suiteOpen(name, part.counts, timestamp));
      if (name === 'assay.gold')
        await sink.write(`    <properties>\n      <property${attributes({ name: 'threshold', value: options.threshold })}/>\n    </properties>\n`);
      await part.spool.copyTo(sink);
      await sink.write('  </testsuite>\n');
    }
  } finally {
    await Promise.all([silver.spool.abort(), gold.spool.abort()]);
  }
  await sink.write('</testsuites>\n');
  return count;
}
