import { Option, type Command } from 'commander';
import { BANDS } from '../gold/types.js';
import { CHANNELS, DEFAULT_CHANNEL } from '../gold/channels.js';
import { ENCODING_NAMES } from '../ingest/decode.js';
import { FORMAT_NAMES } from '../ingest/formats.js';
import { DEFAULT_MAX_DOWNLOAD_MB, DEFAULT_MAX_FIELD_MB } from '../ingest/limits.js';
import { DEFAULT_IMAGE_SIZE, DEFAULT_URL_CHECK_OPTIONS, DEFAULT_URL_TTL_HOURS } from '../urls/types.js';
import { DEFAULT_REPEAT_POLICY, REPEAT_POLICIES } from '../ingest/repeats.js';
import { PRESET_CHOICES } from '../silver/presets.js';
import { DEFAULT_PRODUCT_SORT, PRODUCT_SORTS, PRODUCT_STAGES } from '../store/products.js';

/** Flag groups shared by several commands, declared once. */

/** How many rows a command lists when --limit is not given; its help says the same number. */
export const DEFAULT_LIMITS = {
  analyze: 20,
  run: 10,
  jobs: 20,
  /** On a terminal only: piped or --json, `assay products` lists every match. */
  products: 50,
} as const;

export const inputFormatFlag = (command: Command, what: string) => command.addOption(new Option('--format <format>', what).choices(FORMAT_NAMES));

/** The flags that say how to read a file's columns, shared by load, run and columns. */
export const columnFlags = (command: Command) =>
  command
    .option('--mapping <file>', 'mapping rules (JSON): [{"sourceField", "targetField", "transform"}]')
    .option('--preset <name>', `column preset: ${PRESET_CHOICES.join(', ')} (default: detected)`);

export const textFlags = (command: Command) =>
  command
    .option('--encoding <encoding>', `${ENCODING_NAMES.join(', ')} (default utf-8, BOM or not)`)
    .option('--delimiter <char>', 'CSV delimiter (default: sniffed among , ; tab |)');

export const loadFlags = (command: Command) =>
  textFlags(columnFlags(inputFormatFlag(command, 'input format (default: from the extension, else the content); .gz is read through')))
    .option('--sheet <name>', 'the sheet of an .xlsx workbook to load (default: the first)')
    .option('--id-column <column>', 'the column that holds the product id')
    .option(
      '--max-field-mb <mb>',
      `the largest CSV row, JSON Lines line or JSON element read, in MB; a larger one is a row error (default ${DEFAULT_MAX_FIELD_MB})`,
    )
    .addOption(
      new Option(
        '--on-repeat <policy>',
        `a row repeating an id read before (not a continuation row): ${REPEAT_POLICIES.join(', ')} (default ${DEFAULT_REPEAT_POLICY})`,
      ).choices(REPEAT_POLICIES),
    )
    .option('--strict', 'load nothing if any row has an error (exit 2)')
    .option('--rejects <file>', 'write rejected rows, with line and reason, to this file')
    .option('--max-download-mb <n>', `largest feed downloaded from a URL, in MB (default ${DEFAULT_MAX_DOWNLOAD_MB})`);

export const scopeFlags = (command: Command) =>
  command
    .option('--all', 'every product in the catalog')
    .option('--ids <ids>', 'a comma-separated list of product ids')
    .option('--ids-file <file>', 'a file of product ids, one per line (- for stdin)')
    .option('--stale', 'only products whose lower layer changed since their last run of this stage')
    .option('--detach', 'run the job in a background process; prints its id and exits 0');

export const waitFlag = (command: Command) => command.option('--wait', 'wait for a running job on the catalog instead of exiting 4');

export const urlFlags = (command: Command) =>
  command
    .option('--offline', 'check image URLs for syntax only, send no request')
    .option('--recheck', 'ignore cached URL results')
    .option('--url-ttl <hours>', `reuse cached URL results younger than this (default ${DEFAULT_URL_TTL_HOURS})`)
    .option('--allow-private-hosts', 'allow image URLs on loopback and private addresses')
    .option('--concurrency <n>', `URL requests in flight at once (default ${DEFAULT_URL_CHECK_OPTIONS.concurrency})`)
    .option('--per-host <n>', `URL requests in flight to one host (default ${DEFAULT_URL_CHECK_OPTIONS.perHost})`)
    .option('--timeout <ms>', `timeout of one URL request (default ${DEFAULT_URL_CHECK_OPTIONS.timeoutMs})`)
    .option('--image-size [WxH]', `measure images and flag those under WxH (default ${DEFAULT_IMAGE_SIZE.minWidth}x${DEFAULT_IMAGE_SIZE.minHeight})`)
    .option('--store-currency <code>', 'store setting: the ISO 4217 currency of prices that name none')
    .option('--store-country <code>', 'store setting: the ISO 3166 country the store sells in (e.g. US)')
    .option('--store-language <code>', 'store setting: the language of the catalog (e.g. en)')
    .option('--store-base-url <url>', 'store setting: the site relative product and image links start from')
    .option('--similar-titles', 'also link duplicates by title similarity (for catalogs that merge several sources; see docs/duplicates.md)');

export const goldFlags = (command: Command, limit: number) =>
  command
    .option('--weights <list>', 'stage weights, e.g. identity=20,taxonomy=15,content=25,media=20,pricing=10,attributes=5,seo=5')
    .addOption(new Option('--channel <name>', `the channel whose rules decide feed readiness (default ${DEFAULT_CHANNEL})`).choices(CHANNELS))
    .option('--allow-empty', 'let gates pass when no product was scored')
    .option('--min-score <n>', 'gate: every product scores at least N')
    .option('--min-avg <n>', 'gate: the average score is at least N')
    .option('--max-poor <n>', 'gate: at most N products in the poor band')
    .option('--require-feed-ready', 'gate: every product is feed-ready')
    .option('--baseline <file>', 'an earlier run (assay export --format json) to compare with')
    .option('--max-avg-drop <n>', 'regression gate: the average score falls at most N points from the baseline')
    .option('--max-product-drop <n>', 'regression gate: no product falls more than N points from the baseline')
    .option('--no-new-failures', 'regression gate: no product that was feed-ready (and at --min-score) in the baseline falls below it')
    .option('--limit <n>', `products listed after the run, worst first (default ${limit})`)
    .option('--all-rows', 'list every product of the run');

export const filterFlags = (command: Command) =>
  command
    .addOption(new Option('--stage <stage>', 'only products at this stage').choices(PRODUCT_STAGES))
    .addOption(new Option('--band <band>', 'only products in this band').choices(BANDS))
    .option('--min-score <n>', 'only products scoring at least N')
    .option('--max-score <n>', 'only products scoring at most N')
    .option('--gap <field|reason>', 'only products with a gap on this field, or with this reason code (e.g. title.all_caps)')
    .option('--duplicates', 'only products linked as duplicates of another')
    .option('--not-feed-ready', 'only products that are not feed-ready')
    .option('--brand <name>', 'only products of this brand (canonical name)')
    .addOption(new Option('--sort <order>', 'sort order').choices(PRODUCT_SORTS).default(DEFAULT_PRODUCT_SORT))
    .option('--limit <n>', `at most N products (default ${DEFAULT_LIMITS.products} on a terminal, else all)`);
