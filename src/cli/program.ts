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

  return program;
}
