import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'assay.js');
/** The sample catalog the README's quick start scores. */
export const SAMPLE = join(ROOT, 'fixtures', 'sample.csv');
/** A stack trace in a message: assay never prints one for bad input. */
export const NO_STACK = /\n\s+at /;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  /** Written to the child's stdin, which is closed after it (or at once when absent). */
  input?: string | Uint8Array;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Run under bash's `ulimit -f` with this many 1024-byte blocks, to reach the file-size limit. */
  fileSizeLimit?: number;
}

/** A CLI child process still running: send it signals, then await its result. */
export interface RunningCli {
  child: ChildProcess;
  /** Resolves when the process has exited and been reaped (so its pid is free). */
  result: Promise<CliResult>;
  /** What it has written so far. */
  output(): { stdout: string; stderr: string };
}

/**
 * Starts the built CLI as a child process in `cwd`, with a clean environment (PATH, HOME
 * and NO_COLOR=1 only, plus `env`), and returns at once, for tests that signal or kill it
 * mid-run; stdio are pipes, so not a TTY. Killed after `timeoutMs` (default 120 s).
 */
export function startCli(args: string[], options: CliOptions): RunningCli {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js')))
    throw new Error('dist/ is missing: run the tests through vitest, whose global setup builds it, or `npm run build` first');
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: options.cwd, NO_COLOR: '1', ...options.env };
  const command = [process.execPath, BIN, ...args];
  if (options.fileSizeLimit !== undefined) command.unshift('bash', '-c', `ulimit -f ${options.fileSizeLimit} && exec "$@"`, 'bash');
  const child = spawn(command[0], command.slice(1), { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const output = () => ({ stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
  const result = new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.stdout.on('data', (b: Buffer) => stdout.push(b));
    child.stderr.on('data', (b: Buffer) => stderr.push(b));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ...output() });
    });
  });
  child.stdin.on('error', () => {});
  child.stdin.end(options.input ?? '');
  return { child, result, output };
}

/** Runs the built CLI to its end (killed after `timeoutMs`, default 20 s) and collects its output. */
export function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  return startCli(args, { ...options, timeoutMs: options.timeoutMs ?? 20_000 }).result;
}

/** Parses stdout as the one JSON document `--json` promises; fails with both streams shown. */
export function jsonOf<T = unknown>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${result.code}):\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}
