import { createPaint } from '../report/color.js';
import type { Output } from '../report/output.js';
import { visibleLines } from '../report/visible.js';
import { resolveDbPath } from '../store/catalog.js';

export interface GlobalFlags {
  db?: string;
  config?: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  color?: boolean;
}

/** What every command needs to know about how it was called, and the output its renderers write to. */
export interface CliContext extends Output {
  dbPath: string;
  configPath?: string;
}

const ANSI_SGR = /\u001b\[[0-9;]*m/g;

let stdoutGone = false;

/**
 * stdout's reader went away (`| head`): what is left to print is dropped from now on. The command
 * itself goes on, so a job in hand runs to its end and the exit code stays the command's.
 */
export function dropStdout(): void {
  stdoutGone = true;
}

export function createContext(flags: GlobalFlags, env: NodeJS.ProcessEnv = process.env): CliContext {
  const isTTY = Boolean(process.stderr.isTTY);
  // A terminal nobody gave a size (a pseudo-terminal under `script` or `expect`) has 0 columns:
  // ora then redraws its spinner forever. It gets the plain progress lines instead.
  const sized = (process.stderr.columns ?? 0) > 0;
  const json = Boolean(flags.json);
  const quiet = Boolean(flags.quiet);
  const color = flags.color !== false && !('NO_COLOR' in env && env.NO_COLOR !== '') && isTTY && env.TERM !== 'dumb';
  const paint = createPaint(color);
  // Colour follows stderr, where people read; data piped or redirected from stdout stays plain.
  const plainOut = paint.enabled && !process.stdout.isTTY;
  return {
    dbPath: resolveDbPath(flags.db, env),
    configPath: flags.config,
    json,
    quiet,
    verbose: Boolean(flags.verbose),
    interactive: isTTY && sized && !quiet && env.CI !== 'true',
    paint,
    out: (text) => {
      if (stdoutGone) return;
      const data = plainOut ? text.replace(ANSI_SGR, '') : text;
      process.stdout.write(data.endsWith('\n') ? data : `${data}\n`);
    },
    log: (text) => {
      if (!quiet) process.stderr.write(`${text}\n`);
    },
    // Warnings name files, columns and values: they are shown like data.
    warn: (text) => process.stderr.write(`${paint.yellow('warning:')} ${visibleLines(text)}\n`),
  };
}
