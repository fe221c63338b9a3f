import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Db } from '../store/catalog.js';
import { LATEST_VERSION } from '../store/migrations.js';
import { bronzeVersion, readLoadMark, type FileMark, type LoadMark } from '../store/load-mark.js';
import { isUrl } from '../urls/download.js';
import type { ReadOptions } from './batches.js';
import { DEFAULT_REPEAT_POLICY } from './repeats.js';

const CHUNK = 1024 * 1024;
const ASSAY_VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/**
 * A load can stand for another one only when both read the same way: the same assay and catalog
 * schema, and the same value of every option that changes what is read or what is kept.
 */
export function readingOf(options: ReadOptions & { strict?: boolean }): string {
  const { format, encoding, delimiter, sheet, idColumn, mappedId, mappedTitle, maxFieldBytes, onRepeat, strict } = options;
  return JSON.stringify([
    ASSAY_VERSION,
    LATEST_VERSION,
    format ?? null,
    encoding ?? null,
    delimiter ?? null,
    sheet ?? null,
    idColumn ?? null,
    mappedId ?? null,
    mappedTitle ?? null,
    maxFieldBytes ?? null,
    onRepeat ?? DEFAULT_REPEAT_POLICY,
    strict === true,
  ]);
}

/** Files on disk only: stdin cannot be read twice, and a feed's server says itself whether it changed. */
export function canMark(files: string[]): boolean {
  return files.length > 0 && files.every((file) => file !== '-' && !isUrl(file));
}

export interface FileState {
  file: string;
  size: number;
  mtimeMs: number;
}

export async function statFiles(files: string[]): Promise<FileState[] | undefined> {
  try {
    return await Promise.all(
      files.map(async (file) => {
        const found = await stat(file);
        return { file, size: found.size, mtimeMs: found.mtimeMs };
      }),
    );
  } catch {
    return undefined;
  }
}

export function isSameState(a: FileState[], b: FileState[]): boolean {
  return a.length === b.length && a.every((s, i) => s.file === b[i].file && s.size === b[i].size && s.mtimeMs === b[i].mtimeMs);
}

/** The SHA-256 of a file's bytes; the reads leave the thread free between chunks. */
async function hashFile(file: string): Promise<string> {
  const handle = await open(file);
  try {
    const digest = createHash('sha256');
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK);
      if (bytesRead === 0) break;
      digest.update(buffer.subarray(0, bytesRead));
    }
    return digest.digest('base64url');
  } finally {
    await handle.close();
  }
}

export async function markFiles(states: FileState[], hashes?: string[]): Promise<FileMark[]> {
  const sha256 = hashes ?? (await Promise.all(states.map((s) => hashFile(s.file))));
  return states.map((s, i) => ({ ...s, sha256: sha256[i] }));
}

/**
 * The last load, when reading these files again can only give what it gave: the catalog's bronze
 * is as that load left it, it read the same files the same way, and their bytes are the same
 * (sizes are compared first, so a changed file is mostly told without reading it).
 */
export async function findSameLoad(db: Db, states: FileState[], reading: string): Promise<{ mark?: LoadMark; hashes?: string[] }> {
  const mark = readLoadMark(db);
  if (!mark || mark.reading !== reading || mark.files.length !== states.length) return {};
  if (!mark.files.every((f, i) => f.file === states[i].file && f.size === states[i].size)) return {};
  const hashes = await Promise.all(states.map((s) => hashFile(s.file)));
  // A load that started meanwhile may have written while the files were read.
  const isSame = hashes.every((h, i) => h === mark.files[i].sha256) && bronzeVersion(db) === mark.version;
  return { mark: isSame ? mark : undefined, hashes };
}
