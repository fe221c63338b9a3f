import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT, SAMPLE } from './helpers/cli.js';
import { tempDir, type TempDir } from './helpers/tmp.js';

// The API as a user's script meets it: the built package, imported by its name from a folder
// whose node_modules/assay is the repository, run by node in a child process.

const run = promisify(execFile);

function consumer(): TempDir {
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  const tmp = tempDir('assay-api-');
  mkdirSync(tmp.path('node_modules'));
  symlinkSync(ROOT, tmp.path(join('node_modules', 'assay')), 'dir');
  return tmp;
}

async function node(tmp: TempDir, script: string): Promise<unknown> {
  const file = tmp.write('script.mjs', script);
  const { stdout } = await run(process.execPath, [file], { cwd: tmp.dir, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' }, timeout: 60_000 });
  return JSON.parse(stdout);
}

describe('the programmatic API', () => {
  it('loads, normalizes offline, analyzes, lists products and summarizes a catalog from a script', async () => {
    const tmp = consumer();
    const out = await node(
      tmp,
      `import { openCatalog } from 'assay';
const events = new Set();
const onProgress = (event) => events.add(event.type);
const catalog = openCatalog('shop.db');
try {
  const load = await catalog.load(${JSON.stringify(SAMPLE)}, { onProgress });
  const normalize = await catalog.normalize('all', { offline: true, onProgress });
  const analyze = await catalog.analyze('all', { gates: { minAvg: 0 }, onProgress });
  const products = catalog.products({ sort: 'score', limit: 3 });
  const summary = catalog.summary();
  console.log(JSON.stringify({
    loaded: load.total,
    normalized: [normalize.job.status, normalize.job.done, normalize.mapping?.columns],
    analyzed: [analyze.job.status, analyze.exitCode, analyze.gates.passed],
    products: products.map((p) => [p.id, p.stage, typeof p.score]),
    scores: products.map((p) => p.score),
    summary: [summary.products, typeof summary.avgScore],
    events: [...events].sort(),
  }));
} finally {
  catalog.close();
}
`,
    );
    const result = out as { loaded: number; scores: number[]; products: unknown[]; summary: unknown[] } & Record<string, unknown>;
    expect(result.loaded).toBeGreaterThan(3);
    expect(result.normalized).toEqual(['succeeded', result.loaded, expect.any(Number)]);
    expect(result.analyzed).toEqual(['succeeded', 0, true]);
    expect(result.products).toEqual([expect.arrayContaining(['gold', 'number']), expect.anything(), expect.anything()]);
    expect(result.scores).toEqual([...result.scores].sort((a, b) => a - b));
    expect(result.summary).toEqual([result.loaded, 'number']);
    expect(result.events).toEqual(['finished', 'progress', 'rows', 'started']);
  });

  it('throws UserError with a stable code and the exit code the CLI would end with', async () => {
    const tmp = consumer();
    const out = await node(
      tmp,
      `import { openCatalog, isUserError, ExitCode, UserError } from 'assay';
const caught = [];
for (const attempt of [() => openCatalog('missing.db', { mustExist: true }), async () => {
  const catalog = openCatalog('shop.db');
  try { await catalog.analyze('all', { weights: { identity: 500 } }); } finally { catalog.close(); }
}]) {
  try {
    await attempt();
    caught.push(null);
  } catch (error) {
    caught.push({ isUserError: isUserError(error), instance: error instanceof UserError, code: error.code, exitCode: error.exitCode, usage: ExitCode.usage });
  }
}
console.log(JSON.stringify(caught));
`,
    );
    expect(out).toEqual([
      { isUserError: true, instance: true, code: 'catalog_missing', exitCode: 2, usage: 2 },
      { isUserError: true, instance: true, code: 'bad_weights', exitCode: 2, usage: 2 },
    ]);
  });

  it('ships types a TypeScript consumer compiles against, and that refuse a wrong call', async () => {
    const tmp = consumer();
    tmp.write(
      'consumer.ts',
      `import { openCatalog, isUserError, type AssayEvent, type CatalogSummary, type ProductRecord } from 'assay';

export async function grade(path: string, file: string): Promise<{ avg: number | null; worst: ProductRecord[] }> {
  const catalog = openCatalog(path);
  try {
    const seen: AssayEvent['type'][] = [];
    await catalog.load([file], { onProgress: (event) => seen.push(event.type) });
    await catalog.normalize('stale', { offline: true });
    const run = await catalog.analyze({ ids: ['a', 'b'] }, { gates: { minScore: 50 }, signal: AbortSignal.timeout(60_000) });
    const passed: boolean = run.gates.passed;
    const summary: CatalogSummary = catalog.summary();
    return { avg: passed ? summary.avgScore : null, worst: catalog.products({ sort: 'score', limit: 5 }) };
  } catch (error) {
    if (isUserError(error)) console.error(error.code, error.exitCode);
    throw error;
  } finally {
    catalog.close();
  }
}

// @ts-expect-error a scope is 'all', 'stale' or { ids }
openCatalog('x.db').normalize('everything');
// @ts-expect-error products are filtered by known fields only
openCatalog('x.db').products({ colour: 'red' });
// @ts-expect-error the summary is an object, not a number
const wrong: number = openCatalog('x.db').summary();
`,
    );
    tmp.write(
      'tsconfig.json',
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules', '@types')],
        },
        files: ['consumer.ts'],
      }),
    );
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', tmp.dir], { cwd: tmp.dir }).catch((error: { stdout: string; code: number }) => error);
    expect(result.stdout).toBe('');
  }, 60_000);
});
