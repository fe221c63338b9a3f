import { existsSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { CONFIG_FILE, loadConfig, readConfigFile, validateConfig } from '../../config/load.js';
import { ConfigSchema } from '../../config/schema.js';
import { ExitCode, UserError } from '../../errors.js';
import { checkOutputs } from '../../files/output-guard.js';
import { DEFAULT_BANDS } from '../../gold/bands.js';
import { DEFAULT_WEIGHTS } from '../../gold/weights.js';
import type { ConfigShowJson, ConfigValidateJson } from '../../report/schemas.js';
import { visible, visibleLines } from '../../report/visible.js';
import type { CliContext } from '../context.js';
import { CHANNELS, DEFAULT_CHANNEL } from '../../gold/channels.js';
import { PRESET_NAMES } from '../../silver/presets.js';
import { DEFAULT_URL_CHECK_OPTIONS, DEFAULT_URL_TTL_HOURS } from '../../urls/types.js';

/** The values assay uses when neither the file nor a flag sets them. */
export const DEFAULTS = {
  preset: '(detected from the header)',
  mapping: [],
  weights: DEFAULT_WEIGHTS,
  bands: DEFAULT_BANDS,
  brands: { list: [], strict: false },
  categories: { map: [] },
  notDuplicates: [],
  urls: {
    offline: false,
    timeoutMs: DEFAULT_URL_CHECK_OPTIONS.timeoutMs,
    retries: DEFAULT_URL_CHECK_OPTIONS.retries,
    concurrency: DEFAULT_URL_CHECK_OPTIONS.concurrency,
    perHost: DEFAULT_URL_CHECK_OPTIONS.perHost,
    ttlHours: DEFAULT_URL_TTL_HOURS,
    allowPrivateHosts: DEFAULT_URL_CHECK_OPTIONS.allowPrivateHosts,
  },
  channel: DEFAULT_CHANNEL,
  store: {},
  gold: { blockedCap: DEFAULT_BANDS.good - 1 },
  gates: {},
};

/** `{ "a": 1, "b": 2 }`: a default written on one line of the starter file. */
const inline = (value: object) => JSON.stringify(value).replace(/^\{/, '{ ').replace(/\}$/, ' }').replace(/,"/g, ', "').replace(/":/g, '": ');

const STARTER = `{
  // assay config: every key is optional; command-line flags override this file.
  // 'assay config schema > assay.config.schema.json' gives editors completion for it.
  "$schema": "./assay.config.schema.json",

  // Column preset: ${PRESET_NAMES.join(', ')}, or none (aliases only).
  // Left out, assay detects it from the header.
  // "preset": "shopify",

  // Your own column rules win over presets and aliases.
  // transform: trim, uppercase, lowercase, prefix:X or suffix:X.
  "mapping": [
    // { "sourceField": "Product Code", "targetField": "sku", "transform": "uppercase" }
  ],

  // Stage weights: non-negative, all 7 stages, adding up to 100.
  "weights": ${inline(DEFAULTS.weights)},

  // Band thresholds: a score at or above 'excellent' is excellent, and so on down.
  "bands": ${inline(DEFAULTS.bands)},

  // Canonical brands; with strict, a brand not listed is an error result.
  "brands": { "list": [ /* "Nike", { "name": "Hewlett-Packard", "aliases": ["HP"] } */ ], "strict": false },

  // Category map (source path to target path) and an optional Google taxonomy file.
  "categories": { "map": [ /* { "source": "Men > Shirts", "target": "Apparel & Accessories > Clothing > Shirts & Tops" } */ ] },

  // Image URL checks.
  "urls": ${inline(DEFAULTS.urls)},

  // The channel whose rules decide feed readiness: ${CHANNELS.join(', ')} (google: Merchant Center).
  "channel": "${DEFAULT_CHANNEL}",

  // Store settings: the currency of prices that name none, the country sold in (some channel
  // rules apply in some countries only), the catalog language, and the site relative links start from.
  "store": { /* "currency": "EUR", "country": "DE", "language": "de", "baseUrl": "https://shop.example.com" */ },

  // The top score of a product the channel would refuse (default: the top of warning); 100 turns it off.
  "gold": { /* "blockedCap": 64 */ },

  // Default CI gates for analyze and run; a gate over nothing scored fails unless allowEmpty.
  "gates": { /* "minAvg": 70, "maxPoor": 0, "minScore": 40, "requireFeedReady": false, "allowEmpty": false */ }
}
`;

export async function configCommand(flags: { args: [string, string?]; force?: boolean }, ctx: CliContext): Promise<number> {
  const [action, file] = flags.args;
  if (action === 'init') return init(ctx, file ?? ctx.configPath ?? CONFIG_FILE, Boolean(flags.force));
  if (action === 'schema') {
    ctx.out(JSON.stringify(configJsonSchema(), null, 2));
    return ExitCode.ok;
  }
  if (action === 'validate') return validate(ctx, file ?? ctx.configPath ?? CONFIG_FILE);
  if (action === 'show') return show(ctx);
  throw new UserError('config_action', `unknown config action '${action}': use init, show, validate or schema`);
}

export function configJsonSchema(): unknown {
  return z.toJSONSchema(ConfigSchema, { io: 'input' });
}

function init(ctx: CliContext, path: string, force: boolean): number {
  checkOutputs([{ flag: 'config init ', path }], { catalog: ctx.dbPath });
  if (existsSync(path) && !force) throw new UserError('config_exists', `${path} exists already: pass --force to overwrite it`);
  writeFileSync(path, STARTER);
  ctx.log(`wrote ${path}; check it with 'assay config validate'`);
  return ExitCode.ok;
}

function validate(ctx: CliContext, path: string): number {
  const problems = validateConfig(readConfigFile(path));
  const doc: ConfigValidateJson = { schemaVersion: 1, file: path, valid: problems.length === 0, problems: problems.map((p) => p.trim()) };
  if (ctx.json) ctx.out(JSON.stringify(doc));
  else if (problems.length === 0) ctx.log(`${visible(path)}: valid`);
  else ctx.log(`${visible(path)}: ${problems.length} problem(s):\n${visibleLines(problems.join('\n'))}`);
  return problems.length === 0 ? ExitCode.ok : ExitCode.usage;
}

/** The effective config, each value with where it came from. */
function show(ctx: CliContext): number {
  const { config, path } = loadConfig(ctx.configPath);
  const rows: ConfigShowJson['values'] = [];
  const walk = (defaults: Record<string, unknown>, file: Record<string, unknown> | undefined, prefix: string) => {
    for (const key of new Set([...Object.keys(defaults), ...Object.keys(file ?? {})])) {
      if (key === '$schema') continue;
      const d = defaults[key];
      const f = file?.[key];
      const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
      if (isObject(d) && (f === undefined || isObject(f)) && Object.keys(d as object).length > 0)
        walk(d as Record<string, unknown>, f as Record<string, unknown>, `${prefix}${key}.`);
      else rows.push({ key: `${prefix}${key}`, value: (f ?? d) as ConfigShowJson['values'][number]['value'], source: f === undefined ? 'default' : 'file' });
    }
  };
  walk(DEFAULTS as unknown as Record<string, unknown>, config as Record<string, unknown>, '');
  const doc: ConfigShowJson = { schemaVersion: 1, file: path ?? null, values: rows };
  if (ctx.json) ctx.out(JSON.stringify(doc));
  else {
    ctx.out(ctx.paint.dim(`config file: ${path ? visible(path) : `none (no ${CONFIG_FILE} here)`}; flags override these per command`));
    for (const row of rows) ctx.out(`${visible(row.key).padEnd(26)} ${visible(JSON.stringify(row.value)).padEnd(40)} ${ctx.paint.dim(row.source)}`);
  }
  return ExitCode.ok;
}
