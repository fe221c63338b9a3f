// How fresh a running job keeps its heartbeat while one batch waits on slow image servers:
// a normalize of three products whose images a local server answers after HOLD_MS, with a
// heartbeat every INTERVAL_MS, the job row read every POLL_MS from this process. Prints the
// oldest heartbeat seen and the gaps between beats; a job whose process cannot be identified
// is taken for dead after 6 missed beats. test/dead-jobs.test.ts checks that the beats go
// on, without timing them.
//
//   npm run build && node bench/heartbeat.mjs
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { BIN } from './lib.mjs';

const INTERVAL_MS = 100;
const HOLD_MS = 3_000;
const POLL_MS = 10;
const MISSED_BEATS = 6;

export async function runHeartbeatBench() {
  const dir = mkdtempSync(join(tmpdir(), 'assay-bench-heartbeat-'));
  const server = createServer((_req, res) => {
    setTimeout(() => res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': '0' }).end(), HOLD_MS);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  try {
    const db = join(dir, 'catalog.db');
    const csv = join(dir, 'catalog.csv');
    writeFileSync(csv, `id,title,image_link\n${[0, 1, 2].map((i) => `p${i},Product ${i},${origin}/p${i}.jpg`).join('\n')}\n`);
    const loaded = await assay(['--db', db, 'load', csv, '--quiet'], dir).result;
    if (loaded.code !== 0) throw new Error(`assay load exited ${loaded.code}: ${loaded.stderr}`);
    const run = assay(['--db', db, 'normalize', '--all', '--allow-private-hosts', '--timeout', String(HOLD_MS * 4), '--quiet'], dir, {
      ASSAY_HEARTBEAT_MS: String(INTERVAL_MS),
    });
    const ages = [];
    const beats = [];
    let exited = false;
    run.result.then(() => (exited = true));
    while (!exited) {
      const row = look(db);
      if (row?.status === 'running' && row.done === 0) {
        ages.push(Date.now() - row.beat);
        if (beats.at(-1) !== row.beat) beats.push(row.beat);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const result = await run.result;
    if (result.code !== 0) throw new Error(`assay normalize exited ${result.code}: ${result.stderr}`);
    const gaps = beats.slice(1).map((beat, i) => beat - beats[i]);
    return {
      intervalMs: INTERVAL_MS,
      batchMs: HOLD_MS,
      staleAfterMs: MISSED_BEATS * INTERVAL_MS,
      beats: beats.length,
      oldestMs: Math.max(0, ...ages),
      medianGapMs: median(gaps),
      maxGapMs: Math.max(0, ...gaps),
    };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

export function describeHeartbeat(m) {
  return `a ${m.batchMs} ms batch, beats every ${m.intervalMs} ms: ${m.beats} beats seen, oldest ${m.oldestMs} ms, gaps median ${m.medianGapMs} ms, max ${m.maxGapMs} ms (taken for dead past ${m.staleAfterMs} ms)`;
}

function assay(args, cwd, env = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return { child, result: new Promise((resolve, reject) => child.on('error', reject).on('close', (code) => resolve({ code, stderr }))) };
}

/** The job row, or undefined while it does not exist yet or the catalog is busy for a moment. */
function look(db) {
  try {
    const conn = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return conn.prepare('SELECT status, done, heartbeat_at AS beat FROM jobs ORDER BY id DESC LIMIT 1').get();
    } finally {
      conn.close();
    }
  } catch {
    return undefined;
  }
}

function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(`heartbeat: ${describeHeartbeat(await runHeartbeatBench())}`);
}
