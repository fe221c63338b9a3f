// Flag tables of docs/commands.md, read from the commander program the CLI runs, so the page
// lists exactly the commands, arguments, flags, choices and defaults that `--help` shows.
import { buildProgram } from '../../dist/cli/program.js';

const cell = (text) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const code = (text) => `\`${text}\``;

function optionMeaning(option) {
  const parts = [option.description];
  if (option.argChoices) parts.push(`one of ${option.argChoices.map(code).join(', ')}`);
  if (option.defaultValue !== undefined && !option.negate) parts.push(`default ${code(String(option.defaultValue))}`);
  if (option.mandatory) parts.push('required');
  return cell(parts.join('; '));
}

function optionTable(help, command) {
  const options = help.visibleOptions(command).filter((o) => o.long !== '--help');
  if (options.length === 0) return [];
  return ['| flag | meaning |', '|---|---|', ...options.map((o) => `| ${cell(code(o.flags))} | ${optionMeaning(o)} |`)];
}

function argumentTerm(argument) {
  const name = `${argument.name()}${argument.variadic ? '...' : ''}`;
  return argument.required ? `<${name}>` : `[${name}]`;
}

function argumentTable(help, command) {
  const args = help.visibleArguments(command);
  if (args.length === 0) return [];
  return ['| argument | meaning |', '|---|---|', ...args.map((a) => `| ${cell(code(argumentTerm(a)))} | ${cell(a.description)} |`), ''];
}

function visibleCommands(help, program) {
  return help.visibleCommands(program).filter((c) => c.name() !== 'help');
}

/** Every block of docs/commands.md by name: `commands` (the list), `flags:global`, `flags:NAME` per command. */
export function commandBlocks() {
  const program = buildProgram();
  const help = program.createHelp();
  const commands = visibleCommands(help, program);
  const blocks = {
    commands: [
      '| command | what it does |',
      '|---|---|',
      ...commands.map((c) => `| [${code(`assay ${c.name()}`)}](#assay-${c.name()}) | ${cell(c.description())} |`),
    ].join('\n'),
    'flags:global': optionTable(help, program).join('\n'),
  };
  for (const command of commands) {
    const usage = `assay ${command.name()} ${command.usage()}`;
    blocks[`flags:${command.name()}`] = [`${code(usage)}: ${cell(command.description())}`, '', ...argumentTable(help, command), ...optionTable(help, command)]
      .join('\n')
      .trim();
  }
  return blocks;
}
