#!/usr/bin/env node
// Every static check, fastest first: npm run check
// Each one runs even when an earlier one failed, so a single run shows every problem; the exit
// code is 1 when any of them failed.
import { spawnSync } from 'node:child_process';

const CHECKS = [
  ['lint', 'Biome: lint and format'],
  ['knip', 'knip: unused files, exports and dependencies'],
  ['typecheck', 'TypeScript: src'],
  ['typecheck:test', 'TypeScript: src and tests'],
];

const failed = [];
for (const [script, title] of CHECKS) {
  process.stderr.write(`\n> ${title} (npm run ${script})\n`);
  const started = Date.now();
  const { status, error } = spawnSync('npm', ['run', '--silent', script], { stdio: 'inherit', shell: process.platform === 'win32' });
  const ok = status === 0 && !error;
  process.stderr.write(`${ok ? 'ok' : 'FAILED'}: ${title} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (!ok) failed.push(script);
}
if (failed.length > 0) {
  process.stderr.write(`\ncheck failed: ${failed.map((script) => `npm run ${script}`).join(', ')}\n`);
  process.exitCode = 1;
}
