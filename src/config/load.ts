import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { UserError } from '../errors.js';
import { checkUserBrands } from '../silver/brands.js';
import { checkCategoryRules } from '../silver/categories.js';
import { checkMappingRule } from '../silver/mapping-rules.js';
import { markNonFinite, NonFiniteNumber, reviveNonFinite } from './non-finite.js';
import { ConfigSchema, type Config } from './schema.js';
import { closest, keysAt } from './suggest.js';

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
  const raw = readConfigFile(path);
  const problems = validateConfig(raw);
  if (problems.length > 0) throw new UserError('config_invalid', `${path}: ${problems.length} problem(s):\n${problems.join('\n')}`);
  return { config: ConfigSchema.parse(raw), path };
}

/** The config file's JSON (comments allowed), not yet validated. */
export function readConfigFile(path: string): unknown {
  if (!existsSync(path)) throw new UserError('config_missing', `${path}: no such config file`);
  try {
    return JSON.parse(markNonFinite(stripComments(readFileSync(path, 'utf8'))), reviveNonFinite);
  } catch (error) {
    throw new UserError('config_unreadable', `${path}: not valid JSON: ${(error as Error).message}`);
  }
}

/** Every problem of a parsed config file, one line each, naming the key path. */
export function validateConfig(raw: unknown): string[] {
  const parsed = ConfigSchema.safeParse(raw);
  const problems = parsed.success ? [] : formatIssues(parsed.error.issues, raw).split('\n');
  // What normalize would refuse later: a rule's target field or transform.
  (parsed.success ? (parsed.data.mapping ?? []) : []).forEach((rule, i) => {
    const checked = checkMappingRule(rule);
    if ('code' in checked) problems.push(`  mapping.${i}: ${checked.message}`);
  });
  const brands = parsed.success ? (parsed.data.brands?.list ?? []) : [];
  for (const problem of checkUserBrands(brands.map((b) => (typeof b === 'string' ? { name: b } : b)))) {
    const at = problem.alias !== undefined ? `.aliases.${problem.alias}` : typeof brands[problem.entry] === 'string' ? '' : '.name';
    problems.push(`  brands.list.${problem.entry}${at}: ${problem.message}`);
  }
  (parsed.success ? (parsed.data.notDuplicates ?? []) : []).forEach(([a, b], i) => {
    if (a === b) problems.push(`  notDuplicates.${i}: '${a}' twice: a pair names two different products`);
  });
  for (const problem of checkCategoryRules(parsed.success ? (parsed.data.categories?.map ?? []) : []))
    problems.push(`  categories.map.${problem.rule}: ${problem.message}`);
  return problems;
}

/** One line per issue: the key path, the value found, and what was expected. */
function formatIssues(issues: z.core.$ZodIssue[], raw: unknown): string {
  return issues
    .map((issue) => {
      const path = issue.path.join('.') || '(top level)';
      if (issue.code === 'unrecognized_keys') {
        const known = keysAt(ConfigSchema, issue.path as PropertyKey[]);
        return issue.keys
          .map((key) => {
            const hint = closest(key, known);
            return `  ${path === '(top level)' ? key : `${path}.${key}`}: unknown key${hint ? ` (did you mean '${hint}'?)` : `; allowed: ${known.join(', ')}`}`;
          })
          .join('\n');
      }
      // A rule over several keys (weights summing to 100, bands falling) says itself what it found.
      if (issue.code === 'custom') return `  ${path}: ${issue.message}`;
      const value = valueAt(raw, issue.path as PropertyKey[]);
      if (value instanceof NonFiniteNumber) return `  ${path}: must be a finite number, got ${value.written}`;
      const got = value === undefined ? 'nothing' : JSON.stringify(value);
      const expected = issue.code === 'invalid_type' ? `expected ${article(issue.expected)}` : issue.message.replace(/^Invalid input: /, '');
      return `  ${path}: ${expected}, got ${got}`;
    })
    .join('\n');
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  let at = raw;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

/** Drops line and block comments outside strings, so the config file may carry notes (JSONC). */
function stripComments(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      out += text.slice(start, i + 1);
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      out += text.slice(i, end === -1 ? text.length : end + 2).replace(/[^\n]/g, ' ');
      i = end === -1 ? text.length : end + 1;
    } else out += c;
  }
  return out;
}
