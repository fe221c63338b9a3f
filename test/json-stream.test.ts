import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

// A JSON document of about 7 MB written by the built writer to a pipe that this process reads
// 64 KB at a time with a pause between reads, so the writer finds the pipe full for seconds.
const ITEMS = 60_000;
const PAUSE_MS = 30;
// The child's own CPU time, start-up included, is well under this when it sleeps while the pipe
// is full; spinning on EAGAIN burns about as much CPU as the reader's pauses last (over 3 s).
const CPU_BOUND_MS = 1_000;

const CHILD = `
import { writeJsonDocument } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'report', 'json-stream.js')).href)};
// As in the CLI: once process.stdout is opened on a pipe, node makes the pipe non-blocking.
process.stdout;
const items = function* () {
  for (let i = 0; i < ${ITEMS}; i++) yield JSON.stringify({ i, text: 'x'.repeat(96) });
};
writeJsonDocument({ schemaVersion: 1 }, 'items', items(), { count: ${ITEMS} });
const { user, system } = process.cpuUsage();
process.stderr.write(JSON.stringify({ cpuMs: (user + system) / 1000 }));
`;

interface Slow {
  stdout: string;
  stderr: string;
  code: number | null;
  reads: number;
}

function readSlowly(): Promise<Slow> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], { stdio: ['ignore', 'pipe', 'pipe'] });
    // A safety bound on a hung child, not a timing check.
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const chunks: Buffer[] = [];
    let stderr = '';
    let reads = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      reads++;
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), PAUSE_MS);
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(chunks).toString('utf8'), stderr, code, reads });
    });
  });
}

describe('a JSON document on a pipe its reader drains slowly', () => {
  it('arrives whole, and the writer sleeps rather than spins while the pipe is full', async () => {
    const run = await readSlowly();
    expect(run.code, run.stderr).toBe(0);
    const document = JSON.parse(run.stdout) as { schemaVersion: number; items: Array<{ i: number }>; count: number };
    expect(document.schemaVersion).toBe(1);
    expect(document.count).toBe(ITEMS);
    expect(document.items).toHaveLength(ITEMS);
    expect(document.items.every((item, i) => item.i === i)).toBe(true);
    // The reader took the document in many small reads, so the pipe was full most of the time.
    expect(run.reads).toBeGreaterThan(50);
    const { cpuMs } = JSON.parse(run.stderr) as { cpuMs: number };
    expect(cpuMs).toBeLessThan(CPU_BOUND_MS);
  }, 60_000);
});
