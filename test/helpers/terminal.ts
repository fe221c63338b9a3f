import { spawn, spawnSync } from 'node:child_process';
import { BIN } from './cli.js';

/** util-linux `script`, which gives a child a pseudo-terminal; absent on some systems. */
export const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

export interface TerminalResult {
  code: number | null;
  /** Everything the terminal showed (stdout and stderr, with CR LF line ends). */
  screen: string;
}

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

/**
 * Runs the built CLI on a pseudo-terminal, as a person at a terminal would, with a clean environment
 * (PATH, HOME, TERM, plus `env`). `stdoutTo` redirects stdout to that file, leaving stderr on the terminal.
 * `size` gives the terminal columns and rows; without it the terminal has none (0 by 0), as under cron's `script`.
 */
export function runInTerminal(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; stdoutTo?: string; timeoutMs?: number; size?: { columns: number; rows: number } },
): Promise<TerminalResult> {
  const stty = options.size ? `stty cols ${options.size.columns} rows ${options.size.rows} && ` : '';
  const command = stty + [process.execPath, BIN, ...args].map(quote).join(' ') + (options.stdoutTo ? ` > ${quote(options.stdoutTo)}` : '');
  const env = { PATH: process.env.PATH ?? '', HOME: options.cwd, TERM: 'xterm-256color', SHELL: '/bin/sh', ...options.env };
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.stdout.on('data', (b: Buffer) => chunks.push(b));
    child.stderr.on('data', (b: Buffer) => chunks.push(b));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, screen: Buffer.concat(chunks).toString('utf8') });
    });
  });
}
