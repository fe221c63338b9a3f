import { UserError } from '../errors.js';
import { identify, isSameFile, resolveTarget, type FileIdentity } from './same-file.js';

/** A file assay is about to write, named by the user: `flag` is how they named it (`--out`, `--export csv:`). */
export interface Output {
  flag: string;
  path: string;
}

/** What an output must never be: the catalog (and the files SQLite keeps beside it), the inputs, another output. */
export interface Protected {
  catalog: string;
  inputs?: string[];
}

// SQLite keeps these beside the catalog; it names them after the catalog's real path when --db is a link.
const CATALOG_SIDE_FILES = ['', '-wal', '-shm', '-journal'];

/**
 * Refuses, before any work, an output that is the same file as the catalog, one of its side
 * files, an input, or another output: through a symlink, a hard link or another spelling of
 * the path. Each would be overwritten while assay still needs it.
 */
export function checkOutputs(outputs: Output[], protect: Protected): void {
  const catalogFiles = catalogIdentities(protect.catalog);
  const inputs = (protect.inputs ?? []).filter((input) => input !== '-').map((input) => ({ input, id: identify(input) }));
  const seen: { output: Output; id: FileIdentity }[] = [];
  for (const output of outputs) {
    const id = identify(output.path);
    const named = `${output.flag}${output.path}`;
    const catalogFile = catalogFiles.find((file) => isSameFile(id, file.id));
    if (catalogFile) {
      const what =
        catalogFile.suffix === '' ? `the catalog ${protect.catalog}` : `the catalog's ${catalogFile.suffix} file ${protect.catalog}${catalogFile.suffix}`;
      throw new UserError('output_is_catalog', `${named} is the same file as ${what}, which it would overwrite: name another file`);
    }
    const input = inputs.find((i) => isSameFile(id, i.id));
    if (input) throw new UserError('output_is_input', `${named} is also an input file (${input.input}), which it would overwrite: name another file`);
    const twin = seen.find((s) => isSameFile(id, s.id));
    if (twin) throw new UserError('output_twice', `${named} and ${twin.output.flag}${twin.output.path} are the same file: name a different file for each`);
    seen.push({ output, id });
  }
}

function catalogIdentities(catalog: string): { suffix: string; id: FileIdentity }[] {
  const bases = [...new Set([catalog, resolveTarget(catalog)])];
  return bases.flatMap((base) => CATALOG_SIDE_FILES.map((suffix) => ({ suffix, id: identify(`${base}${suffix}`) })));
}
