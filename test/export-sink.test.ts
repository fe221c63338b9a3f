import { execFileSync, spawn } from 'node:child_process';
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spoolPrefix, tempPathFor } from '../src/files/stale-temp.js';
import { openSink } from '../src/report/export/sink.js';
import { scoredSample, type ScoredCatalog } from './helpers/catalog.js';
import { BIN, runCli, startCli, type CliResult, SAMPLE, NO_STACK } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

let catalog: ScoredCatalog;
let csv: string;

beforeAll(async () => {
  catalog = await scoredSample();
  const result = await catalog.assay('export', '--format', 'csv', '--out', '-');
  expect(result.code, result.stderr).toBe(0);
  csv = result.stdout;
});

afterAll(() => catalog?.remove());

/** A character device made in the test's own folder (never the system's /dev), or undefined where mknod is not allowed. */
function device(path: string, minor: number): string | undefined {
  try {
    execFileSync('mknod', [path, 'c', '1', String(minor)], { stdio: 'ignore' });
    return path;
  } catch {
    return undefined;
  }
}

describe('export to special files', () => {
  it('a character device (a null device) is written directly and stays a device', async (ctx) => {
    const nul = device(tempDir().path('null'), 3);
    if (!nul) return ctx.skip();
    const result = await catalog.assay('export', '--format', 'csv', '--out', nul);
    expect(result.code, result.stderr).toBe(0);
    expect(lstatSync(nul).isCharacterDevice()).toBe(true);
  });

  it('a FIFO is written directly: the reader gets the export and it stays a FIFO', async () => {
    const fifo = tempDir().path('pipe');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
    let read = '';
    reader.stdout.on('data', (b: Buffer) => (read += b.toString('utf8')));
    const done = new Promise<void>((resolve) => reader.on('close', () => resolve()));
    const result = await catalog.assay('export', '--format', 'csv', '--out', fifo);
    reader.kill();
    await done;
    expect(result.code, result.stderr).toBe(0);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(read).toBe(csv);
  });

  it('a symlink to /proc/self/fd/1 writes to stdout and stays a symlink', async () => {
    const link = tempDir().path('stdout-link');
    symlinkSync('/proc/self/fd/1', link);
    const result = await catalog.assay('export', '--format', 'csv', '--out', link);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(csv);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('a symlink to a regular file: the file gets the export, the link stays a link', async () => {
    const tmp = tempDir();
    const real = tmp.write('real.csv', 'old');
    symlinkSync(real, tmp.path('link.csv'));
    const result = await catalog.assay('export', '--format', 'csv', '--out', tmp.path('link.csv'));
    expect(result.code, result.stderr).toBe(0);
    expect(lstatSync(tmp.path('link.csv')).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe(csv);
  });

  it('run --export csv:- writes the export alone to stdout (the panels go to stderr)', async () => {
    const result = await catalog.assay('run', SAMPLE, '--offline', '--export', 'csv:-');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(csv);
  });

  it('run --json --export json:- is refused (exit 2): stdout holds one document', async () => {
    const result = await catalog.assay('run', SAMPLE, '--offline', '--json', '--export', 'json:-');
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^assay: --export json:- .*--json.*\n$/);
  });
});

describe('output that cannot be written to the end', () => {
  it('load --rejects on a full device (ENOSPC): exit 3 saying so, the good rows loaded', async (ctx) => {
    const tmp = tempDir();
    const full = device(tmp.path('full'), 7);
    if (!full) return ctx.skip();
    const input = tmp.write('in.csv', 'id,title\nA1,Good\nA2,"never closed\n');
    const result = await runCli(['--db', 'c.db', 'load', input, '--rejects', full], { cwd: tmp.dir });
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(
      /--rejects .*full: the rejected rows could not be written: the disk is full or a file-size limit was reached \(ENOSPC\); the other rows are loaded/,
    );
    expect(result.stderr).not.toMatch(NO_STACK);
    const loaded = new Database(tmp.path('c.db'), { readonly: true });
    expect(loaded.prepare('SELECT count(*) FROM products').pluck().get()).toBe(1);
    loaded.close();
  });

  it('a full device (ENOSPC): exit 3 saying the disk is full', async (ctx) => {
    const full = device(tempDir().path('full'), 7);
    if (!full) return ctx.skip();
    const result = await catalog.assay('export', '--format', 'csv', '--out', full);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/^assay: cannot write .*full: the disk is full or a file-size limit was reached \(ENOSPC\)/);
    expect(result.stderr).not.toMatch(/internal error|bug/);
    expect(result.stderr).not.toMatch(NO_STACK);
  });

  it('--out - with stdout on a full device: exit 3 saying so, no stack trace', async (ctx) => {
    const full = device(tempDir().path('full'), 7);
    if (!full) return ctx.skip();
    const fd = openSync(full, 'w');
    const child = spawn(process.execPath, [BIN, '--db', catalog.db, 'export', '--format', 'html', '--out', '-'], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
      stdio: ['ignore', fd, 'pipe'],
    });
    closeSync(fd);
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(3);
    expect(stderr).toMatch(/^assay: cannot write stdout: the disk is full or a file-size limit was reached \(ENOSPC\)/);
    expect(stderr).not.toMatch(NO_STACK);
  });

  it('a file-size limit (ulimit -f, EFBIG): exit 3 saying so, no file and no temporary file left', async () => {
    const tmp = tempDir();
    // Held open here, the catalog's -shm file exists at full size, so only the export (19 KB of HTML) passes the 8 KB limit.
    const held = new Database(catalog.db);
    held.prepare('SELECT count(*) FROM products').get();
    let result: CliResult;
    try {
      result = await startCli(['--db', catalog.db, 'export', '--format', 'html', '--out', tmp.path('big.html')], { cwd: tmp.dir, fileSizeLimit: 8 }).result;
    } finally {
      held.close();
    }
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/^assay: cannot write .*big\.html: the disk is full or a file-size limit was reached \(EFBIG\)/);
    expect(result.stderr).not.toMatch(NO_STACK);
    expect(readdirSync(tmp.dir)).toEqual([]);
  });
});

describe('temporary files of killed exports', () => {
  it('are removed the next time assay writes to that folder: only its own pattern, only dead pids', async () => {
    const tmp = tempDir();
    const dead = spawn(process.execPath, ['-e', '']);
    const deadPid = await new Promise<number>((resolve) => dead.on('exit', () => resolve(dead.pid!)));
    const stale = tempPathFor(tmp.path('old.csv'), deadPid);
    const live = tempPathFor(tmp.path('busy.csv'), process.pid);
    writeFileSync(stale, 'half an export');
    writeFileSync(live, 'an export in progress');
    const others = ['.old.csv.12345.tmp', 'notes.assay-1.tmp', '.x.assay-abc.tmp'];
    for (const name of others) tmp.write(name, 'not ours');
    symlinkSync(tmp.path('notes.assay-1.tmp'), tempPathFor(tmp.path('link.csv'), deadPid));
    const result = await catalog.assay('export', '--format', 'csv', '--out', tmp.path('new.csv'));
    expect(result.code, result.stderr).toBe(0);
    expect(readdirSync(tmp.dir).sort()).toEqual(
      ['new.csv', live, tempPathFor(tmp.path('link.csv'), deadPid), ...others].map((p) => p.split('/').pop()!).sort(),
    );
  });

  it('spool folders of killed junit exports are removed from the temporary folder, those of running ones kept', async () => {
    const tmp = tempDir();
    const dead = spawn(process.execPath, ['-e', '']);
    const deadPid = await new Promise<number>((resolve) => dead.on('exit', () => resolve(dead.pid!)));
    const stale = `${spoolPrefix(tmp.dir).replace(`-${process.pid}-`, `-${deadPid}-`)}Ab12Cd`;
    const live = `${spoolPrefix(tmp.dir)}Xy34Zw`;
    for (const folder of [stale, live]) {
      mkdirSync(folder);
      writeFileSync(join(folder, 'part'), '<testcase/>');
    }
    const result = await runCli(['--db', catalog.db, 'export', '--format', 'junit', '--out', tmp.path('a.xml')], { cwd: tmp.dir, env: { TMPDIR: tmp.dir } });
    expect(result.code, result.stderr).toBe(0);
    expect(readdirSync(tmp.dir).sort()).toEqual(['a.xml', live.split('/').pop()!]);
  });
});

describe('openSink', () => {
  it('never writes through a link planted at its temporary name', async () => {
    const tmp = tempDir();
    const victim = tmp.write('victim.txt', 'keep me');
    const out = tmp.path('out.csv');
    symlinkSync(victim, tempPathFor(out));
    const sink = await openSink(out);
    await sink.write('a,b\n');
    await sink.close();
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    expect(readFileSync(out, 'utf8')).toBe('a,b\n');
    expect(readdirSync(tmp.dir).sort()).toEqual(['out.csv', 'victim.txt']);
  });
});
