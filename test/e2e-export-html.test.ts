import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSummary } from '../src/gold/summary.js';
import { HTML_PAGE_ROWS } from '../src/report/export/html.js';
import { writeExport } from '../src/report/export/index.js';
import { scoredSample, type ScoredCatalog } from './helpers/catalog.js';
import { findChromium, launchChromium, type Browser, type Page } from './helpers/chromium.js';
import { scored } from './helpers/export.js';

const CHROMIUM = findChromium();
const TITLE = CHROMIUM
  ? 'the html export in headless Chromium'
  : 'the html export in headless Chromium: SKIPPED, no chromium binary on PATH or in $CHROMIUM (apt-get install chromium; .ci/run installs it)';

if (!CHROMIUM) console.warn(TITLE);

const SCORES = `[...document.querySelectorAll('#products tbody tr')].map((tr) => Number(tr.cells[0].textContent))`;

describe.skipIf(!CHROMIUM)(TITLE, () => {
  let catalog: ScoredCatalog;
  let browser: Browser;
  let url: string;
  let page: Page;

  beforeAll(async () => {
    catalog = await scoredSample();
    const out = join(catalog.dir, 'report.html');
    const result = await catalog.assay('export', '--format', 'html', '--out', out);
    expect(result.code, result.stderr).toBe(0);
    url = pathToFileURL(out).href;
    browser = await launchChromium(CHROMIUM!);
    page = await browser.open(url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    catalog?.remove();
  });

  it('opens without console errors, the chart and the table there', async () => {
    expect(page.errors).toEqual([]);
    expect(await page.evaluate(`document.querySelectorAll('svg#distribution rect').length`)).toBe(4);
    expect(await page.evaluate(`document.querySelectorAll('#products thead th[scope=col]').length`)).toBe(10);
    expect(await page.evaluate(`document.querySelectorAll('#products tbody tr').length`)).toBe(12);
    expect(await page.evaluate(`document.querySelector('label[for=filter]') !== null`)).toBe(true);
  });

  it('sorts by score ascending on the first click, descending on the second', async () => {
    const before = await page.evaluate<number[]>(SCORES);
    await page.click('#products th[data-key=score] button');
    const ascending = await page.evaluate<number[]>(SCORES);
    expect(ascending).toEqual([...before].sort((a, b) => a - b));
    expect(await page.evaluate(`document.querySelector('#products th[data-key=score]').getAttribute('aria-sort')`)).toBe('ascending');
    await page.click('#products th[data-key=score] button');
    expect(await page.evaluate<number[]>(SCORES)).toEqual([...before].sort((a, b) => b - a));
    expect(await page.evaluate(`document.querySelector('#products th[data-key=score]').getAttribute('aria-sort')`)).toBe('descending');
  });

  it('filters rows as the user types', async () => {
    await page.type('#filter', 'northpeak');
    const brands = await page.evaluate<string[]>(`[...document.querySelectorAll('#products tbody tr')].map((tr) => tr.cells[4].textContent)`);
    expect(brands.length).toBeGreaterThan(0);
    expect(brands.length).toBeLessThan(12);
    expect(brands.every((b) => b.toLowerCase() === 'northpeak')).toBe(true);
    expect(await page.evaluate(`document.getElementById('count').textContent`)).toBe(
      `Showing ${brands.length} of ${brands.length} products matching the filter (12 in all)`,
    );
    expect(page.errors).toEqual([]);
  });

  it('reads without JavaScript: the rows are rendered server-side', async () => {
    const plain = await browser.open(url, { javascript: false });
    expect(await plain.evaluate(`document.querySelectorAll('#products tbody tr').length`)).toBe(12);
    expect(plain.errors).toEqual([]);
  });

  it(`shows ${HTML_PAGE_ROWS} rows at a time, and sorts all of them`, async () => {
    const total = HTML_PAGE_ROWS * 2 + 10;
    const out = join(catalog.dir, 'many.html');
    const records = Array.from({ length: total }, (_, i) => scored(`p${i}`, { score: i === total - 1 ? 1 : 50 + (i % 50) }));
    await writeExport('html', out, records, createSummary().finish(), { threshold: 65, exportedAt: new Date().toISOString() });
    const many = await browser.open(pathToFileURL(out).href);
    const rowCount = `document.querySelectorAll('#products tbody tr').length`;
    expect(await many.evaluate(rowCount)).toBe(HTML_PAGE_ROWS);
    await many.click('#products th[data-key=score] button');
    expect(await many.evaluate(`${SCORES}[0]`)).toBe(1);
    await many.click('#more');
    await many.click('#more');
    expect(await many.evaluate(rowCount)).toBe(total);
    expect(await many.evaluate(`document.getElementById('more').hidden`)).toBe(true);
    expect(many.errors).toEqual([]);
  });
});
