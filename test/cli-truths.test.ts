import type { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../src/cli/flags.js';
import { buildProgram } from '../src/cli/program.js';
import { configCommand, DEFAULTS } from '../src/cli/commands/config.js';
import { readConfigFile, validateConfig } from '../src/config/load.js';
import { DEFAULT_BANDS } from '../src/gold/bands.js';
import { DEFAULT_WEIGHTS } from '../src/gold/weights.js';
import { DEFAULT_MAX_DOWNLOAD_MB, DEFAULT_MAX_FIELD_MB } from '../src/ingest/limits.js';
import { COLUMN_SAMPLE } from '../src/silver/column-report.js';
import { DEFAULT_URL_CHECK_OPTIONS, DEFAULT_URL_TTL_HOURS } from '../src/urls/types.js';
import { quietContext } from './helpers/cli-context.js';
import { tempDir } from './helpers/tmp.js';
import { ConfigSchema } from '../src/config/schema.js';
import { validateBands } from '../src/gold/bands.js';
import { CHANNELS, DEFAULT_CHANNEL } from '../src/gold/channels.js';
import { BANDS, STAGES } from '../src/gold/types.js';
import { parseWeights } from '../src/gold/weights.js';
import { FORMAT_NAMES } from '../src/ingest/formats.js';
import { DEFAULT_THRESHOLD, EXPORT_FORMATS } from '../src/report/export/formats.js';
import { REPEAT_POLICIES } from '../src/ingest/repeats.js';
import { PRESET_CHOICES } from '../src/silver/presets.js';
import { PRODUCT_SORTS, PRODUCT_STAGES } from '../src/store/products.js';

const program = buildProgram();

function command(name: string): Command {
  const found = program.commands.find((c) => c.name() === name);
  if (!found) throw new Error(`no command ${name}`);
  return found;
}

function option(name: string, flag: string): Option {
  const found = command(name).options.find((o) => o.long === flag);
  if (!found) throw new Error(`assay ${name} has no ${flag}`);
  return found;
}

/** The number a command's help gives as the default of a flag, read from the help text itself. */
function helpDefault(name: string, flag: string): number {
  // Commander wraps long descriptions: read the help as one line, from the flag to the next one.
  const help = command(name).helpInformation().replace(/\s+/g, ' ');
  const match = new RegExp(`${flag} <\\w+> (?:(?! --).)*?\\(default (\\d+)`).exec(help);
  if (!match) throw new Error(`assay ${name} --help gives no default for ${flag}: ${help}`);
  return Number(match[1]);
}

describe('the help says what the code does', () => {
  it.each([
    ['run', DEFAULT_LIMITS.run],
    ['analyze', DEFAULT_LIMITS.analyze],
    ['jobs', DEFAULT_LIMITS.jobs],
    ['products', DEFAULT_LIMITS.products],
  ])('assay %s --limit defaults to %i in its help', (name, limit) => expect(helpDefault(name, '--limit')).toBe(limit));

  it('run lists fewer rows than analyze by default, as its help says', () =>
    expect(helpDefault('run', '--limit')).toBeLessThan(helpDefault('analyze', '--limit')));

  it.each([
    ['--concurrency', DEFAULT_URL_CHECK_OPTIONS.concurrency],
    ['--per-host', DEFAULT_URL_CHECK_OPTIONS.perHost],
    ['--timeout', DEFAULT_URL_CHECK_OPTIONS.timeoutMs],
    ['--url-ttl', DEFAULT_URL_TTL_HOURS],
    ['--max-field-mb', DEFAULT_MAX_FIELD_MB],
    ['--max-download-mb', DEFAULT_MAX_DOWNLOAD_MB],
  ])('assay run %s defaults to %i in its help', (flag, value) => expect(helpDefault('run', flag)).toBe(value));

  it('assay columns --sample and assay export --threshold give their defaults', () => {
    expect(helpDefault('columns', '--sample')).toBe(COLUMN_SAMPLE);
    expect(command('export').helpInformation().replace(/\s+/g, ' ')).toContain(`else ${DEFAULT_THRESHOLD})`);
  });

  it('assay config init writes the defaults assay uses', async () => {
    const tmp = tempDir();
    const ctx = quietContext(tmp.path('c.db'));
    await configCommand({ args: ['init', tmp.path('assay.config.json')] }, ctx);
    const starter = readConfigFile(tmp.path('assay.config.json')) as Record<string, unknown>;
    expect(validateConfig(starter)).toEqual([]);
    expect(starter.weights).toEqual(DEFAULT_WEIGHTS);
    expect(starter.bands).toEqual(DEFAULT_BANDS);
    expect(starter.urls).toEqual(DEFAULTS.urls);
    expect(starter.channel).toBe(DEFAULT_CHANNEL);
    expect(DEFAULTS.urls).toMatchObject({ concurrency: DEFAULT_URL_CHECK_OPTIONS.concurrency, ttlHours: DEFAULT_URL_TTL_HOURS });
  });
});

describe('lists defined once', () => {
  it.each(['load', 'run', 'columns'])('assay %s --format takes every input format', (name) =>
    expect(option(name, '--format').argChoices).toEqual(FORMAT_NAMES),
  );

  it('assay export --format takes every export format', () => expect(option('export', '--format').argChoices).toEqual([...EXPORT_FORMATS]));

  it('assay run --export names every export format in its help', () => {
    const help = option('run', '--export').description;
    for (const format of EXPORT_FORMATS) expect(help).toContain(format);
  });

  it.each(['load', 'run', 'columns', 'normalize'])('assay %s --preset names every preset', (name) => {
    const help = option(name, '--preset').description;
    for (const preset of PRESET_CHOICES) expect(help).toContain(preset);
  });

  it('the config file takes the presets and channels the flags take', () => {
    expect(ConfigSchema.shape.preset.unwrap().options).toEqual([...PRESET_CHOICES]);
    expect(ConfigSchema.shape.channel.unwrap().options).toEqual([...CHANNELS]);
    expect(option('analyze', '--channel').argChoices).toEqual([...CHANNELS]);
  });

  it('assay products --band, --stage and --sort take every band, stage and order', () => {
    expect(option('products', '--band').argChoices).toEqual([...BANDS]);
    expect(option('products', '--stage').argChoices).toEqual([...PRODUCT_STAGES]);
    expect(option('products', '--sort').argChoices).toEqual([...PRODUCT_SORTS]);
  });

  it('assay load --on-repeat takes every repeat policy', () => expect(option('load', '--on-repeat').argChoices).toEqual([...REPEAT_POLICIES]));
});

describe('weights and bands are judged once', () => {
  const weights = (seo: number) => ({ identity: 20, taxonomy: 15, content: 25, media: 20, pricing: 10, attributes: 5, seo });
  const flag = (w: Record<string, number>) => STAGES.map((stage) => `${stage}=${w[stage]}`).join(',');

  it.each([5 + 5e-7, 5 - 5e-7, 5.001, 4.999])('the config file and --weights agree on weights summing to 95 + %d', (seo) => {
    const fromFlag = parseWeights(flag(weights(seo))).ok;
    const fromFile = validateConfig({ weights: weights(seo) }).length === 0;
    expect(fromFile).toBe(fromFlag);
  });

  it('accepts a sum a float rounding error away from 100 in both', () => {
    expect(parseWeights(flag(weights(5 + 5e-7))).ok).toBe(true);
    expect(validateConfig({ weights: weights(5 + 5e-7) })).toEqual([]);
  });

  it('refuses bands that do not fall with the same words in the config file as in the rubric', () => {
    const bands = { excellent: 60, good: 65, warning: 40 };
    const rubric = validateBands(bands);
    expect(rubric.ok).toBe(false);
    const problem = (rubric as { errors: string[] }).errors[0].replace(/^bands /, '');
    expect(validateConfig({ bands })).toEqual([`  bands: ${problem}`]);
  });
});
