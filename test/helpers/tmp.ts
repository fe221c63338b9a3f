import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

export interface TempDir {
  dir: string;
  /** Absolute path of `name` inside the folder. */
  path(name: string): string;
  /** Writes `content` (text as UTF-8, or bytes as they are) to `name` and returns its path. */
  write(name: string, content: string | Uint8Array): string;
}

const open: string[] = [];

afterEach(() => {
  for (let dir = open.pop(); dir !== undefined; dir = open.pop()) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder for this test, removed after it (pass or fail). */
export function tempDir(prefix = 'assay-test-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  open.push(dir);
  return {
    dir,
    path: (name) => join(dir, name),
    write(name, content) {
      const file = join(dir, name);
      writeFileSync(file, content);
      return file;
    },
  };
}
