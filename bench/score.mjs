// Gold scoring alone: silver records and contexts read from normalized catalogs into memory,
// then the scorer `analyze` builds (explain off) run over them after a warm-up pass. Prints,
// per catalog and for all of them together, microseconds per product (median of the rounds, of
// wall time and of the process's CPU time, steadier on a shared machine) and a checksum of
// every result, so a change that alters any result shows. No writes, no threads.
//
// Usage: npm run build && node bench/score.mjs [--db FILE|DIR]... [--file CATALOG]... [--limit N]
//          [--rounds N] [--channel google|meta|generic] [--country CC] [--explain] [--dist DIR]
// Without --db or --file it reads the newest bench/out/stage-100000-*-normalized.db (made by
// `npm run bench -- --quick --only analyze --runs 1`). A directory gives every .db in it; --file
// runs `assay run FILE --offline` into a temporary catalog first.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { BIN, count, median, newestNormalizedCatalog, ROOT } from './lib.mjs';

const { values } = parseArgs({
  options: {
    db: { type: 'string', multiple: true, default: [] },
    file: { type: 'string', multiple: true, default: [] },
    limit: { type: 'string', default: '50000' },
    rounds: { type: 'string', default: '5' },
    channel: { type: 'string' },
    country: { type: 'string' },
    explain: { type: 'boolean', default: false },
    dist: { type: 'string' },
  },
});
const dist = resolve(values.dist ?? `${ROOT}/dist`);
const { createScorer } = await import(`${dist}/gold/score.js`);
const { DEFAULT_WEIGHTS } = await import(`${dist}/gold/weights.js`);
const { DEFAULT_BANDS } = await import(`${dist}/gold/bands.js`);
const { contextOf, recordOf, SILVER_SELECT, silverColumnsOf } = await import(`${dist}/store/silver-columns.js`);
const limit = Number(values.limit);
const rounds = Number(values.rounds);
/** A round of a small catalog repeats its passes until this much time has gone, so timer noise stays small. */
const MIN_ROUND_MS = 100;

function catalogsOf(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => name.endsWith('.db'))
    .sort()
    .map((name) => join(path, name));
}

function readSilver(path) {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    // As analyze reads silver: its typed columns, made into the record and context the scorer takes.
    const rows = db
      .prepare(`SELECT p.id, ${SILVER_SELECT} FROM silver s JOIN products p ON p.seq = s.seq WHERE s.status = 'success' ORDER BY s.seq LIMIT ?`)
      .raw()
      .all(limit);
    return rows.flatMap(([id, ...values]) => {
      const silver = silverColumnsOf(values);
      const product = recordOf(id, silver);
      const ctx = contextOf(silver);
      return product && ctx ? [{ product, ctx }] : [];
    });
  } finally {
    db.close();
  }
}

const temp = values.file.length > 0 ? mkdtempSync(join(tmpdir(), 'assay-score-')) : undefined;
const paths = values.db.flatMap((path) => catalogsOf(resolve(path)));
for (const file of values.file) {
  const path = join(temp, `${basename(file)}-${paths.length}.db`);
  const run = spawnSync(process.execPath, [BIN, '--db', path, '--quiet', 'run', resolve(file), '--offline'], { encoding: 'utf8' });
  if (run.status !== 0 && run.status !== 1) throw new Error(`assay run ${file} exited ${run.status}: ${run.stderr}`);
  paths.push(path);
}
if (paths.length === 0) paths.push(newestNormalizedCatalog());
const sources = paths.map((path) => ({ name: basename(path), items: readSilver(path) })).filter((source) => source.items.length > 0);
if (temp !== undefined) rmSync(temp, { recursive: true, force: true });

const options = { explain: values.explain, channel: values.channel, country: values.country };
const score = createScorer(DEFAULT_WEIGHTS, DEFAULT_BANDS, options);

/** One pass; the sum keeps the results alive so no pass can be optimized away. */
function pass(items) {
  let sum = 0;
  for (let i = 0; i < items.length; i++) sum += score(items[i].product, items[i].ctx).score;
  return sum;
}

/** Median per product over the rounds, of wall time and of this process's CPU time. */
function time(items) {
  const wall = [];
  const cpu = [];
  for (let r = 0; r < rounds; r++) {
    let passes = 0;
    let elapsed = 0;
    const start = process.hrtime.bigint();
    const startCpu = process.cpuUsage();
    do {
      pass(items);
      passes++;
      elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    } while (elapsed < MIN_ROUND_MS);
    const used = process.cpuUsage(startCpu);
    wall.push((elapsed * 1000) / (passes * items.length));
    cpu.push((used.user + used.system) / (passes * items.length));
  }
  return { wall: median(wall), cpu: median(cpu) };
}

function checksum(items) {
  const hash = createHash('sha1');
  for (const { product, ctx } of items) hash.update(JSON.stringify(score(product, ctx))).update('\n');
  return hash.digest('hex').slice(0, 16);
}

const all = sources.flatMap((source) => source.items);
// Warm-up: the whole mix once, so every source meets compiled code and warm caches alike.
pass(all);
pass(all);
const rows = sources.map((source) => ({ name: source.name, items: source.items }));
if (rows.length > 1) rows.push({ name: 'all', items: all });
const rules = `channel ${values.channel ?? 'google'}${values.country ? `, country ${values.country}` : ''}, explain ${values.explain ? 'on' : 'off'}`;
console.log(`scoring ${count(all.length)} products (${rules}), median of ${rounds} rounds, node ${process.version}`);
const width = Math.max(...rows.map((row) => row.name.length));
console.log(`${'catalog'.padEnd(width)}  products  µs wall  µs cpu  products/s  checksum`);
for (const row of rows) {
  const { wall, cpu } = time(row.items);
  const rate = count(Math.round(1e6 / wall));
  console.log(
    `${row.name.padEnd(width)}  ${String(row.items.length).padStart(8)}  ${wall.toFixed(2).padStart(7)}  ${cpu.toFixed(2).padStart(6)}  ${rate.padStart(10)}  ${checksum(row.items)}`,
  );
}
