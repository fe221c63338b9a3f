import type { Output } from './output.js';
import type { CheckResult, GoldResult } from '../gold/types.js';
import { STAGES } from '../gold/types.js';
import type { SilverContext, SilverProduct, SilverResult } from '../silver/product.js';
import type { ProductLayers } from '../store/show.js';
import { badge } from './analyze.js';
import type { ShowJson } from './schemas.js';
import { visible } from './visible.js';

const VALUE_WIDTH = 48;

function cut(value: unknown): string {
  const text = value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  const flat = visible(text.replace(/\s+/g, ' '));
  return flat.length > VALUE_WIDTH ? `${flat.slice(0, VALUE_WIDTH - 1)}…` : flat;
}

function round(n: number): string {
  return String(Math.round(n * 100) / 100);
}

const iso = (ms: number) => new Date(ms).toISOString();

/** `assay show --json`: the layers as stored, times as ISO 8601 like every other document. */
export function showJson(p: ProductLayers, checks: CheckResult[]): ShowJson {
  const { source, silver, gold } = p;
  return {
    schemaVersion: 1,
    product: {
      ...p,
      source: { ...source, loadedAt: iso(source.loadedAt), updatedAt: iso(source.updatedAt) },
      silver: silver && { ...silver, normalizedAt: iso(silver.normalizedAt) },
      gold: gold && { ...gold, checks, analyzedAt: iso(gold.analyzedAt) },
    } as ShowJson['product'],
  };
}

/** A product's layers side by side, then every check with the points it won and lost. */
export function renderShow(p: ProductLayers, checks: CheckResult[], ctx: Output): void {
  const { paint } = ctx;
  const out = ctx.out;
  out(`${paint.bold(visible(p.id))}  stage ${p.stage}  from ${visible(p.source.file)} line ${p.source.line}`);
  out('');
  out(paint.bold('Bronze (as loaded)'));
  for (const [key, value] of Object.entries(p.bronze)) if (value !== '') out(`  ${visible(key).padEnd(28)} ${cut(value)}`);
  if (!p.silver) return out(paint.dim('\nNot normalized yet: run assay normalize --ids ' + visible(p.id)));
  const record = p.silver.record as SilverProduct | null;
  const result = p.silver.result as SilverResult;
  const context = p.silver.context as SilverContext | null;
  out('');
  out(`${paint.bold('Silver (normalized)')}${p.silver.current ? '' : paint.yellow('  stale: bronze changed since; run normalize again')}`);
  if (record) {
    const fromStore = new Set(context?.fromStore ?? []);
    for (const [key, value] of Object.entries(record)) {
      if (key === 'attributes' || (Array.isArray(value) && value.length === 0)) continue;
      out(`  ${visible(key).padEnd(28)} ${cut(value)}${fromStore.has(key) ? paint.dim('  (from store settings)') : ''}`);
    }
    for (const [key, value] of Object.entries(record.attributes)) out(`  ${`attributes.${visible(key)}`.padEnd(28)} ${cut(value)}`);
  }
  out(`  ${paint.dim(`fields normalized ${result.fieldsNormalized}, URLs checked ${result.urlsValidated}`)}`);
  if (result.error) out(`  ${paint.red('error:')} ${visible(result.error)}`);
  if (p.brand)
    out(
      `  brand link: ${visible(p.brand.canonical)} (${visible(p.brand.source)})${p.brand.aliases.length ? `, also spelled ${p.brand.aliases.map((a) => `'${visible(a)}'`).join(', ')}` : ''}`,
    );
  if (record?.taxonomyId) out(`  category link: taxonomy id ${visible(record.taxonomyId)}`);
  if (result.duplicateOf) out(`  ${paint.yellow('duplicate of')} ${visible(result.duplicateOf)}${linkReason(result)}`);
  if (p.duplicates.length) out(`  duplicated by ${p.duplicates.map(visible).join(', ')}`);
  for (const broken of result.brokenUrls)
    out(`  ${paint.red('broken URL')} ${visible(broken.url)} (${broken.reason}${broken.detail ? `: ${visible(broken.detail)}` : ''})`);
  for (const issue of context?.issues ?? [])
    out(`  ${paint.yellow('issue')} ${visible(issue.field)}: ${visible(issue.message)}${issue.value ? ` ('${cut(issue.value)}')` : ''}`);
  if (!p.gold) return out(paint.dim('\nNot analyzed yet: run assay analyze --ids ' + visible(p.id)));
  renderGold(p.gold.result as GoldResult, checks, p.gold.current, ctx);
}

function renderGold(gold: GoldResult, checks: CheckResult[], current: boolean, ctx: Output): void {
  const { paint, out } = ctx;
  out('');
  if (gold.status === 'error') return out(`${paint.bold('Gold')}  ${paint.dim(`not scored: ${visible(gold.error)}`)}`);
  out(
    `${paint.bold('Gold')}  ${badge(paint, gold.score, gold.band)}  feed-ready ${gold.feedReady ? paint.green('yes') : paint.red('no')}${current ? '' : paint.yellow('  stale: silver changed since; run analyze again')}`,
  );
  if (gold.blockers?.length) {
    out(`  ${paint.red('not feed-ready')} for ${gold.channel}: ${gold.blockers.map((b) => `${b.code} (${b.attribute}: ${b.message})`).join('; ')}`);
  }
  if (gold.cappedBy)
    out(
      `  ${paint.yellow('capped')}: score held at ${gold.score} because of ${gold.cappedBy}; a product the channel refuses cannot be good or excellent (every check scaled alike)`,
    );
  if (gold.categoryClasses)
    out(`  ${paint.dim(`category class: ${gold.categoryClasses.length ? gold.categoryClasses.join(', ') : 'none (class-only checks not counted)'}`)}`);
  for (const stage of STAGES) {
    const mine = checks.filter((c) => c.stage === stage);
    const points = mine.reduce((sum, c) => sum + c.points, 0);
    out(`  ${paint.bold(stage)} ${round(gold.stages[stage])} / ${round(points)}`);
    for (const c of mine) {
      const lost = c.points - c.won;
      const mark = lost <= 1e-9 ? paint.green('✓') : c.won > 0 ? paint.yellow('~') : paint.red('✗');
      if (c.skipped) {
        out(`    ${paint.dim(`- ${c.id.padEnd(26)} ${'—'.padStart(11)}  ${visible(c.reason)}`)}`);
        continue;
      }
      out(
        `    ${mark} ${c.id.padEnd(26)} ${`${round(c.won)}/${round(c.points)}`.padStart(11)}  ${visible(c.reason)}${c.code ? paint.dim(` [${c.code}]`) : ''}${c.unchecked ? paint.dim(' (unchecked)') : ''}`,
      );
    }
  }
  out(`  ${paint.dim(`stage points add up to ${round(STAGES.reduce((sum, s) => sum + gold.stages[s], 0))}, rounded to ${gold.score}`)}`);
  if (gold.gaps.length)
    out(`  gaps: ${gold.gaps.map((g) => `${visible(g.field)} (-${round(g.pointsLost)}${g.reasons?.length ? `: ${g.reasons.join(', ')}` : ''})`).join(', ')}`);
  if (gold.missingFields.length) out(`  missing: ${gold.missingFields.map(visible).join(', ')}`);
}

/** ` (shared model kxtg9333t)`: why the link was made, so a wrong one can be understood and overruled. */
function linkReason(result: SilverResult): string {
  if (!result.duplicateReason) return '';
  return result.duplicateValue ? ` (shared ${result.duplicateReason} ${visible(result.duplicateValue)})` : ` (${result.duplicateReason})`;
}
