import { DEFAULT_BANDS } from './bands.js';
import { CHECKS } from './registry.js';
import { describeScope } from './score.js';
import { STAGES, type BandThresholds, type Weights } from './types.js';
import { DEFAULT_WEIGHTS, stageFactor } from './weights.js';

export const RUBRIC_START = '<!-- rubric:start -->';
export const RUBRIC_END = '<!-- rubric:end -->';
export const RUBRIC_HEADING = '## Score rubric';

function formatPoints(points: number): string {
  return String(Math.round(points * 100) / 100);
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** The rubric table of docs/rubric.md: every check of the registry with its points under the given weights. */
export function renderRubricTable(weights: Weights = DEFAULT_WEIGHTS, bands: BandThresholds = DEFAULT_BANDS): string {
  const lines = ['| stage | check | field | points | channels | categories | what it rewards |', '|---|---|---|--:|---|---|---|'];
  for (const stage of STAGES) {
    const factor = stageFactor(weights, stage);
    for (const check of CHECKS) {
      if (check.stage !== stage) continue;
      const points = formatPoints(check.points * factor);
      const channels = check.scope?.channels?.join(', ') ?? 'all';
      const categories = check.scope === undefined ? 'all' : describeScope(check.scope);
      lines.push(
        `| ${stage} | \`${check.id}\` | \`${check.field}\` | ${points} | ${channels} | ${cell(categories === 'every product' ? 'all' : categories)} | ${cell(check.label)} |`,
      );
    }
    lines.push(`| **${stage}** | | | **${formatPoints(weights[stage])}** | | | |`);
  }
  const total = STAGES.reduce((sum, stage) => sum + weights[stage], 0);
  lines.push(`| **total** | | | **${formatPoints(total)}** | | | |`);
  return [
    ...lines,
    '',
    `Bands: excellent ${bands.excellent}-100, good ${bands.good}-${bands.excellent - 1}, ` +
      `warning ${bands.warning}-${bands.good - 1}, poor 0-${bands.warning - 1}.`,
    '',
    'Points are at the default weights for a product every check applies to. A check that does not apply ' +
      "(another channel's, another category's, or a GTIN check when `identifier_exists` is no) is not counted: " +
      "the stage's other checks share its points, and a stage left with no check gives its weight to the others. " +
      'A product the channel would refuse (see feed readiness) is held in warning: above the bottom of warning its ' +
      'score is squeezed so that 100 lands on the top of warning (`gold.blockedCap`; 100 turns it off). ' +
      'Other weights rescale every check of a stage in proportion. An image URL not checked over the network ' +
      '(`--offline`) earns its points when well-formed and the check is marked unchecked. A duplicate loses no ' +
      'points: the score grades the record, and which copy is the duplicate depends on load order.',
  ].join('\n');
}

/** The block of docs/rubric.md between the rubric markers, or undefined when the markers are missing. */
export function readRubricBlock(readme: string): string | undefined {
  const start = readme.indexOf(RUBRIC_START);
  const end = readme.indexOf(RUBRIC_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + RUBRIC_START.length, end).trim();
}

/**
 * The page with the rubric block replaced, or added under the rubric heading (itself added at
 * the end when missing); everything else is left as it was.
 */
export function writeRubricBlock(readme: string, table: string = renderRubricTable()): string {
  const block = `${RUBRIC_START}\n${table}\n${RUBRIC_END}`;
  const start = readme.indexOf(RUBRIC_START);
  const end = readme.indexOf(RUBRIC_END);
  if (start >= 0 && end > start) return readme.slice(0, start) + block + readme.slice(end + RUBRIC_END.length);
  const heading = readme.indexOf(RUBRIC_HEADING);
  if (heading >= 0) {
    const lineEnd = readme.indexOf('\n', heading);
    const at = lineEnd < 0 ? readme.length : lineEnd + 1;
    return `${readme.slice(0, at)}\n${block}\n${readme.slice(at)}`;
  }
  const prefix = readme.length === 0 ? '' : readme.endsWith('\n') ? `${readme}\n` : `${readme}\n\n`;
  return `${prefix}${RUBRIC_HEADING}\n\n${block}\n`;
}
