// The targets of the performance issue, judged from the cases of one bench run, each at
// the largest size measured; the whole-pipeline ones need 1,000,000 products, the others
// can be judged at 100,000 too (--quick). The output names the size used. The long-field
// targets are judged at the field sizes of the run: 8 and 64 MB (with --quick, 1 and 8 MB, too short to
// time apart from process start-up, so the ratio prints as not measured).
import { availableParallelism } from 'node:os';
import { count, round } from './lib.mjs';

const BIG = 1_000_000;
const SMALL = 100_000;
/** Load parses in more threads where there are cores for them: the ratio to .import is held to the cores found. */
const CORES = availableParallelism();
const LOAD_RATIO = CORES >= 4 ? 1.5 : 2.5;

const TARGETS = [
  { name: 'whole pipeline time (assay run --offline)', kind: 'run', onlyAt: BIG, figure: (m) => m.seconds, max: 60, unit: ' s' },
  { name: 'whole pipeline peak RSS (assay run --offline)', kind: 'run', onlyAt: BIG, figure: (m) => m.maxPeakRssMb, max: 500, unit: ' MB' },
  {
    name: 'load time / sqlite3 .import time',
    kind: 'load',
    figure: (m) => m.ratioToSqlite3,
    max: LOAD_RATIO,
    unit: 'x',
    note: `${CORES} cores found: ≤ 2.5x on 2-3 cores, ≤ 1.5x on 4 or more`,
  },
  {
    name: 'unchanged reload (the same file loaded again into the catalog it made)',
    kind: 'load',
    figure: (m) => m.reload?.seconds,
    max: 2,
    unit: ' s',
    statedAt: BIG,
  },
  { name: 'normalize --offline time', kind: 'normalize', onlyAt: BIG, figure: (m) => m.seconds, max: 60, unit: ' s' },
  { name: 'normalize --offline time(1,000,000) / time(100,000)', kind: 'normalize', growth: true, max: 12, unit: '' },
  { name: 'normalize --offline --similar-titles time(1,000,000) / time(100,000)', kind: 'normalize-similar', growth: true, max: 12, unit: '' },
  { name: 'analyze rate', kind: 'analyze', figure: (m) => m.rowsPerSecond, min: 100_000, unit: ' products/s' },
  {
    name: 'normalize --stale --offline after an unchanged reload',
    kind: 'stale',
    figure: (m) => m.normalizeStale.seconds,
    max: 5,
    unit: ' s',
    statedAt: BIG,
    note: '"a few seconds"',
  },
  {
    name: 'analyze --stale after an unchanged reload',
    kind: 'stale',
    figure: (m) => m.analyzeStale.seconds,
    max: 5,
    unit: ' s',
    statedAt: BIG,
    note: '"a few seconds"',
  },
  { name: 'unchanged nightly re-run (assay run --offline on the same file)', kind: 'rerun', onlyAt: BIG, figure: (m) => m.seconds, max: 10, unit: ' s' },
  {
    name: 'load time, long CSV field 8 times as long / shorter one',
    kind: 'long',
    figure: (m) => m.csv.growth,
    why: (m) => m.csv.growthWhy,
    max: 12,
    unit: '',
    fields: true,
    note: 'linear with slack',
  },
  {
    name: 'load time, long JSON Lines line 8 times as long / shorter one',
    kind: 'long',
    figure: (m) => m.jsonl.growth,
    why: (m) => m.jsonl.growthWhy,
    max: 12,
    unit: '',
    fields: true,
    note: 'linear with slack',
  },
];

/**
 * `cases`: [{ kind, rows, measurements }] of this run. Returns one verdict per target:
 * { target, threshold, size, figure, status: 'met' | 'NOT met' | 'not measured', why }.
 */
export function judgeTargets(cases, { quick }) {
  return TARGETS.map((target) => {
    const threshold = `${target.max === undefined ? '≥' : '≤'} ${format(target.max ?? target.min)}${target.unit}`;
    const verdict = { target: target.name, threshold, size: target.fields ? 'fields of 8 and 64 MB (1 and 8 with --quick)' : (target.onlyAt ?? BIG) };
    const ofKind = cases.filter((c) => c.kind === target.kind && !c.measurements.error).sort((a, b) => b.rows - a.rows);
    let figure;
    if (target.growth) {
      const at = (rows) => ofKind.find((c) => c.rows === rows)?.measurements.seconds;
      if (at(BIG) && at(SMALL)) figure = round(at(BIG) / at(SMALL), 2);
      verdict.size = 'both';
    } else {
      const used = target.onlyAt ? ofKind.find((c) => c.rows === target.onlyAt) : ofKind[0];
      if (used) verdict.size = target.fields ? `fields of ${used.measurements.smallMb} and ${used.measurements.largeMb} MB` : used.rows;
      figure = used ? target.figure(used.measurements) : undefined;
      if (used && typeof figure !== 'number' && target.why) verdict.why = target.why(used.measurements);
    }
    if (typeof figure !== 'number') {
      const needsBig = target.onlyAt || target.growth;
      const why = quick && needsBig ? '--quick' : cases.some((c) => c.kind === target.kind) ? 'a case failed or had no figure' : 'its case was not run';
      return { status: 'not measured', why, ...verdict };
    }
    const isMet = target.max === undefined ? figure >= target.min : figure <= target.max;
    return { ...verdict, figure, status: isMet ? 'met' : 'NOT met' };
  });
}

export function formatTargets(verdicts) {
  return verdicts.map((v) => {
    const target = TARGETS.find((t) => t.name === v.target);
    const size =
      typeof v.size === 'string' && v.size !== 'both'
        ? v.size
        : v.size === 'both'
          ? '100,000 and 1,000,000 products'
          : `${count(v.size)} products${target.statedAt && v.size !== target.statedAt ? ' (target stated for 1,000,000)' : ''}`;
    const note = target.note ? `, ${target.note}` : '';
    const figure = v.status === 'not measured' ? `not measured (${v.why})` : `${format(v.figure)}${target.unit}: ${v.status}`;
    return `  ${v.target}, ${size}: ${figure} (target ${v.threshold}${note})`;
  });
}

const format = (n) => (Number.isInteger(n) ? count(n) : String(n));
