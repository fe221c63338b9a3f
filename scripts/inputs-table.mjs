#!/usr/bin/env node
// Rewrites the input-format table of README.md from the reader registry: npm run build && node scripts/inputs-table.mjs
// With --check it only reports whether the README is current (exit 1 when it is not).
import { INPUTS_END, INPUTS_START, formatTable } from '../dist/ingest/formats.js';
import { updateReadmeBlock } from './readme-block.mjs';

await updateReadmeBlock('input table', 'inputs-table.mjs', (text) => {
  const start = text.indexOf(INPUTS_START);
  const end = text.indexOf(INPUTS_END);
  if (start < 0 || end < start) {
    console.error(`README.md has no ${INPUTS_START} ... ${INPUTS_END} block`);
    process.exit(1);
  }
  return `${text.slice(0, start + INPUTS_START.length)}\n${formatTable()}\n${text.slice(end)}`;
});
