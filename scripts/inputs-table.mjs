#!/usr/bin/env node
// Rewrites the input-format table of README.md from the reader registry: npm run build && node scripts/inputs-table.mjs
// With --check it only reports whether the README is current (exit 1 when it is not).
import { readFile, writeFile } from 'node:fs/promises';
import { INPUTS_END, INPUTS_START, formatTable } from '../dist/ingest/formats.js';

const path = new URL('../README.md', import.meta.url);
const before = await readFile(path, 'utf8');
const start = before.indexOf(INPUTS_START);
const end = before.indexOf(INPUTS_END);
if (start < 0 || end < start) {
  console.error(`README.md has no ${INPUTS_START} ... ${INPUTS_END} block`);
  process.exit(1);
}
const after = `${before.slice(0, start + INPUTS_START.length)}\n${formatTable()}\n${before.slice(end)}`;
if (process.argv.includes('--check')) {
  if (after !== before) {
    console.error('README.md input table is out of date: run node scripts/inputs-table.mjs');
    process.exitCode = 1;
  }
} else if (after !== before) {
  await writeFile(path, after);
  console.error('README.md input table updated');
}
