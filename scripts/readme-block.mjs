// Rewrites one generated block of README.md; with --check only reports whether it is current
// (exit 1 when it is not). Used by the scripts that generate the rubric and input-format tables.
import { readFile, writeFile } from 'node:fs/promises';

/** `rewrite` takes the README's text and returns it with the block made anew. */
export async function updateReadmeBlock(what, script, rewrite) {
  const path = new URL('../README.md', import.meta.url);
  const before = await readFile(path, 'utf8').catch((error) => (error.code === 'ENOENT' ? '' : Promise.reject(error)));
  const after = rewrite(before);
  if (process.argv.includes('--check')) {
    if (after !== before) {
      console.error(`README.md ${what} is out of date: run node scripts/${script}`);
      process.exitCode = 1;
    }
  } else if (after !== before) {
    await writeFile(path, after);
    console.error(`README.md ${what} updated`);
  }
}
