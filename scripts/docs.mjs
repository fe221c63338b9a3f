#!/usr/bin/env node
// Regenerates the generated blocks of the reference pages in docs/ from the code they describe:
//   npm run build && node scripts/docs.mjs          rewrite the blocks that are out of date
//   node scripts/docs.mjs --check                    only report them (exit 1), as the tests do
import { readFile, writeFile } from 'node:fs/promises';
import { formatTable } from '../dist/ingest/formats.js';
import { renderRubricTable } from '../dist/gold/rubric-table.js';
import { aliasTable } from './docs/aliases.mjs';
import { readBlock, writeBlock } from './docs/blocks.mjs';
import { commandBlocks } from './docs/commands.mjs';
import { jsonBlocks } from './docs/json.mjs';

const PAGES = {
  'docs/commands.md': async () => commandBlocks(),
  'docs/inputs.md': async () => ({ inputs: formatTable(), aliases: await aliasTable() }),
  'docs/rubric.md': async () => ({ rubric: renderRubricTable() }),
  'docs/json.md': async () => jsonBlocks(),
};

const check = process.argv.includes('--check');
for (const [page, blocksOf] of Object.entries(PAGES)) {
  const path = new URL(`../${page}`, import.meta.url);
  const before = await readFile(path, 'utf8');
  let after = before;
  for (const [name, body] of Object.entries(await blocksOf())) {
    if (readBlock(after, name) === undefined) {
      console.error(`${page} has no ${name} block: add <!-- ${name}:start --> and <!-- ${name}:end -->`);
      process.exitCode = 1;
      continue;
    }
    if (readBlock(after, name) !== body.trim()) {
      if (check) console.error(`${page}: the ${name} block is out of date (run: npm run docs)`);
      after = writeBlock(after, name, body.trim());
    }
  }
  if (after === before) continue;
  if (check) process.exitCode = 1;
  else {
    await writeFile(path, after);
    console.error(`${page} updated`);
  }
}
