import { Command, Option } from 'commander';
import { createRequire } from 'node:module';
import { createContext, type CliContext, type GlobalFlags } from './context.js';
import { migrationNotice } from './migration-progress.js';
import { INPUT_FORMATS } from '../ingest/formats.js';
import { DEFAULT_THRESHOLD, EXPORT_FORMATS } from '../report/export/formats.js';
import { COLUMN_SAMPLE } from '../silver/column-report.js';
import { columnFlags, DEFAULT_LIMITS, filterFlags, goldFlags, inputFormatFlag, loadFlags, scopeFlags, textFlags, urlFlags, waitFlag } from './flags.js';

const EXIT_CODES = `
Exit codes:
  0  done, and every gate passed
  1  done, but a gate failed
  2  usage, config or input error
  3  the run failed or was interrupted
  4  the catalog is busy with another job`;

// biome-ignore lint/suspicious/noConfusingVoidType: a command with no exit code of its own returns nothing
type Action<T> = (args: T, ctx: CliContext) => Promise<number | void>;

/** Wraps a command's function: builds the context from the global flags and sets the exit code. */
function run<T>(load: () => Promise<Action<T>>) {
  return async (...params: unknown[]) => {
    const command = params[params.length - 1] as Command;
    const ctx = createContext(command.optsWithGlobals() as GlobalFlags);
    // Loaded with the command: --help and --version open no catalog, nor load SQLite.
    (await import('../store/catalog.js')).setMigrationListener(migrationNotice(ctx));
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

  const INPUTS = `files or http(s) URLs of ${INPUT_FORMATS.map((f) => f.title).join(', ')} (also gzipped)`;
  loadFlags(program.command('load'))
    .description('load catalog files into the Bronze layer (upsert by id)')
    .argument('<files...>', `${INPUTS}; - reads stdin`)
    .option('--allow-private-hosts', 'allow feed URLs on loopback and private addresses')
    .addHelpText('after', example('assay load products.csv --db shop.db'))
    .action(run(async () => (await import('./commands/load.js')).loadCommand));

  textFlags(columnFlags(inputFormatFlag(program.command('columns'), 'file format (default: from the extension, else the content)')))
    .description('what each column of a file (or of the loaded catalog) feeds, what no column feeds, and suggestions')
    .argument('[file]', `a file of ${INPUT_FORMATS.map((f) => f.title).join(', ')} (default: the catalog in --db)`)
    .option('--sample <n>', `rows read to judge the columns (default ${COLUMN_SAMPLE})`)
    .addHelpText('after', example('assay columns products.csv --json'))
    .action(run(async () => (await import('./commands/columns.js')).columnsCommand));

  columnFlags(urlFlags(waitFlag(scopeFlags(program.command('normalize')))))
    .description('Silver: map, standardize, link brands and categories, find duplicates, check image URLs')
    .addHelpText('after', example('assay normalize --all --offline'))
    .action(run(async () => (await import('./commands/normalize.js')).normalizeCommand));

  goldFlags(waitFlag(scopeFlags(program.command('analyze'))), DEFAULT_LIMITS.analyze)
    .description('Gold: score products 0-100 on the 7-stage rubric and summarize the catalog')
    .addHelpText('after', example('assay analyze --all --min-avg 70'))
    .action(run(async () => (await import('./commands/analyze.js')).analyzeCommand));

  goldFlags(urlFlags(waitFlag(loadFlags(program.command('run')))), DEFAULT_LIMITS.run)
    .description('load, normalize and analyze in one go, working only on what changed: the command a CI or nightly job calls')
    .argument('<files...>', `${INPUTS}; - reads stdin`)
    .option(
      '--export <format:path>',
      `also write an export after the run (repeatable): ${EXPORT_FORMATS.join(', ')}, e.g. html:report.html`,
      (value: string, all: string[] = []) => [...all, value],
    )
    .addHelpText('after', example('assay run products.csv --min-score 60 --export html:report.html --export junit:assay.xml'))
    .action(run(async () => (await import('./commands/run.js')).runCommand));

  filterFlags(program.command('products'))
    .description('list products with stage, brand, score, band and top gap')
    .addHelpText('after', example('assay products --band poor --sort score --limit 20'))
    .action(run(async () => (await import('./commands/products.js')).productsCommand));

  program
    .command('show')
    .description('one product: its three layers side by side, links, and every check with points won and lost')
    .argument('<id>', 'the product id')
    .addHelpText('after', example('assay show TR-1001'))
    .action(run(async () => (await import('./commands/show.js')).showCommand));

  program
    .command('summary')
    .description('the catalog summary, without running anything')
    .addHelpText('after', example('assay summary --json'))
    .action(run(async () => (await import('./commands/summary.js')).summaryCommand));

  program
    .command('brands')
    .description('brand spellings that may be one brand (typos, near names), with their evidence, to accept into the config')
    .option('--suggest', 'list the candidates')
    .addHelpText('after', example('assay brands --suggest'))
    .action(run(async () => (await import('./commands/brands.js')).brandsCommand));

  program
    .command('jobs')
    .description('recent jobs: id, stage, scope, status, progress, start and duration')
    .option('--limit <n>', `how many (default ${DEFAULT_LIMITS.jobs})`)
    .addHelpText('after', example('assay jobs --limit 5 --json'))
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
    .command('config')
    .description('the config file: init writes a commented one, show the effective values, validate a file, schema for editors')
    .argument('<action>', 'init, show, validate or schema')
    .argument('[file]', 'the file for init and validate (default: --config, else ./assay.config.json)')
    .option('--force', 'init: overwrite an existing file')
    .addHelpText('after', example('assay config validate assay.config.json'))
    .action(run(async () => (await import('./commands/config.js')).configCommand));

  program
    .command('_run-job', { hidden: true })
    .argument('<job>')
    .action(run(async () => (await import('./commands/jobs.js')).runJobCommand));

  filterFlags(program.command('export').description('write results for spreadsheets, pipelines, CI and people'))
    .addOption(new Option('--format <format>', 'output format').choices(EXPORT_FORMATS).makeOptionMandatory())
    .requiredOption('--out <file>', 'the file to write (- for stdout)')
    .option('--threshold <n>', `junit: products under this score fail (default: the --min-score gate, else ${DEFAULT_THRESHOLD})`)
    .addHelpText('after', example('assay export --format html --out report.html'))
    .action(run(async () => (await import('./commands/export.js')).exportCommand));

  return program;
}
