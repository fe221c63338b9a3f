import type { CatalogSummary } from '../../gold/summary.js';
import { CSS, SCRIPT } from './html-assets.js';
import { distributionChart, escapeHtml, gapTable, scriptJson, stageTable, summaryList } from './html-parts.js';
import { points, scored, type ExportRecord } from './record.js';
import type { Sink } from './sink.js';

/** Products embedded in the page; beyond this a browser table gets sluggish and CSV is the better tool. */
export const HTML_MAX_PRODUCTS = 10_000;
/** Rows shown at a time (a browser lays out thousands of table rows slowly), rendered server-side too for readers without JavaScript. */
export const HTML_PAGE_ROWS = 500;

export interface HtmlOptions {
  exportedAt: string;
}

interface TableRow {
  score: number | null;
  band: string | null;
  id: string;
  title: string | null;
  brand: string | null;
  stage: string;
  feedReady: boolean | null;
  gaps: string;
  dup: string | null;
  broken: number | null;
}

const COLUMNS: { key: keyof TableRow; label: string; numeric?: boolean }[] = [
  { key: 'score', label: 'Score', numeric: true },
  { key: 'band', label: 'Band' },
  { key: 'id', label: 'ID' },
  { key: 'title', label: 'Title' },
  { key: 'brand', label: 'Brand' },
  { key: 'stage', label: 'Stage' },
  { key: 'feedReady', label: 'Feed-ready' },
  { key: 'gaps', label: 'Gaps (points lost)' },
  { key: 'dup', label: 'Duplicate of' },
  { key: 'broken', label: 'Broken URLs', numeric: true },
];

function tableRow(record: ExportRecord): TableRow {
  const gold = scored(record);
  return {
    score: gold?.score ?? null,
    band: gold?.band ?? null,
    id: record.id,
    title: record.title,
    brand: record.brand,
    stage: record.stage,
    feedReady: gold ? gold.feedReady : null,
    gaps: gold ? gold.gaps.map((gap) => `${gap.field} -${points(gap.pointsLost)}`).join('; ') : '',
    dup: record.silver?.duplicateOf ?? null,
    broken: record.silver ? record.silver.brokenUrls.length : null,
  };
}

function display(key: keyof TableRow, value: TableRow[keyof TableRow]): string {
  if (key === 'band' && value === null) return 'not scored';
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

function staticRow(row: TableRow): string {
  const cells = COLUMNS.map(({ key, numeric }) => {
    const cls = numeric ? ' class="num"' : key === 'band' && row.band ? ` class="band-${row.band}"` : '';
    return `<td${cls}>${escapeHtml(display(key, row[key]))}</td>`;
  });
  return `<tr>${cells.join('')}</tr>`;
}

/** One self-contained page; the product table keeps at most HTML_MAX_PRODUCTS rows in memory. */
export async function writeHtml(records: Iterable<ExportRecord>, summary: CatalogSummary, sink: Sink, options: HtmlOptions): Promise<number> {
  const rows: TableRow[] = [];
  let count = 0;
  for (const record of records) {
    if (rows.length < HTML_MAX_PRODUCTS) rows.push(tableRow(record));
    count++;
  }
  const left = count - rows.length;
  await sink.write(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<link rel="icon" href="data:,">
<title>assay catalog report</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>assay catalog report</h1>
<p class="muted">Exported ${escapeHtml(options.exportedAt)}. The summary covers every scored product in the catalog; the table lists ${left > 0 ? `${rows.length.toLocaleString('en-US')} of the ${count.toLocaleString('en-US')} matching products` : `the ${count.toLocaleString('en-US')} exported products`}.</p></header>
<main>
<section aria-labelledby="h-summary"><h2 id="h-summary">Summary</h2>${summaryList(summary)}</section>
<div class="columns">
<section aria-labelledby="h-distribution"><h2 id="h-distribution">Score distribution</h2>${distributionChart(summary)}</section>
<section aria-labelledby="h-stages"><h2 id="h-stages">Stage averages</h2>${stageTable(summary)}</section>
</div>
<section aria-labelledby="h-gaps"><h2 id="h-gaps">Top gaps</h2>${gapTable(summary)}</section>
<section aria-labelledby="h-products"><h2 id="h-products">Products</h2>
<label for="filter">Filter products by id, title, brand, band, stage or gap</label><br>
<input id="filter" type="search" autocomplete="off">
<p id="count" class="muted" aria-live="polite">Showing ${Math.min(rows.length, HTML_PAGE_ROWS)} of ${rows.length} products</p>
${left > 0 ? `<p class="muted">${left.toLocaleString('en-US')} more products are left out of this page (at most ${HTML_MAX_PRODUCTS.toLocaleString('en-US')}); export csv for all of them, or filter with --band or --max-score.</p>\n` : ''}${rows.length > HTML_PAGE_ROWS ? `<noscript><p>Without JavaScript the table shows the first ${HTML_PAGE_ROWS.toLocaleString('en-US')} products.</p></noscript>\n` : ''}<table id="products" data-page="${HTML_PAGE_ROWS}">
<caption>Click a column header to sort; click again to reverse.</caption>
<thead><tr>${COLUMNS.map(({ key, label, numeric }) => `<th scope="col" data-key="${key}"${numeric ? ' class="num"' : ''}><button type="button">${label}</button></th>`).join('')}</tr></thead>
<tbody>
`);
  for (let i = 0; i < Math.min(rows.length, HTML_PAGE_ROWS); i++) await sink.write(`${staticRow(rows[i])}\n`);
  await sink.write(`</tbody>
</table>
<button type="button" id="more" hidden>Show more</button>
</section>
</main>
<script type="application/json" id="product-data">${scriptJson(rows)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`);
  // What the page holds: the caller reports it as the products written.
  return rows.length;
}
