// Catalogs prepared for the stage cases: loaded, normalized and analyzed copies of a
// generated catalog, made once per build and kept under bench/out. A catalog made by an
// older build would time today's stages on yesterday's data, so each file name carries a
// fingerprint of dist/ and the lockfile, and files of other builds are removed.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { catalog, copyDb, count, measureAssay, OUT, removeDb, renameDb, ROOT } from './lib.mjs';

const LEVELS = ['loaded', 'normalized', 'analyzed'];
const STEPS = {
  loaded: (file) => ['load', file],
  normalized: () => ['normalize', '--all', '--offline'],
  analyzed: () => ['analyze', '--all'],
};

let fingerprint;

/** A short hash of every file under dist/ (path and content) and of package-lock.json. */
export function buildFingerprint() {
  if (fingerprint) return fingerprint;
  const hash = createHash('sha256');
  const dist = join(ROOT, 'dist');
  const files = readdirSync(dist, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
  for (const file of [...files, join(ROOT, 'package-lock.json')]) {
    if (!existsSync(file)) continue;
    hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  fingerprint = hash.digest('hex').slice(0, 12);
  return fingerprint;
}

/** The catalog of `rows` products prepared up to `level` (loaded, normalized or analyzed); not timed. */
export async function prepared(rows, level) {
  const file = await catalog(rows);
  const build = buildFingerprint();
  const path = (name) => join(OUT, `stage-${rows}-${build}-${name}.db`);
  if (existsSync(path(level))) return path(level);
  removeOtherBuilds(rows, build);
  let from;
  for (const name of LEVELS.slice(0, LEVELS.indexOf(level) + 1)) {
    if (existsSync(path(name))) {
      from = path(name);
      continue;
    }
    process.stderr.write(`preparing the ${name} catalog of ${count(rows)} products (build ${build}) ...\n`);
    // Made under a temporary name, so a preparation cut short is never taken for a finished one.
    const partial = `${path(name)}.partial-${process.pid}`;
    if (from) copyDb(from, partial);
    else removeDb(partial);
    try {
      await measureAssay([...STEPS[name](file), '--db', partial, '-q']);
    } catch (error) {
      removeDb(partial);
      throw error;
    }
    renameDb(partial, path(name));
    from = path(name);
  }
  return path(level);
}

function removeOtherBuilds(rows, build) {
  const isOther = new RegExp(`^stage-${rows}-(?!${build}-)`);
  for (const name of readdirSync(OUT)) if (isOther.test(name)) rmSync(join(OUT, name), { force: true });
}
