import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

// The end-to-end tests run the built CLI (bin/assay.js starts dist/), so dist/ must be built
// from the sources under test: once before the tests, and again before a watch-mode rerun
// when anything under src/ (or tsconfig.json) changed since the last build started.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

export default async function setup(project: TestProject): Promise<void> {
  let builtFrom = Date.now();
  await build();
  project.onTestsRerun(async () => {
    if (!hasChangedSince(builtFrom)) return;
    builtFrom = Date.now();
    await build();
    console.log('dist/ rebuilt: src/ changed since the last build');
  });
}

function build(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `the build of dist/ failed (tsc -p tsconfig.json exited ${code ?? signal}); the end-to-end tests need a CLI built from these sources:\n${output.trim()}`,
          ),
        );
    });
  });
}

function hasChangedSince(time: number): boolean {
  const newer = (path: string): boolean => statSync(path).mtimeMs >= time;
  const walk = (dir: string): boolean =>
    newer(dir) || readdirSync(dir, { withFileTypes: true }).some((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : newer(join(dir, entry.name))));
  return newer(join(ROOT, 'tsconfig.json')) || walk(join(ROOT, 'src'));
}
