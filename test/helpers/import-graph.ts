import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** One module of `src/` (a path relative to it, with `/`) and the modules of `src/` it imports. */
export type ImportGraph = Map<string, string[]>;

// Static imports and re-exports (`import x from`, `import type {…} from`, `export * from`, over
// several lines too), side-effect imports, and dynamic `import('…')` with a literal specifier.
const FROM = /^\s*(?:import|export)\b[^;'"`]*?\bfrom\s*['"]([^'"]+)['"]/gm;
const BARE = /^\s*import\s*['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The specifiers a module's text imports, in order of appearance. */
export function importSpecifiers(text: string): string[] {
  const found: [number, string][] = [];
  for (const pattern of [FROM, BARE, DYNAMIC]) for (const match of text.matchAll(pattern)) found.push([match.index, match[1]]);
  return found.sort((a, b) => a[0] - b[0]).map(([, specifier]) => specifier);
}

/** Relative imports resolved to files of `root` (`.js` → `.ts`); packages and node: builtins are left out. */
export function readImportGraph(root: string): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of sourceFiles(root).sort()) {
    const targets = new Set<string>();
    for (const specifier of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
      if (!existsSync(target)) throw new Error(`${relative(root, file)}: cannot resolve '${specifier}'`);
      targets.add(relative(root, target).split('\\').join('/'));
    }
    graph.set(relative(root, file).split('\\').join('/'), [...targets]);
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as the path that closes it (`a → b → a`). */
export function findCycles(graph: ImportGraph): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

/** The top-level folder of a module (`jobs` for `jobs/execute.ts`), or the file itself at the root. */
export function layerOf(module: string): string {
  const slash = module.indexOf('/');
  return slash < 0 ? module.replace(/\.ts$/, '') : module.slice(0, slash);
}

/** Modules per top-level folder, and the imports between folders with how many module edges each has. */
function layerGraph(graph: ImportGraph): { modules: Map<string, number>; edges: Map<string, number> } {
  const modules = new Map<string, number>();
  const edges = new Map<string, number>();
  for (const [from, targets] of graph) {
    modules.set(layerOf(from), (modules.get(layerOf(from)) ?? 0) + 1);
    for (const to of targets) {
      if (layerOf(from) === layerOf(to)) continue;
      const key = `${layerOf(from)} -> ${layerOf(to)}`;
      edges.set(key, (edges.get(key) ?? 0) + 1);
    }
  }
  return { modules, edges };
}

export function formatLayerGraph(graph: ImportGraph): string {
  const { modules, edges } = layerGraph(graph);
  const lines = [...modules].sort().map(([layer, n]) => `${layer}: ${n} modules`);
  lines.push(...[...edges].sort().map(([edge, n]) => `  ${edge} (${n})`));
  return lines.join('\n');
}
