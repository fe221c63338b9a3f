import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';
import { findCycles, formatLayerGraph, importSpecifiers, layerOf, readImportGraph } from './helpers/import-graph.js';

/**
 * The layers of src/, lowest first. A module imports its own folder, or a folder of a lower
 * rank; folders of one rank do not import each other:
 * - errors and csv-cell: shared by all;
 * - files, silver and urls, then gold, then config (it reads Gold's weights and bands): the core;
 * - store: every SQL statement; ingest reads files and writes bronze through it;
 * - jobs: the batch runner over the catalog;
 * - app: stages, runs, the job lifecycle, baselines: typed options in, results and events out;
 * - report: renderers of the app's results;
 * - cli (flags, progress drawing, exit codes) and api (openCatalog) are its two users;
 * - index: the package entry.
 */
const LAYERS: string[][] = [
  ['errors', 'csv-cell'],
  ['files', 'silver', 'urls'],
  ['gold'],
  ['config'],
  ['store'],
  ['ingest'],
  ['jobs'],
  ['app'],
  ['report'],
  ['cli', 'api'],
  ['index'],
];

const rank = (layer: string) => LAYERS.findIndex((layers) => layers.includes(layer));
const graph = readImportGraph(join(ROOT, 'src'));

describe('the import graph of src/', () => {
  it('reads static, type-only, re-exported, multi-line and dynamic imports', () => {
    const text = `import type { A } from './a.js';\nimport {\n  b,\n  c,\n} from '../b.js';\nexport * from './c.js';\nimport './d.js';\nconst e = await import('./e.js');\nconst s = 'import x from "./not.js"';`;
    expect(importSpecifiers(text)).toEqual(['./a.js', '../b.js', './c.js', './d.js', './e.js']);
  });

  it('finds a loop, type-only or not', () => {
    const loop = new Map([
      ['jobs/a.ts', ['jobs/b.ts']],
      ['jobs/b.ts', ['jobs/c.ts']],
      ['jobs/c.ts', ['jobs/a.ts']],
      ['jobs/d.ts', ['jobs/a.ts']],
    ]);
    expect(findCycles(loop)).toEqual([['jobs/a.ts', 'jobs/b.ts', 'jobs/c.ts', 'jobs/a.ts']]);
    expect(
      findCycles(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('has no import loops', () => {
    const cycles = findCycles(graph).map((cycle) => cycle.join(' -> '));
    expect(cycles, `import loops:\n${cycles.join('\n')}`).toEqual([]);
  });

  it('has nothing outside cli/ import cli/', () => {
    const offenders = [...graph].flatMap(([from, targets]) =>
      layerOf(from) === 'cli' ? [] : targets.filter((to) => layerOf(to) === 'cli').map((to) => `${from} -> ${to}`),
    );
    expect(offenders).toEqual([]);
  });

  it('imports only downwards through the layers', () => {
    const unknown = [...new Set([...graph.keys()].map(layerOf))].filter((layer) => rank(layer) < 0);
    expect(unknown, 'every folder of src/ has a place in LAYERS').toEqual([]);
    const upwards = [...graph].flatMap(([from, targets]) =>
      targets.filter((to) => layerOf(from) !== layerOf(to) && rank(layerOf(to)) >= rank(layerOf(from))).map((to) => `${from} -> ${to}`),
    );
    expect(upwards, formatLayerGraph(graph)).toEqual([]);
  });
});
