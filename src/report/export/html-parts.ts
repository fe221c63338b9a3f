import type { CatalogSummary } from '../../gold/summary.js';
import { BANDS, STAGES } from '../../gold/types.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** JSON inside a script element: no `<` at all, so neither `</script>` nor `<!--` can end it early. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const count = (n: number) => n.toLocaleString('en-US');

export function summaryList(s: CatalogSummary): string {
  const items: [string, string][] = [
    ['Average score', String(s.avgScore)],
    ['Scored products', count(s.products)],
    ['Not scored', count(s.errors)],
    ['Feed-ready', count(s.feedReady)],
    ['Duplicates', count(s.duplicates)],
    ['Broken URLs', count(s.brokenUrls)],
  ];
  return `<dl class="summary">${items.map(([term, value]) => `<div><dt>${term}</dt><dd>${value}</dd></div>`).join('')}</dl>`;
}

/** Horizontal bars, one per band, drawn server-side so the chart needs no script. */
export function distributionChart(s: CatalogSummary): string {
  const row = 30;
  const labelWidth = 90;
  const barMax = 300;
  const most = Math.max(1, ...BANDS.map((band) => s.scoreDistribution[band]));
  const height = row * BANDS.length;
  const label = BANDS.map((band) => `${s.scoreDistribution[band]} ${band}`).join(', ');
  const bars = BANDS.map((band, i) => {
    const n = s.scoreDistribution[band];
    const width = Math.round((n / most) * barMax);
    const y = i * row;
    return `<text x="0" y="${y + 19}">${band}</text><rect class="bar-${band}" x="${labelWidth}" y="${y + 5}" width="${width}" height="${row - 10}" rx="2"/><text x="${labelWidth + width + 6}" y="${y + 19}">${count(n)}</text>`;
  }).join('');
  return `<svg id="distribution" role="img" aria-labelledby="distribution-title" width="${labelWidth + barMax + 70}" height="${height}" viewBox="0 0 ${labelWidth + barMax + 70} ${height}" xmlns="http://www.w3.org/2000/svg"><title id="distribution-title">Score distribution: ${label}</title>${bars}</svg>`;
}

export function stageTable(s: CatalogSummary): string {
  const rows = STAGES.map((stage) => `<tr><th scope="row">${stage}</th><td class="num">${s.stageAverages[stage]}</td></tr>`).join('');
  return `<table id="stages"><caption>Average points earned per stage</caption><thead><tr><th scope="col">Stage</th><th scope="col" class="num">Average points</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function gapTable(s: CatalogSummary): string {
  if (s.topGaps.length === 0) return '<p class="muted">No gaps: every scored product earned every point.</p>';
  const rows = s.topGaps
    .map(
      (gap) =>
        `<tr><th scope="row">${escapeHtml(gap.field)}</th><td class="num">${count(gap.count)}</td><td class="num">${Math.round(gap.share * 100)}%</td><td class="num">+${gap.avgGain}</td></tr>`,
    )
    .join('');
  return `<table id="gaps"><caption>The average score would rise by the gain if the field were fixed on every product</caption><thead><tr><th scope="col">Field</th><th scope="col" class="num">Products</th><th scope="col" class="num">Share</th><th scope="col" class="num">Average gain</th></tr></thead><tbody>${rows}</tbody></table>`;
}
