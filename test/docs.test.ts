import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/program.js';
import { ROOT } from './helpers/cli.js';

const PAGES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const read = (page: string) => readFileSync(join(ROOT, page), 'utf8');

/** The text outside fenced code blocks, with inline code spans kept as plain text. */
function prose(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '').replace(/`+([^`\n]*)`+/g, '$1');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, text] of prose(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const slug = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** Every relative link of a page as [link as written, target file relative to the root, anchor]. */
function relativeLinks(page: string): Array<[string, string, string | undefined]> {
  const links: Array<[string, string, string | undefined]> = [];
  for (const [, href] of prose(read(page)).matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/i.test(href)) continue;
    const [path, anchor] = href.split('#');
    const target = path === '' ? page : relative(ROOT, resolve(dirname(join(ROOT, page)), path));
    links.push([href, target, anchor]);
  }
  return links;
}

describe('the README', () => {
  it('stays under 12 KB: the reference lives in docs/', () => {
    expect(statSync(join(ROOT, 'README.md')).size).toBeLessThan(12 * 1024);
  });

  it('links every reference page in docs/', () => {
    const linked = new Set(relativeLinks('README.md').map(([, target]) => target));
    for (const page of PAGES.filter((p) => p.startsWith('docs/'))) expect(linked, `README.md does not link ${page}`).toContain(page);
  });
});

describe('relative links in README.md and docs/', () => {
  it.each(PAGES)('%s links only to files and headings that exist', (page) => {
    const broken: string[] = [];
    for (const [href, target, anchor] of relativeLinks(page)) {
      if (!existsSync(join(ROOT, target))) {
        broken.push(`${href}: no file ${target}`);
        continue;
      }
      if (anchor !== undefined && target.endsWith('.md') && !anchorsOf(read(target)).has(anchor)) broken.push(`${href}: no heading #${anchor} in ${target}`);
    }
    expect(broken).toEqual([]);
  });

  it('finds a broken file link and a broken anchor', () => {
    expect(anchorsOf('# JSON output\n## 3. Link brands\n## `assay show ID`\n## Jobs\n## Jobs\n```\n# not a heading\n```\n')).toEqual(
      new Set(['json-output', '3-link-brands', 'assay-show-id', 'jobs', 'jobs-1']),
    );
    expect(prose('see [`assay columns`](commands.md#assay-columns) and\n```\n[x](nowhere.md)\n```\n')).toBe(
      'see [assay columns](commands.md#assay-columns) and\n\n',
    );
  });
});

describe('the generated blocks of docs/', () => {
  it('are current (regenerate: npm run docs)', () => {
    const check = spawnSync(process.execPath, [join(ROOT, 'scripts', 'docs.mjs'), '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('give every command a heading and list every flag of it', () => {
    const page = read('docs/commands.md');
    const program = buildProgram();
    const help = program.createHelp();
    for (const command of help.visibleCommands(program).filter((c) => c.name() !== 'help')) {
      expect(page).toMatch(new RegExp(`^#{2,3} assay ${command.name()}$`, 'm'));
      const start = page.indexOf(`<!-- flags:${command.name()}:start -->`);
      const block = page.slice(start, page.indexOf(`<!-- flags:${command.name()}:end -->`));
      expect(start, `docs/commands.md has no flags:${command.name()} block`).toBeGreaterThanOrEqual(0);
      for (const option of help.visibleOptions(command)) if (option.long !== '--help') expect(block).toContain(`\`${option.flags.replaceAll('|', '\\|')}\``);
    }
  });
});

describe('comments in src/ and test/', () => {
  const sources: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|mts|mjs)$/.test(entry.name)) sources.push(path);
    }
  };
  for (const dir of ['src', 'test', 'bench', 'scripts']) walk(dir);

  it('point at pages a reader can open, not at a spec or an issue tracker', () => {
    const cites: string[] = [];
    for (const path of sources) {
      read(path)
        .split('\n')
        .forEach((line, i) => {
          if (/\bSPEC\b|\b[Ii]ssues? \d/.test(line)) cites.push(`${path}:${i + 1}`);
        });
    }
    expect(cites).toEqual([]);
  });

  it('name doc pages and headings that exist', () => {
    const broken: string[] = [];
    for (const path of sources) {
      for (const [ref, page, anchor] of read(path).matchAll(/\b(docs\/[a-z-]+\.md)(?:#([a-z0-9-]+))?/g)) {
        if (!existsSync(join(ROOT, page))) broken.push(`${path}: ${ref}`);
        else if (anchor !== undefined && !anchorsOf(read(page)).has(anchor)) broken.push(`${path}: ${ref}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
