#!/usr/bin/env node
// Rewrites the rubric block of README.md from the check registry: npm run build && node scripts/rubric-table.mjs
// With --check it only reports whether the README is current (exit 1 when it is not).
import { readFile, writeFile } from 'node:fs/promises';
import { renderRubricTable, writeRubricBlock } from '../dist/gold/rubric-table.js';

const path = new URL('../README.md', import.meta.url);
const before = await readFile(path, 'utf8').catch((error) => (error.code === 'ENOENT' ? '' : Promise.reject(error)));
const after = writeRubricBlock(before, renderRubricTable());
if (process.argv.includes('--check')) {
  if (after !== before) {
    console.error('README.md rubric table is out of date: run node scripts/rubric-table.mjs');
    process.exitCode = 1;
  }
} else if (after !== before) {
  await writeFile(path, after);
  console.error('README.md rubric table updated');
}
