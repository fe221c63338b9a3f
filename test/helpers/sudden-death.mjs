// Sudden-death harness (see docs/guarantees.md#jobs-concurrency-and-sudden-death): kill -9 `assay normalize --all` and `assay analyze --all`
// at chosen moments, let the next command mark the job interrupted, `assay resume` it, and check
// that the catalog ends exactly as an uninterrupted run left it.
//
// Plain JavaScript so that both the vitest suite (test/sudden-death.test.ts, a small catalog) and
// the soak run (bench/sudden-death.mjs, 50,000 products) use the same code under plain node.
//
// How a run goes:
//   1. generate a catalog (bench/generate.mjs, seeded) whose image URLs point at a local image
//      server on 127.0.0.1 that answers after 20-50 ms, and load it;
//   2. the reference: normalize (URL checks on, never killed), then analyze, watched from outside
//      so the kill points can be placed: when the job row appears, the indexing chunks, every
//      batch commit, the bytes the process writes, the requests the server sees;
//   3. kill points chosen by a seeded PRNG from that timeline (the seed is printed: a plan
//      reproduces from it, though a moment in time never reproduces exactly);
//   4. for each point: a fresh copy of the loaded (or normalized) catalog with triggers counting
//      every write, the stage started and SIGKILLed at the point, `assay jobs --json`, then
//      `assay resume` (killed again for some points), and the checks listed in checkFinal().
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { generate, mulberry32 as prng } from '../../bench/generate.mjs';
// The stage as the built CLI derives it from the layers (the harness runs that CLI).
import { STAGE_SQL } from '../../dist/store/products.js';
import { SILVER_SELECT } from '../../dist/store/silver-columns.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'assay.js');

/** Batch size of the job runner and chunk size of the indexing phase (src/jobs). */
const BATCH = 2000;
const KEY_CHUNK = 5000;
/** Any one CLI run longer than this is killed and reported. */
const RUN_TIMEOUT_MS = 20 * 60_000;
/** Kills plus resumes of one point, at most. */
const MAX_ATTEMPTS = 4;
/** How often the watcher looks at the catalog, the process and its written bytes. */
const POLL_MS = 1;
/** Flags of every normalize run: URL checks on, against the local server only. */
const URL_CONCURRENCY = 64;
const URL_FLAGS = ['--allow-private-hosts', '--concurrency', String(URL_CONCURRENCY), '--per-host', String(URL_CONCURRENCY), '--timeout', '20000'];

// --- small pieces -------------------------------------------------------------------------

/** The failed checks of one kill point, and the check that records one. */
function failureList() {
  const failures = [];
  return { failures, expect: (ok, message) => void (ok || failures.push(message)) };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function hashOf(text) {
  return createHash('sha1').update(text).digest();
}

/** Opens the catalog read-only for one look, so nothing is held open between looks. */
export function readCatalog(db, read) {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    conn.pragma('busy_timeout = 5000');
    return read(conn);
  } finally {
    conn.close();
  }
}

/** Copies a catalog that no process has open, with its WAL when there is one. */
function copyCatalog(from, to) {
  copyFileSync(from, to);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(from + suffix)) copyFileSync(from + suffix, to + suffix);
    else rmSync(to + suffix, { force: true });
  }
  return to;
}

function removeCatalog(db) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
}

/** Bytes the process has written through write(2) and friends so far (Linux), or undefined. */
function writtenBytes(pid) {
  try {
    const match = /^wchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

// --- the assay CLI --------------------------------------------------------------------------

/** Starts the built CLI with a clean environment; `result` resolves when it has exited. */
function startAssay(args, cwd) {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  child.stdout.on('data', (b) => (stdout += b));
  child.stderr.on('data', (b) => (stderr += b));
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, RUN_TIMEOUT_MS);
  const result = new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started, timedOut });
    });
  });
  return { child, started, result, running: () => child.exitCode === null && child.signalCode === null };
}

async function assay(args, cwd) {
  const result = await startAssay(args, cwd).result;
  if (result.timedOut) throw new Error(`assay ${args.join(' ')} ran longer than ${RUN_TIMEOUT_MS} ms`);
  return result;
}

function must(result, what) {
  if (result.code !== 0) throw new Error(`${what} exited ${result.code ?? result.signal}:\n${result.stderr.slice(-3000)}`);
  return result;
}

function stageArgs(db, stage) {
  return stage === 'normalize' ? ['--db', db, 'normalize', '--all', '--quiet', ...URL_FLAGS] : ['--db', db, 'analyze', '--all', '--quiet'];
}

// --- the image server ------------------------------------------------------------------------

/**
 * An image server on 127.0.0.1 answering every URL of the catalog after 20-50 ms. The answer
 * depends on the path alone, so every run sees the same: mostly images, some 404s, some HTML
 * pages, some redirects to an image. `killAt(n, child)` SIGKILLs the child when the n-th
 * request arrives, while it and others are in flight.
 */
async function startImageServer({ minDelayMs = 20, maxDelayMs = 50 } = {}) {
  const stats = { requests: 0, inFlight: 0, maxInFlight: 0 };
  let trap;
  const server = createServer((req, res) => {
    stats.requests += 1;
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    let counted = true;
    res.on('close', () => {
      if (counted) stats.inFlight -= 1;
      counted = false;
    });
    if (trap && stats.requests >= trap.request) {
      const { child, onKill } = trap;
      trap = undefined;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        onKill({ request: stats.requests, inFlight: stats.inFlight });
      }
    }
    const path = req.url ?? '/';
    const h = hashOf(path);
    const delay = minDelayMs + (h[1] % (maxDelayMs - minDelayMs + 1));
    setTimeout(() => {
      if (res.destroyed) return;
      const roll = h[0] / 256;
      if (roll < 0.08) res.writeHead(404, { 'content-type': 'text/plain', 'content-length': '0' }).end();
      else if (roll < 0.13) res.writeHead(200, { 'content-type': 'text/html', 'content-length': '0' }).end();
      else if (roll < 0.2 && !path.startsWith('/moved/')) res.writeHead(301, { location: `/moved${path}`, 'content-length': '0' }).end();
      else res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': '2048' }).end(req.method === 'HEAD' ? undefined : Buffer.alloc(2048));
    }, delay);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    stats,
    reset() {
      Object.assign(stats, { requests: 0, maxInFlight: stats.inFlight });
      trap = undefined;
    },
    killAt(request, child, onKill) {
      trap = { request, child, onKill };
    },
    disarm() {
      trap = undefined;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// --- the catalog ------------------------------------------------------------------------------

/**
 * Generates `rows` products (bench/generate.mjs, seeded), points their images at `origin`, and
 * loads them. A third of the products keep an image of their own (a request each); the rest
 * share a small pool, so each batch asks the server a few hundred to a few thousand URLs.
 */
async function buildCatalog(dir, rows, seed, origin) {
  const csv = join(dir, 'catalog.csv');
  await generate({ rows, out: csv, seed });
  const text = readFileSync(csv, 'utf8').replace(
    /(?:https?:)?\/\/(?:cdn\.shop|img|images|static)\.example\.test\/products\/([a-z0-9-]+)-(\d+)-(\d)\.jpg/g,
    (_match, noun, index, n) => {
      const own = n === '1' && Number(index) % 3 === 0;
      return own ? `${origin}/products/${noun}-${index}-${n}.jpg` : `${origin}/shared/${hashOf(noun + index + n).readUInt16BE(0) % 97}-${n}.jpg`;
    },
  );
  writeFileSync(csv, text);
  const db = join(dir, 'loaded.db');
  const loaded = await assay(['--db', db, 'load', csv, '--quiet'], dir);
  if (loaded.code !== 0 && loaded.code !== 1) must(loaded, 'assay load');
  const products = readCatalog(db, (c) => c.prepare('SELECT count(*) FROM products').pluck().get());
  const local = readCatalog(db, (c) => c.prepare(`SELECT count(*) FROM products WHERE bronze LIKE ?`).pluck().get(`%${origin}/%`));
  if (local === 0) throw new Error('no image URL of the generated catalog points at the local server: bench/generate.mjs changed its URLs');
  return { db, products, csv };
}

// --- fingerprints ----------------------------------------------------------------------------------

/** What an uninterrupted run leaves behind, column by column, leaving out the columns that hold times. */
const FINGERPRINTS = {
  silver: `SELECT p.id, ${SILVER_SELECT} FROM silver s JOIN products p USING(seq) ORDER BY p.id`,
  gold: 'SELECT p.id, g.status, g.error, g.score, g.band, g.channel, g.identity, g.taxonomy, g.content, g.media, g.pricing, g.attributes, g.seo, g.capped_by, g.gaps, g.missing_fields, g.category_classes, g.blockers, g.lost_by_reason FROM gold g JOIN products p USING(seq) ORDER BY p.id',
  silverFacts:
    'SELECT p.id, s.status, s.duplicate_of, s.broken_urls, s.bronze_hash, s.config_hash, s.silver_hash FROM silver s JOIN products p USING(seq) ORDER BY p.id',
  goldFacts:
    'SELECT p.id, g.status, g.feed_ready, g.top_gap, g.duplicate, g.broken_urls, g.silver_hash, g.rubric_version FROM gold g JOIN products p USING(seq) ORDER BY p.id',
  stages: `SELECT p.id, ${STAGE_SQL} FROM products p LEFT JOIN silver s USING(seq) LEFT JOIN gold g USING(seq) ORDER BY p.id`,
  bronze: 'SELECT id, seq, bronze, bronze_hash, source_file, source_line FROM products ORDER BY seq',
  keys: 'SELECT p.id, k.bronze_hash, k.config_hash, k.brand, k.brand_key, k.keys FROM product_keys k JOIN products p USING(seq) ORDER BY p.id',
  dupKeys: 'SELECT d.key, p.id FROM dup_keys d JOIN products p USING(seq) ORDER BY d.key, p.id',
  brands: 'SELECT key, canonical, source, aliases FROM brands ORDER BY key',
  urlCache: 'SELECT url, state, reason, status, content_type FROM url_cache ORDER BY url',
};

function fingerprints(db) {
  return readCatalog(db, (conn) => {
    const out = {};
    for (const [name, sql] of Object.entries(FINGERPRINTS)) {
      const hash = createHash('sha1');
      let rows = 0;
      for (const row of conn.prepare(sql).raw().iterate()) {
        hash.update(JSON.stringify(row)).update('\n');
        rows++;
      }
      out[name] = `${rows}:${hash.digest('hex').slice(0, 16)}`;
    }
    return out;
  });
}

function integrity(db) {
  return readCatalog(db, (conn) => ({
    integrity: conn
      .pragma('integrity_check', { simple: false })
      .map((r) => r.integrity_check)
      .join('; '),
    foreignKeys: conn.pragma('foreign_key_check').length,
  }));
}

function jobRow(db, id) {
  return readCatalog(db, (c) => c.prepare('SELECT id, stage, status, total, done, errors, summary, error FROM jobs WHERE id = ?').get(id));
}

function summaryWithoutTime(text) {
  if (!text) return text;
  const { duration_ms: _duration, ...rest } = JSON.parse(text);
  return JSON.stringify(rest);
}

/** Counts every row written to silver, gold and the duplicate index from here on (kept in the copy). */
function countWrites(db) {
  const conn = new Database(db);
  try {
    conn.exec(`
      CREATE TABLE sudden_death_writes (tbl TEXT NOT NULL, seq INTEGER NOT NULL);
      CREATE TRIGGER sudden_death_silver AFTER INSERT ON silver BEGIN INSERT INTO sudden_death_writes VALUES ('silver', new.seq); END;
      CREATE TRIGGER sudden_death_silver_update AFTER UPDATE ON silver BEGIN INSERT INTO sudden_death_writes VALUES ('silver', new.seq); END;
      CREATE TRIGGER sudden_death_gold AFTER INSERT ON gold BEGIN INSERT INTO sudden_death_writes VALUES ('gold', new.seq); END;
      CREATE TRIGGER sudden_death_gold_update AFTER UPDATE ON gold BEGIN INSERT INTO sudden_death_writes VALUES ('gold', new.seq); END;
      CREATE TRIGGER sudden_death_keys AFTER INSERT ON product_keys BEGIN INSERT INTO sudden_death_writes VALUES ('keys', new.seq); END;
    `);
  } finally {
    conn.close();
  }
}

function writes(db) {
  return readCatalog(db, (c) => {
    const out = {};
    for (const row of c.prepare('SELECT tbl, count(*) AS n, count(DISTINCT seq) AS products FROM sudden_death_writes GROUP BY tbl').all())
      out[row.tbl] = { n: row.n, products: row.products };
    return out;
  });
}

// --- watching a run ------------------------------------------------------------------------------

/**
 * Looks at a running stage every millisecond or so: its newest job (newer than `afterJob`), how
 * far the indexing phase got, and the bytes the process has written. Calls `decide(state)` on every
 * look and SIGKILLs the process the first time it returns a description; records a timeline of
 * what it saw. Resolves when the process has exited.
 */
async function watch(run, db, { afterJob = 0, decide, stage, requests }) {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  conn.pragma('busy_timeout = 50');
  const jobQuery = conn.prepare('SELECT id, status, done, total, errors FROM jobs WHERE id > ? ORDER BY id DESC LIMIT 1');
  const keysQuery = conn.prepare('SELECT count(*) FROM product_keys').pluck();
  const timeline = { job: undefined, keys: [], commits: [], lastDone: undefined, end: undefined, exit: undefined, looks: 0 };
  let kill;
  let lastDone = -1;
  let lastKeys = -1;
  try {
    const deadline = Date.now() + RUN_TIMEOUT_MS;
    while (run.running() && Date.now() < deadline) {
      const ms = Date.now() - run.started;
      let job;
      let keys;
      try {
        job = jobQuery.get(afterJob);
        keys = stage === 'normalize' ? keysQuery.get() : undefined;
      } catch {
        // busy for a moment (a checkpoint): look again
      }
      const wchar = writtenBytes(run.child.pid);
      timeline.looks++;
      if (job && timeline.job === undefined) timeline.job = { ms, id: job.id };
      if (keys !== undefined && keys !== lastKeys) {
        if (keys > 0) timeline.keys.push({ ms, keys });
        lastKeys = keys;
      }
      if (job && job.done !== lastDone) {
        if (lastDone >= 0 || job.done > 0) timeline.commits.push({ ms, done: job.done, wchar, requests: requests?.() });
        lastDone = job.done;
      }
      if (job && job.done === job.total && job.status === 'running' && timeline.lastDone === undefined) timeline.lastDone = { ms };
      if (job && job.status !== 'running' && timeline.end === undefined) timeline.end = { ms, status: job.status };
      if (!kill && decide) {
        const why = decide({ ms, job, keys, wchar });
        if (why && run.running()) {
          run.child.kill('SIGKILL');
          kill = { ms, why, done: job?.done, total: job?.total, status: job?.status, keys };
        }
      }
      await sleep(POLL_MS);
    }
  } finally {
    conn.close();
  }
  const result = await run.result;
  timeline.exit = { ms: result.ms, code: result.code, signal: result.signal };
  return { result, timeline, kill };
}

// --- the reference ------------------------------------------------------------------------------------

/**
 * Builds the catalog and the uninterrupted reference run. Returns the context every kill point
 * runs in; call close() when done (stops the server, removes the folder unless `keep`).
 */
export async function prepareSuddenDeath({ rows, catalogSeed = 7, keep = false, log = () => {} }) {
  const dir = mkdtempSync(join(tmpdir(), 'assay-sudden-death-'));
  const server = await startImageServer();
  const close = async () => {
    await server.close();
    if (keep) log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  };
  try {
    let t = Date.now();
    const { db: loaded, products, csv } = await buildCatalog(dir, rows, catalogSeed, server.origin);
    log(`catalog: ${products} products loaded in ${Date.now() - t} ms; images on ${server.origin} (20-50 ms an answer)`);

    const reference = {};
    const normalizedDb = copyCatalog(loaded, join(dir, 'normalized.db'));
    server.reset();
    const normalize = await watch(startAssay(stageArgs(normalizedDb, 'normalize'), dir), normalizedDb, {
      stage: 'normalize',
      requests: () => server.stats.requests,
    });
    must(normalize.result, 'the reference normalize');
    reference.normalize = {
      ms: normalize.result.ms,
      timeline: normalize.timeline,
      requests: server.stats.requests,
      maxInFlight: server.stats.maxInFlight,
      job: jobRow(normalizedDb, normalize.timeline.job?.id ?? 1),
      fingerprints: fingerprints(normalizedDb),
    };
    log(
      `reference normalize: ${normalize.result.ms} ms, ${server.stats.requests} URL requests (at most ${server.stats.maxInFlight} in flight), ${normalize.timeline.commits.length} batch commits seen, ${normalize.timeline.looks} looks`,
    );

    const analyzedDb = copyCatalog(normalizedDb, join(dir, 'analyzed.db'));
    t = Date.now();
    const analyze = await watch(startAssay(stageArgs(analyzedDb, 'analyze'), dir), analyzedDb, { stage: 'analyze', afterJob: reference.normalize.job.id });
    must(analyze.result, 'the reference analyze');
    reference.analyze = {
      ms: analyze.result.ms,
      timeline: analyze.timeline,
      job: jobRow(analyzedDb, analyze.timeline.job?.id ?? reference.normalize.job.id + 1),
      fingerprints: fingerprints(analyzedDb),
    };
    log(`reference analyze: ${analyze.result.ms} ms, ${analyze.timeline.commits.length} batch commits seen`);
    for (const [name, db] of [
      ['normalized', normalizedDb],
      ['analyzed', analyzedDb],
    ]) {
      const check = integrity(db);
      if (check.integrity !== 'ok' || check.foreignKeys !== 0)
        throw new Error(`the reference ${name} catalog fails its integrity check: ${JSON.stringify(check)}`);
    }
    rmSync(analyzedDb + '-wal', { force: true });

    // `assay run --offline` from an empty catalog, watched for the moments its load, normalize and analyze start.
    const runDb = join(dir, 'run-reference.db');
    const run = await watchRun(startAssay(runArgs(runDb, csv), dir), runDb);
    must(run.result, 'the reference run');
    reference.run = { ms: run.result.ms, timeline: run.timeline, fingerprints: fingerprints(runDb) };
    log(`reference run --offline: ${run.result.ms} ms (normalize job at ${run.timeline.normalize?.ms} ms, analyze job at ${run.timeline.analyze?.ms} ms)`);
    removeCatalog(runDb);
    return { dir, server, products, csv, loaded, normalizedDb, reference, close, log };
  } catch (error) {
    await close();
    throw error;
  }
}

// --- the plan ----------------------------------------------------------------------------------------

/** The kill points, in a fixed order; the test names its cases after them. */
export const KILL_POINTS = [
  'normalize: right after the job row is created',
  'normalize: indexing phase, after an indexing chunk is committed',
  'normalize: indexing phase, at a random moment',
  'normalize: URL checks, with requests in flight',
  'normalize: the moment a batch commit becomes visible',
  'normalize: while the process writes a batch to the catalog',
  'normalize: after the last batch, before the job ends',
  'normalize: a random moment',
  'normalize: a random moment, then again during the resume',
  'analyze: right after the job row is created',
  'analyze: a random moment',
  'analyze: the moment a batch commit becomes visible',
  'analyze: while the process writes a batch to the catalog',
  'analyze: after the last batch, before the job ends',
  'analyze: a random moment, then again during the resume',
];

/** Places every kill point on the reference timeline with a PRNG seeded by `seed`. */
export function planKillPoints(h, seed) {
  const random = prng(seed);
  const between = (lo, hi) => Math.round(lo + random() * Math.max(0, hi - lo));
  const pick = (n) => Math.floor(random() * n);
  const plan = [];
  for (const name of KILL_POINTS) {
    const stage = name.startsWith('normalize') ? 'normalize' : 'analyze';
    const ref = h.reference[stage];
    const { timeline } = ref;
    const total = ref.job.total;
    const batches = Math.ceil(total / BATCH);
    const commits = timeline.commits;
    // Random moments fall between the job row's appearance and the end of the reference run (a
    // kill before the row exists is a point of its own, and it happens too: the stage then starts over).
    const jobMs = timeline.job?.ms ?? 0;
    const random2 = () => ({ kind: 'random', ms: between(jobMs, ref.ms) });
    let trigger;
    let then;
    if (name.includes('job row is created')) trigger = { kind: 'job-created' };
    else if (name.includes('after an indexing chunk')) {
      const chunks = Math.ceil(h.products / KEY_CHUNK);
      trigger = { kind: 'indexing', keysAtLeast: Math.min(h.products - 1, KEY_CHUNK * (1 + pick(Math.max(1, chunks - 1)))) };
    } else if (name.includes('indexing phase, at a random')) {
      const end = timeline.keys.at(-1)?.ms ?? commits[0]?.ms ?? ref.ms;
      trigger = { kind: 'after-job', ms: between(0, end - jobMs) };
    } else if (name.includes('requests in flight')) trigger = { kind: 'url-request', request: 1 + pick(Math.max(1, Math.floor(ref.requests * 0.9))) };
    else if (name.includes('commit becomes visible')) trigger = { kind: 'commit-edge', doneAtLeast: BATCH * (1 + pick(Math.max(1, batches - 1))) };
    else if (name.includes('writes a batch')) {
      // Bytes the process wrote from one visible commit to the next, in the reference: a batch's
      // rows, its job rows, and the WAL checkpoints that follow commits. Kill part-way through them.
      const spans = commits
        .slice(1)
        .map((c, i) => (c.wchar ?? 0) - (commits[i].wchar ?? 0))
        .filter((n) => n > 0);
      const k = pick(Math.max(1, batches - 1));
      const typical = spans.length ? spans.sort((a, b) => a - b)[Math.floor(spans.length / 2)] : 1_000_000;
      trigger = { kind: 'write', afterDone: BATCH * k, bytes: Math.round(typical * (0.3 + 0.6 * random())) };
    } else if (name.includes('before the job ends')) trigger = { kind: 'before-end' };
    else trigger = random2();
    if (name.includes('then again')) then = { kind: 'random', ms: between(jobMs, jobMs + (ref.ms - jobMs) * 0.6) };
    plan.push({ name, stage, trigger, then });
  }
  return plan;
}

function describeTrigger(trigger) {
  switch (trigger.kind) {
    case 'job-created':
      return 'when the job row appears';
    case 'indexing':
      return `when ${trigger.keysAtLeast} products are indexed`;
    case 'url-request':
      return `at URL request ${trigger.request}`;
    case 'commit-edge':
      return `when done reaches ${trigger.doneAtLeast}`;
    case 'write':
      return `after ${trigger.bytes} bytes written past done ${trigger.afterDone}`;
    case 'before-end':
      return 'when done = total while the job still runs';
    case 'after-job':
      return `${trigger.ms} ms after the job row appears`;
    default:
      return `${trigger.ms} ms after start`;
  }
}

/** A `decide` function for watch() that fires at the trigger. */
function decider(trigger) {
  let base;
  switch (trigger.kind) {
    case 'job-created':
      return ({ job }) => (job ? 'the job row exists' : undefined);
    case 'indexing':
      return ({ job, keys }) => (job && job.done === 0 && keys >= trigger.keysAtLeast ? `${keys} products indexed, no batch done` : undefined);
    case 'commit-edge':
      return ({ job }) => (job && job.done >= trigger.doneAtLeast ? `done went to ${job.done}` : undefined);
    case 'write':
      // From each visible commit at or past `afterDone`, count the bytes written; a new commit starts over.
      return ({ job, wchar }) => {
        if (!job || wchar === undefined || job.done < trigger.afterDone) return undefined;
        if (!base || base.done !== job.done) base = { done: job.done, wchar };
        return wchar - base.wchar >= trigger.bytes ? `${wchar - base.wchar} bytes written since done went to ${job.done}` : undefined;
      };
    case 'before-end':
      return ({ job }) => (job && job.done === job.total && job.status === 'running' ? 'every batch committed, job still running' : undefined);
    case 'random':
      return ({ ms }) => (ms >= trigger.ms ? `${ms} ms after start` : undefined);
    case 'after-job':
      return ({ ms, job }) => {
        if (job && base === undefined) base = ms;
        return base !== undefined && ms - base >= trigger.ms ? `${ms - base} ms after the job row appeared` : undefined;
      };
    default:
      return undefined;
  }
}

/** A harness error can leave a run going: stop it (our own child) before its catalog goes. */
async function stopAndRemove(run, db) {
  if (run?.running()) {
    run.child.kill('SIGKILL');
    await run.result;
  }
  removeCatalog(db);
}

// --- one kill point ------------------------------------------------------------------------------------

/**
 * Runs one planned kill point on a fresh copy of the catalog. Returns what happened and the list of
 * failed checks (empty when the catalog ended as the reference's).
 */
export async function runKillPoint(h, point, index) {
  const started = Date.now();
  const { stage } = point;
  const ref = h.reference[stage];
  const db = copyCatalog(stage === 'normalize' ? h.loaded : h.normalizedDb, join(h.dir, `point-${index}.db`));
  countWrites(db);
  const afterJob = stage === 'normalize' ? 0 : h.reference.normalize.job.id;
  const { failures, expect } = failureList();
  const attempts = [];
  let current;
  // Set once a run exits by itself, or a kill lands after the job has already succeeded.
  let ended = false;
  try {
    let jobId;
    let serverRequests = 0;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const trigger = [point.trigger, point.then][attempt];
      const args = jobId === undefined ? stageArgs(db, stage) : ['--db', db, 'resume', String(jobId), '--quiet'];
      h.server.reset();
      const run = startAssay(args, h.dir);
      current = run;
      let serverKill;
      if (trigger?.kind === 'url-request') h.server.killAt(trigger.request, run.child, (at) => (serverKill = at));
      const watched = await watch(run, db, { afterJob: jobId === undefined ? afterJob : jobId - 1, stage, decide: trigger && decider(trigger) });
      h.server.disarm();
      serverRequests += h.server.stats.requests;
      const { result } = watched;
      if (result.timedOut) throw new Error(`assay ${args.slice(2).join(' ')} ran longer than ${RUN_TIMEOUT_MS} ms`);
      jobId ??= watched.timeline.job?.id;
      const killed = result.signal === 'SIGKILL';
      const record = { command: args[2], ms: result.ms, killed, code: result.code };
      attempts.push(record);
      if (!killed) {
        expect(result.code === 0, `assay ${args.slice(2).join(' ')} exited ${result.code}: ${result.stderr.slice(-500)}`);
        if (trigger) record.missed = 'the run ended before the kill point';
        ended = true;
        break;
      }
      record.at = serverKill ? { why: `URL request ${serverKill.request} arrived with ${serverKill.inFlight} in flight` } : watched.kill;
      // What the catalog holds right after the kill, before anything else opens it for writing.
      const before = jobId === undefined ? undefined : jobRow(db, jobId);
      record.job = before && { status: before.status, done: before.done, total: before.total };
      if (stage === 'normalize') record.urlsCached = readCatalog(db, (c) => c.prepare('SELECT count(*) FROM url_cache').pluck().get());

      const listed = await assay(['--db', db, 'jobs', '--json'], h.dir);
      expect(listed.code === 0, `assay jobs exited ${listed.code} after the kill: ${listed.stderr.slice(-500)}`);
      const check = integrity(db);
      expect(
        check.integrity === 'ok' && check.foreignKeys === 0,
        `after kill ${attempt + 1}: integrity ${check.integrity}, ${check.foreignKeys} foreign key problems`,
      );
      if (jobId === undefined) {
        record.note = 'killed before the job row was committed: the stage is started again';
        continue;
      }
      const listedJob = JSON.parse(listed.stdout || '{"jobs":[]}').jobs.find((j) => j.id === jobId);
      const now = jobRow(db, jobId);
      if (before?.status === 'running')
        expect(listedJob?.status === 'interrupted', `assay jobs shows job ${jobId} as ${listedJob?.status}, not interrupted, after kill ${attempt + 1}`);
      // What the job counts as done is exactly what is committed: no more, no less.
      const committed = readCatalog(db, (c) => ({
        items: c.prepare('SELECT count(*) FROM job_items WHERE job_id = ? AND done = 1').pluck().get(jobId),
        rows: c
          .prepare(`SELECT count(*) FROM ${stage === 'normalize' ? 'silver' : 'gold'}`)
          .pluck()
          .get(),
      }));
      expect(
        committed.items === now.done && committed.rows === now.done,
        `after kill ${attempt + 1}: job done ${now.done}, items done ${committed.items}, ${stage === 'normalize' ? 'silver' : 'gold'} rows ${committed.rows}`,
      );
      record.mid = before && before.done < before.total ? 'mid-job' : 'all batches committed';
      if (now.status === 'succeeded') {
        record.note = 'the job had ended before the kill landed';
        ended = true;
        break;
      }
    }
    if (!ended) failures.push(`still killed after ${MAX_ATTEMPTS} attempts`);
    const kills = attempts.filter((a) => a.killed).length;
    if (jobId !== undefined) checkFinal(h, db, stage, ref, jobId, expect, { seen: serverRequests, kills });
    else failures.push('no job was ever created');
  } catch (error) {
    failures.push(`harness: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await stopAndRemove(current, db);
  }
  return {
    index,
    name: point.name,
    stage,
    trigger: describeTrigger(point.trigger),
    thenTrigger: point.then && describeTrigger(point.then),
    attempts,
    failures,
    ms: Date.now() - started,
  };
}

/** The checks once the job has succeeded, against the uninterrupted run. */
function checkFinal(h, db, stage, ref, jobId, expect, server) {
  const job = jobRow(db, jobId);
  const total = ref.job.total;
  expect(job.status === 'succeeded', `job ${jobId} ended ${job.status}${job.error ? ` (${job.error})` : ''}`);
  const counts = readCatalog(db, (c) => ({
    jobs: c.prepare('SELECT count(*) FROM jobs WHERE stage = ?').pluck().get(stage),
    items: c.prepare('SELECT count(*) FROM job_items WHERE job_id = ?').pluck().get(jobId),
    itemsDone: c.prepare('SELECT count(*) FROM job_items WHERE job_id = ? AND done = 1').pluck().get(jobId),
    errorRows: c
      .prepare(`SELECT count(*) FROM job_items j JOIN ${stage === 'normalize' ? 'silver' : 'gold'} x USING(seq) WHERE j.job_id = ? AND x.status = 'error'`)
      .pluck()
      .get(jobId),
  }));
  expect(counts.jobs === 1, `${counts.jobs} ${stage} jobs in the catalog, not one`);
  expect(
    job.total === total && job.done === total && counts.items === total && counts.itemsDone === total,
    `counts: total ${job.total}, done ${job.done}, items ${counts.items}, items done ${counts.itemsDone}; the reference did ${total}`,
  );
  expect(
    job.errors === ref.job.errors && job.errors === counts.errorRows,
    `errors: job ${job.errors}, error rows ${counts.errorRows}, reference ${ref.job.errors}`,
  );
  // URL requests are work done, not a result: a kill can make the job ask some URLs again (those
  // whose answers were not kept yet), never fewer than the uninterrupted run. A request is counted
  // when it is sent, and the count is saved with the next answer kept, so a kill can land while
  // requests the count already holds are still on their way: the server may see up to the
  // concurrency limit fewer per kill, never more than that. Everything else in the summary is as
  // the uninterrupted run's.
  const { urlRequests, ...summary } = JSON.parse(summaryWithoutTime(job.summary) ?? '{}');
  const { urlRequests: refRequests, ...refSummary } = JSON.parse(summaryWithoutTime(ref.job.summary) ?? '{}');
  expect(
    JSON.stringify(summary) === JSON.stringify(refSummary),
    `job summary differs from the reference:\n      ${JSON.stringify(summary)}\n      ${JSON.stringify(refSummary)}`,
  );
  if (stage === 'normalize')
    expect(
      urlRequests >= refRequests && urlRequests <= server.seen + server.kills * URL_CONCURRENCY,
      `the job counts ${urlRequests} URL requests; the uninterrupted run made ${refRequests}, the server saw ${server.seen} for this job across ${server.kills} kills of at most ${URL_CONCURRENCY} requests in flight`,
    );

  const got = fingerprints(db);
  for (const [name, value] of Object.entries(ref.fingerprints)) expect(got[name] === value, `${name} checksum ${got[name]}, reference ${value}`);

  const w = writes(db);
  const layer = stage === 'normalize' ? 'silver' : 'gold';
  expect(
    w[layer]?.n === total && w[layer]?.products === total,
    `${layer} rows written ${w[layer]?.n ?? 0} times for ${w[layer]?.products ?? 0} products; each of ${total} once expected`,
  );
  const other = stage === 'normalize' ? 'gold' : 'silver';
  expect(!w[other], `${other} written ${w[other]?.n} times by ${stage}`);
  const keys = stage === 'normalize' ? h.products : 0;
  expect(
    (w.keys?.n ?? 0) === keys && (w.keys?.products ?? 0) === keys,
    `duplicate index rows written ${w.keys?.n ?? 0} times for ${w.keys?.products ?? 0} products; ${keys} once expected`,
  );

  const check = integrity(db);
  expect(check.integrity === 'ok', `integrity_check: ${check.integrity}`);
  expect(check.foreignKeys === 0, `foreign_key_check: ${check.foreignKeys} rows`);
}

/** One line per kill point, for logs and the soak report. */
export function formatOutcome(outcome) {
  const steps = outcome.attempts
    .map((a) => {
      if (!a.killed) return `${a.command} ${a.code === 0 ? 'ok' : `exit ${a.code}`} ${a.ms} ms${a.missed ? ` (${a.missed})` : ''}`;
      const job = a.job
        ? ` job ${a.job.status} ${a.job.done}/${a.job.total}${a.urlsCached === undefined ? '' : `, ${a.urlsCached} URL results cached`}`
        : a.at?.stage
          ? ` in ${a.at.stage}`
          : ' no job yet';
      return `${a.command} killed at ${a.ms} ms (${a.at?.why ?? '?'};${job})${a.note ? ` [${a.note}]` : ''}`;
    })
    .join(' -> ');
  return `${outcome.failures.length === 0 ? 'ok  ' : 'FAIL'} #${outcome.index} ${outcome.name} [${outcome.trigger}${outcome.thenTrigger ? `, then ${outcome.thenTrigger}` : ''}]: ${steps}; ${outcome.ms} ms${outcome.failures.map((f) => `\n      - ${f}`).join('')}`;
}

// --- assay run, killed and run again ------------------------------------------------------------

/** The kill points of `assay run --offline`, each followed by the same `run` again (see planRunKillPoints). */
export const RUN_KILL_POINTS = [
  'run: while loading, at a random moment',
  'run: while normalizing, at a random moment',
  'run: while analyzing, at a random moment',
  'run: a random moment, then again during the next run',
];

function runArgs(db, csv) {
  return ['--db', db, 'run', csv, '--offline', '--quiet'];
}

/**
 * Looks at a running `assay run` every millisecond or so: how many products are loaded and which
 * stage's job runs. Calls `decide(state)` on every look and SIGKILLs the process the first time it
 * returns a description. Resolves when the process has exited.
 */
async function watchRun(run, db, { afterJob = 0, decide } = {}) {
  const timeline = { load: undefined, normalize: undefined, analyze: undefined };
  let kill;
  let conn;
  try {
    const deadline = Date.now() + RUN_TIMEOUT_MS;
    while (run.running() && Date.now() < deadline) {
      const ms = Date.now() - run.started;
      let state;
      try {
        conn ??= existsSync(db) ? new Database(db, { readonly: true, fileMustExist: true }) : undefined;
        if (conn) {
          conn.pragma('busy_timeout = 50');
          const products = conn.prepare('SELECT count(*) FROM products').pluck().get();
          const job = conn.prepare('SELECT id, stage, status, done, total FROM jobs WHERE id > ? ORDER BY id DESC LIMIT 1').get(afterJob);
          state = { ms, products, job };
        }
      } catch {
        // the catalog is being created, or busy for a moment: look again
        conn?.close();
        conn = undefined;
      }
      if (state) {
        if (state.products > 0) timeline.load ??= { ms };
        if (state.job) timeline[state.job.stage] ??= { ms };
      }
      if (!kill && decide) {
        const why = decide(state ?? { ms });
        if (why && run.running()) {
          run.child.kill('SIGKILL');
          kill = { ms, why, stage: state?.job?.stage ?? 'load' };
        }
      }
      await sleep(POLL_MS);
    }
  } finally {
    conn?.close();
  }
  const result = await run.result;
  return { result, timeline, kill };
}

/** Places every run kill point on the reference run's timeline with a PRNG seeded by `seed`. */
export function planRunKillPoints(h, seed) {
  const random = prng(seed);
  const between = (lo, hi) => Math.round(lo + random() * Math.max(0, hi - lo));
  const { ms: end, timeline } = h.reference.run;
  const normalizeAt = timeline.normalize?.ms ?? end;
  const analyzeAt = timeline.analyze?.ms ?? end;
  return RUN_KILL_POINTS.map((name) => {
    let trigger;
    if (name.includes('while loading')) trigger = { kind: 'loaded', productsAtLeast: between(Math.ceil(h.products * 0.1), Math.floor(h.products * 0.9)) };
    else if (name.includes('while normalizing')) trigger = { kind: 'in-stage', stage: 'normalize', ms: between(0, analyzeAt - normalizeAt) };
    else if (name.includes('while analyzing')) trigger = { kind: 'in-stage', stage: 'analyze', ms: between(0, end - analyzeAt) };
    else {
      // A moment in either stage: in absolute time it could fall after the end of a run faster than the reference's.
      const stage = random() < 0.5 ? 'normalize' : 'analyze';
      trigger = { kind: 'in-stage', stage, ms: stage === 'normalize' ? between(0, analyzeAt - normalizeAt) : between(0, end - analyzeAt) };
    }
    const then = name.includes('then again') ? { kind: 'random', ms: between(0, end * 0.6) } : undefined;
    return { name, stage: 'run', trigger, then };
  });
}

function runDecider(trigger) {
  let base;
  switch (trigger.kind) {
    case 'loaded':
      return ({ products, job }) => (!job && products >= trigger.productsAtLeast ? `${products} products loaded, no job yet` : undefined);
    case 'in-stage':
      // At the moment, or at the latest once the stage has committed every batch (or the next one started):
      // a run faster than the reference is still killed in the stage, not missed.
      return ({ ms, job }) => {
        if (job?.stage === trigger.stage && base === undefined) base = ms;
        if (base === undefined) return undefined;
        if (ms - base >= trigger.ms) return `${ms - base} ms into ${trigger.stage} (done ${job?.done}/${job?.total})`;
        if (job && (job.stage !== trigger.stage || job.done === job.total)) return `${trigger.stage} done early, at ${ms - base} ms`;
        return undefined;
      };
    default:
      return ({ ms }) => (ms >= trigger.ms ? `${ms} ms after start` : undefined);
  }
}

function describeRunTrigger(trigger) {
  if (trigger.kind === 'loaded') return `when ${trigger.productsAtLeast} products are loaded`;
  if (trigger.kind === 'in-stage') return `${trigger.ms} ms after the ${trigger.stage} job appears`;
  return `${trigger.ms} ms after start`;
}

/**
 * Runs one planned run kill point on an empty catalog: `assay run --offline` killed at the point,
 * then the same command again (killed again for some points) until one ends by itself. The
 * catalog must then equal the uninterrupted run's: every layer, the duplicate index, the brands
 * and the bronze, with no job left running or failed.
 */
export async function runRunKillPoint(h, point, index) {
  const started = Date.now();
  const db = join(h.dir, `run-point-${index}.db`);
  removeCatalog(db);
  const { failures, expect } = failureList();
  const attempts = [];
  let current;
  let ended = false;
  try {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const trigger = [point.trigger, point.then][attempt];
      const afterJob = existsSync(db) ? readCatalog(db, (c) => c.prepare('SELECT coalesce(max(id), 0) FROM jobs').pluck().get()) : 0;
      const run = startAssay(runArgs(db, h.csv), h.dir);
      current = run;
      const watched = await watchRun(run, db, { afterJob, decide: trigger && runDecider(trigger) });
      const { result } = watched;
      if (result.timedOut) throw new Error(`assay run ran longer than ${RUN_TIMEOUT_MS} ms`);
      const killed = result.signal === 'SIGKILL';
      const record = { command: 'run', ms: result.ms, killed, code: result.code, at: watched.kill };
      attempts.push(record);
      if (!killed) {
        expect(result.code === 0, `assay run exited ${result.code}: ${result.stderr.slice(-500)}`);
        if (trigger) record.missed = 'the run ended before the kill point';
        ended = true;
        break;
      }
      if (!existsSync(db)) continue;
      const check = integrity(db);
      expect(
        check.integrity === 'ok' && check.foreignKeys === 0,
        `after kill ${attempt + 1}: integrity ${check.integrity}, ${check.foreignKeys} foreign key problems`,
      );
    }
    if (!ended) failures.push(`still killed after ${MAX_ATTEMPTS} attempts`);
    const got = fingerprints(db);
    for (const [name, value] of Object.entries(h.reference.run.fingerprints)) expect(got[name] === value, `${name} checksum ${got[name]}, reference ${value}`);
    const jobs = readCatalog(db, (c) => c.prepare("SELECT id, stage, status FROM jobs WHERE status NOT IN ('succeeded', 'interrupted')").all());
    expect(jobs.length === 0, `jobs left ${jobs.map((j) => `${j.id} ${j.stage} ${j.status}`).join(', ')}`);
    const check = integrity(db);
    expect(check.integrity === 'ok' && check.foreignKeys === 0, `integrity_check: ${check.integrity}, foreign_key_check: ${check.foreignKeys}`);
  } catch (error) {
    failures.push(`harness: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await stopAndRemove(current, db);
  }
  return {
    index,
    name: point.name,
    stage: 'run',
    trigger: describeRunTrigger(point.trigger),
    thenTrigger: point.then && describeRunTrigger(point.then),
    attempts,
    failures,
    ms: Date.now() - started,
  };
}
