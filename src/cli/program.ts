import { Command, Option } from 'commander';
import { createRequire } from 'node:module';
import { createContext, type CliContext, type GlobalFlags } from './context.js';

const EXIT_CODES = `
Exit codes:
  0  done, and every gate passed
  1  done, but a gate failed
  2  usage, config or input error
  3  the run failed or was interrupted
  4  the catalog is busy with another job`;

type Action<T> = (args: T, ctx: CliContext) => Promise<number | void>;

/** Wraps a command's function: builds the context from the global flags and sets the exit code. */
function run<T>(load: () => Promise<Action<T>>) {
  return async (...params: unknown[]) => {
    const command = params[params.length - 1] as Command;
    const ctx = createContext(command.optsWithGlobals() as GlobalFlags);
    const positional = params.slice(0, -2);
    const options = params[params.length - 2] as Record<string, unknown>;
    const action = await load();
    const code = await action({ ...options, args: positional } as T, ctx);
    if (typeof code === 'number') process.exitCode = code;
  };
}

function example(text: string): string {
  return `\nExample:\n  ${text}`;
}

export function buildProgram(): Command {
  const version = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
  const program = new Command('assay')
    .description('Grade product catalogs: load (Bronze), normalize (Silver), analyze (Gold).')
    .version(version)
    .option('--db <path>', 'catalog file (default: $ASSAY_DB or ./catalog.db)')
    .option('--config <path>', 'config file (default: ./assay.config.json)')
    .option('--json', 'print one JSON document on stdout, nothing else there')
    .option('-q, --quiet', 'print nothing but errors')
    .option('-v, --verbose', 'print more detail')
    .option('--no-color', 'no colours (NO_COLOR works too)')
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addHelpText('after', `${example('assay run products.csv --min-avg 70')}\n${EXIT_CODES}`);

  program
    .command('load')
    .description('load catalog files into the Bronze layer (upsert by id)')
    .argument('<files...>', 'CSV, TSV, JSON or JSON Lines files; - reads stdin')
    .addOption(new Option('--format <format>', 'file format (default: from the extension)').choices(['csv', 'tsv', 'json', 'jsonl']))
    .option('--mapping <file>', 'mapping rules (JSON) naming the id and title columns among others')
    .option('--preset <name>', 'column preset: shopify, woocommerce, google-merchant')
    .option('--id-column <column>', 'the column that holds the product id')
    .option('--encoding <encoding>', 'utf-8 (default, BOM or not), utf-16le, utf-16be, latin1, windows-1252')
    .option('--delimiter <char>', 'CSV delimiter (default: sniffed among , ; tab |)')
    .option('--strict', 'load nothing if any row has an error (exit 2)')
    .option('--rejects <file>', 'write rejected rows, with line and reason, to this file')
    .addHelpText('after', example('assay load products.csv --db shop.db'))
    .action(run(async () => (await import('./commands/load.js')).loadCommand));

  const scoped = (command: Command) =>
    command
      .option('--all', 'every product in the catalog')
      .option('--ids <ids>', 'a comma-separated list of product ids')
      .option('--ids-file <file>', 'a file of product ids, one per line (- for stdin)')
      .option('--stale', 'only products whose lower layer changed since their last run of this stage')
      .option('--wait', 'wait for a running job on the catalog instead of exiting 4')
      .option('--detach', 'run the job in a background process; prints its id and exits 0');

  scoped(program.command('normalize').description('Silver: map, standardize, link brands and categories, find duplicates, check image URLs'))
    .option('--mapping <file>', 'mapping rules (JSON): [{"sourceField", "targetField", "transform"}]')
    .option('--preset <name>', 'column preset: shopify, woocommerce, google-merchant, none (default: detected)')
    .option('--offline', 'check image URLs for syntax only, send no request')
    .option('--recheck', 'ignore cached URL results')
    .option('--url-ttl <hours>', 'reuse cached URL results younger than this (default 24)')
    .option('--allow-private-hosts', 'allow image URLs on loopback and private addresses')
    .option('--concurrency <n>', 'URL requests in flight at once (default 64)')
    .option('--per-host <n>', 'URL requests in flight to one host (default 8)')
    .option('--timeout <ms>', 'timeout of one URL request (default 10000)')
    .option('--image-size [WxH]', 'measure images and flag those under WxH (default 500x500)')
    .addHelpText('after', example('assay normalize --all --offline'))
    .action(run(async () => (await import('./commands/normalize.js')).normalizeCommand));

  const gated = (command: Command) =>
    command
      .option('--min-score <n>', 'gate: every product scores at least N')
      .option('--min-avg <n>', 'gate: the average score is at least N')
      .option('--max-poor <n>', 'gate: at most N products in the poor band')
      .option('--require-feed-ready', 'gate: every product is feed-ready');

  gated(scoped(program.command('analyze').description('Gold: score products 0-100 on the 7-stage rubric and summarize the catalog')))
    .option('--weights <list>', 'stage weights, e.g. identity=20,taxonomy=15,content=25,media=20,pricing=10,attributes=5,seo=5')
    .option('--limit <n>', 'products listed after the run, worst first (default 20)')
    .option('--all-rows', 'list every product of the run')
    .addHelpText('after', example('assay analyze --all --min-avg 70'))
    .action(run(async () => (await import('./commands/analyze.js')).analyzeCommand));

  const filtered = (command: Command) =>
    command
      .addOption(new Option('--stage <stage>', 'only products at this stage').choices(['bronze', 'silver', 'gold']))
      .addOption(new Option('--band <band>', 'only products in this band').choices(['excellent', 'good', 'warning', 'poor']))
      .option('--min-score <n>', 'only products scoring at least N')
      .option('--max-score <n>', 'only products scoring at most N')
      .option('--gap <field>', 'only products with a gap on this field')
      .option('--duplicates', 'only products linked as duplicates of another')
      .option('--not-feed-ready', 'only products that are not feed-ready')
      .option('--brand <name>', 'only products of this brand (canonical name)')
      .addOption(new Option('--sort <order>', 'sort order').choices(['score', '-score', 'id', 'loaded']).default('loaded'))
      .option('--limit <n>', 'at most N products');

  filtered(program.command('products').description('list products with stage, brand, score, band and top gap'))
    .addHelpText('after', example('assay products --band poor --sort score --limit 20'))
    .action(run(async () => (await import('./commands/products.js')).productsCommand));

  program
    .command('show')
    .description("one product: its three layers side by side, links, and every check with points won and lost")
    .argument('<id>', 'the product id')
    .addHelpText('after', example('assay show TR-1001'))
    .action(run(async () => (await import('./commands/show.js')).showCommand));

  program
    .command('summary')
    .description('the catalog summary, without running anything')
    .addHelpText('after', example('assay summary --json'))
    .action(run(async () => (await import('./commands/summary.js')).summaryCommand));

  program
    .command('jobs')
    .description('recent jobs: id, stage, scope, status, progress, start and duration')
    .option('--limit <n>', 'how many (default 20)')
    .action(run(async () => (await import('./commands/jobs.js')).jobsCommand));

  program
    .command('status')
    .description('one job, with its summary when finished')
    .argument('<job>', 'the job id')
    .option('--watch', 'refresh every 2 seconds until the job ends, then exit with its exit code')
    .addHelpText('after', example('assay status 12 --watch'))
    .action(run(async () => (await import('./commands/jobs.js')).statusCommand));

  program
    .command('resume')
    .description('finish an interrupted job: only the products not done yet, with its original options')
    .argument('<job>', 'the job id')
    .option('--wait', 'wait for a running job on the catalog instead of exiting 4')
    .addHelpText('after', example('assay resume 12'))
    .action(run(async () => (await import('./commands/jobs.js')).resumeCommand));

  program
    .command('cancel')
    .description('stop a running job after its current batch (also a detached one) and mark it cancelled')
    .argument('<job>', 'the job id')
    .addHelpText('after', example('assay cancel 12'))
    .action(run(async () => (await import('./commands/jobs.js')).cancelCommand));

  program
    .command('_run-job', { hidden: true })
    .argument('<job>')
    .action(run(async () => (await import('./commands/jobs.js')).runJobCommand));

  return program;
}
