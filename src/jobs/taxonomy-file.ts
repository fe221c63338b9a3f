import { readFileSync, statSync } from 'node:fs';
import { UserError } from '../errors.js';

interface Kept {
  mtimeMs: number;
  size: number;
  text: string;
}

/** Taxonomy files read in this process, by path, with what they looked like when read. */
const kept = new Map<string, Kept>();
let reads = 0;

/**
 * The text of a taxonomy file. A run builds its settings more than once (to find a stale scope,
 * to run the job, in each worker task); the file is read once and kept while its modification
 * time and size stay the same. Worker threads are handed the text, not the path.
 */
export function readTaxonomyFile(path: string): string {
  try {
    const { mtimeMs, size } = statSync(path);
    const hit = kept.get(path);
    if (hit && hit.mtimeMs === mtimeMs && hit.size === size) return hit.text;
    const text = readFileSync(path, 'utf8');
    reads++;
    kept.set(path, { mtimeMs, size, text });
    return text;
  } catch (error) {
    throw new UserError('taxonomy_unreadable', `${path}: cannot read the taxonomy file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** How many times this process has read a taxonomy file: for the tests that prove one run reads it once. */
export function taxonomyFileReads(): number {
  return reads;
}
