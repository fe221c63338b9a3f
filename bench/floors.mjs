// What the catalog file and the CSV parser alone cost, under each stage: the time no change to
// assay's own code can go below while it keeps its storage (SQLite, WAL, synchronous=NORMAL,
// batches of 2,000 committed with their job items) and csv-parse. Each figure is one thread's
// work, timed in this process on a copy of the prepared analyzed catalog:
//
//   parse      csv-parse of the bench CSV, records only (load's reader does this and more)
//   normalize  read each batch's bronze as normalize does, write its silver rows (the prepared
//              catalog's own) into an empty silver table with its indexes, mark its job items
//   analyze    read each batch's silver as analyze does, write its gold rows likewise
//   job items  of the two above: inserting one row per product and marking them done
//
// The writer of each stage is one thread (SQLite has one writer), so a stage cannot take less
// wall time than its store figure, whatever the other core does; and the whole run cannot take
// less than the sum of its writers' work. The source rows are read from the copy in the same
// batches and that read is timed apart and taken off, so only the stage's own reads and writes
// count. Prints seconds of wall and CPU time per figure, and products/s.
//
// Usage: npm run build && node bench/floors.mjs [--rows 100000|1000000] [--db ANALYZED.db]
// Without --db it takes (or prepares) the bench's analyzed catalog of that size for this build;
// --db names an analyzed catalog of the generated CSV of --rows (one of an earlier build will do:
// the floors time the storage, not the stages).
import { copyFileSync, createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse';
import { catalog, count, round } from './lib.mjs';
import { prepared } from './prepare.mjs';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, db: { type: 'string' } } });
const rows = Number(values.rows);
const BATCH = 2000;

function timed(work) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const extra = work();
  const used = process.cpuUsage(cpu);
  return { wall: (performance.now() - start) / 1000, cpu: (used.user + used.system) / 1e6, ...extra };
}

async function parseFloor(file) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  let records = 0;
  for await (const _record of createReadStream(file).pipe(parse({ relax_column_count: true, bom: true }))) records++;
  const used = process.cpuUsage(cpu);
  return { wall: (performance.now() - start) / 1000, cpu: (used.user + used.system) / 1e6, records };
}

/** Copies `table`'s rows batch by batch into an empty copy of it (with its indexes), beside reading `read` per batch. */
function storeFloor(db, table, read, jobStage) {
  const columns = db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all();
  const ddl = db.prepare("SELECT sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL AND type IN ('table', 'index')").pluck().all(table);
  db.exec(`ALTER TABLE ${table} RENAME TO floor_${table}`);
  // Dropping the source's indexes leaves their names to the empty table's.
  for (const name of db.prepare("SELECT name FROM sqlite_master WHERE tbl_name = ? AND type = 'index' AND sql IS NOT NULL").pluck().all(`floor_${table}`))
    db.exec(`DROP INDEX ${name}`);
  for (const sql of ddl) db.exec(sql.replace(/^CREATE TABLE "?\w+"?/, `CREATE TABLE ${table}`));
  const source = db.prepare(`SELECT * FROM floor_${table} WHERE seq BETWEEN ? AND ? ORDER BY seq`).raw(true);
  const insert = db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  const readBatch = db.prepare(read).raw(true);
  const last = db.prepare('SELECT max(seq) FROM products').pluck().get();
  const jobId = Number(
    db
      .prepare(`INSERT INTO jobs (stage, scope, options, status, started_at, heartbeat_at, pid, host) VALUES (?, '{}', '{}', 'succeeded', 0, 0, 0, 'floor')`)
      .run(jobStage).lastInsertRowid,
  );
  const items = timed(() => {
    db.transaction(() => db.prepare('INSERT INTO job_items (job_id, seq) SELECT ?, seq FROM products ORDER BY seq').run(jobId))();
  });
  const markDone = db.prepare('UPDATE job_items SET done = 1 WHERE job_id = ? AND seq BETWEEN ? AND ?');
  let sourceWall = 0;
  let sourceCpu = 0;
  let marking = 0;
  const store = timed(() => {
    for (let first = 1; first <= last; first += BATCH) {
      const end = first + BATCH - 1;
      readBatch.all(first, end);
      const cpu = process.cpuUsage();
      const start = performance.now();
      const batch = source.all(first, end);
      const used = process.cpuUsage(cpu);
      sourceWall += (performance.now() - start) / 1000;
      sourceCpu += (used.user + used.system) / 1e6;
      db.transaction(() => {
        for (const row of batch) insert.run(row);
        const mark = performance.now();
        markDone.run(jobId, first, end);
        marking += (performance.now() - mark) / 1000;
      }).immediate();
    }
  });
  return { wall: items.wall + store.wall - sourceWall, cpu: items.cpu + store.cpu - sourceCpu, items: items.wall + marking };
}

const file = await catalog(rows);
const analyzed = values.db ?? (await prepared(rows, 'analyzed'));
const dir = mkdtempSync(join(tmpdir(), 'assay-floors-'));
try {
  const copy = join(dir, 'floors.db');
  copyFileSync(analyzed, copy);
  const db = new Database(copy);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 16384');
  const products = db.prepare('SELECT count(*) FROM products').pluck().get();
  // The views read the tables the floors swap out; the copy does not need them.
  for (const view of db.prepare("SELECT name FROM sqlite_master WHERE type = 'view'").pluck().all()) db.exec(`DROP VIEW ${view}`);
  const parsed = await parseFloor(file);
  const gold = storeFloor(
    db,
    'gold',
    'SELECT p.seq, s.* FROM products p LEFT JOIN silver s ON s.seq = p.seq WHERE p.seq BETWEEN ? AND ? ORDER BY p.seq',
    'analyze',
  );
  const silver = storeFloor(db, 'silver', 'SELECT seq, id, bronze, bronze_hash FROM products WHERE seq BETWEEN ? AND ? ORDER BY seq', 'normalize');
  db.close();
  const line = (name, figure, what) =>
    console.log(
      `${name.padEnd(10)} ${round(figure.wall, 2).toFixed(2).padStart(7)} s wall ${round(figure.cpu, 2).toFixed(2).padStart(7)} s CPU  ${count(Math.round(products / figure.wall)).padStart(10)} /s  ${what}`,
    );
  console.log(`floors at ${count(products)} products (${count(parsed.records)} CSV records), one thread each:`);
  line('parse', parsed, 'csv-parse alone');
  line('normalize', silver, `read bronze, write silver; of it job items ${round(silver.items, 2)} s`);
  line('analyze', gold, `read silver, write gold; of it job items ${round(gold.items, 2)} s`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
