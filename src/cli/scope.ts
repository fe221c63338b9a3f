import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import type { JobScope } from '../store/jobs.js';

export interface ScopeFlags {
  all?: boolean;
  ids?: string;
  idsFile?: string;
  stale?: boolean;
}

const HOW = 'give a scope: --all (every product), --ids a,b,c or --ids-file FILE (- for stdin), or --stale (what changed since the last run)';

/** Turns the scope flags into a scope, or a usage error that shows the ways to give one. */
export function parseScope(flags: ScopeFlags, warn: (message: string) => void): JobScope {
  const hasIds = flags.ids !== undefined || flags.idsFile !== undefined;
  if (flags.all) {
    if (hasIds) warn('--all is given, so --ids/--ids-file are ignored');
    return { kind: 'all' };
  }
  if (hasIds) {
    const ids = [...splitIds(flags.ids ?? ''), ...(flags.idsFile ? readIds(flags.idsFile) : [])];
    if (ids.length === 0) throw new UserError('scope_empty', `the id list is empty: ${HOW}`);
    return { kind: 'ids', ids: [...new Set(ids)] };
  }
  if (flags.stale) return { kind: 'stale' };
  throw new UserError('scope_missing', `no scope: ${HOW}`);
}

function splitIds(text: string): string[] {
  return text
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
}

function readIds(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new UserError('ids_file_unreadable', `${file}: cannot read the id list: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return text
    .split(/\r?\n/)
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
}
