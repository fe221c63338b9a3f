import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RUBRIC_END, RUBRIC_HEADING, RUBRIC_START, readRubricBlock, renderRubricTable, writeRubricBlock } from '../src/gold/rubric-table.js';
import { CHECKS } from '../src/gold/registry.js';

const page = readFileSync(new URL('../docs/rubric.md', import.meta.url), 'utf8');

describe('the rubric table of docs/rubric.md', () => {
  it('matches the check registry (regenerate: npm run docs)', () => {
    const block = readRubricBlock(page);
    expect(block, `docs/rubric.md needs ${RUBRIC_START} and ${RUBRIC_END}`).toBeDefined();
    expect(block).toBe(renderRubricTable());
  });

  it('lists every check', () => {
    const table = renderRubricTable();
    for (const check of CHECKS) expect(table).toContain(`\`${check.id}\``);
  });
});

describe('writing the rubric block', () => {
  it('replaces only the block between the markers', () => {
    const text = `# assay\n\nintro\n\n${RUBRIC_START}\nold\n${RUBRIC_END}\n\nmore\n`;
    expect(writeRubricBlock(text, 'new')).toBe(`# assay\n\nintro\n\n${RUBRIC_START}\nnew\n${RUBRIC_END}\n\nmore\n`);
  });
  it('adds the block under an existing heading', () =>
    expect(writeRubricBlock(`${RUBRIC_HEADING}\nafter\n`, 'new')).toBe(`${RUBRIC_HEADING}\n\n${RUBRIC_START}\nnew\n${RUBRIC_END}\nafter\n`));
  it('adds heading and block at the end otherwise', () =>
    expect(writeRubricBlock('# assay\n', 'new')).toBe(`# assay\n\n${RUBRIC_HEADING}\n\n${RUBRIC_START}\nnew\n${RUBRIC_END}\n`));
  it('renders rescaled points', () =>
    expect(renderRubricTable({ identity: 40, taxonomy: 10, content: 20, media: 10, pricing: 10, attributes: 5, seo: 5 })).toContain(
      '| identity | `identity.gtin` | `gtin` | 20 |',
    ));
});
