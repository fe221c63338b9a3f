#!/usr/bin/env node
// Rewrites the rubric block of README.md from the check registry: npm run build && node scripts/rubric-table.mjs
// With --check it only reports whether the README is current (exit 1 when it is not).
import { renderRubricTable, writeRubricBlock } from '../dist/gold/rubric-table.js';
import { updateReadmeBlock } from './readme-block.mjs';

await updateReadmeBlock('rubric table', 'rubric-table.mjs', (text) => writeRubricBlock(text, renderRubricTable()));
