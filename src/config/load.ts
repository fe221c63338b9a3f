import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { UserError } from '../errors.js';
import { ConfigSchema, type Config } from './schema.js';

export const CONFIG_FILE = 'assay.config.json';

export interface LoadedConfig {
  config: Config;
  /** Where it came from; undefined when no file was found and defaults apply. */
  path?: string;
}

/** Reads and validates the config file: `--config PATH`, else ./assay.config.json when present. */
export function loadConfig(explicit: string | undefined, cwd = process.cwd()): LoadedConfig {
  const path = explicit ?? resolve(cwd, CONFIG_FILE);
  if (!existsSync(path)) {
    if (explicit) throw new UserError('config_missing', `${explicit}: no such config file`);
    return { config: {} };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UserError('config_unreadable', `${path}: not valid JSON: ${(error as Error).message}`);
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) throw new UserError('config_invalid', `${path}: ${parsed.error.issues.length} problem(s):\n${formatIssues(parsed.error.issues, raw)}`);
  return { config: parsed.data, path };
}

/** One line per issue: the key path, the value found, and what was expected. */
export function formatIssues(issues: z.core.$ZodIssue[], raw: unknown): string {
  return issues
    .map((issue) => {
      const path = issue.path.join('.') || '(top level)';
      if (issue.code === 'unrecognized_keys') return `  ${path === '(top level)' ? '' : `${path}: `}unknown key(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
      const value = valueAt(raw, issue.path as PropertyKey[]);
      const got = value === undefined ? 'nothing' : JSON.stringify(value);
      return `  ${path}: ${issue.message.replace(/^Invalid input: /, '')}, got ${got}`;
    })
    .join('\n');
}

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  let at = raw;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}
