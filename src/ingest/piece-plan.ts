import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { ReadOptions } from './batches.js';
import { binaryKind, sniffEncoding, sniffUtf16 } from './decode.js';
import { formatOfContent, isGzip } from './formats.js';
import { formatOf } from './source.js';

/** Bytes per piece: large enough that the seams cost nothing, small enough to keep every reader busy to the end. */
const PIECE_BYTES = 4 * 1024 * 1024;
const MAX_READERS = 6;
/**
 * On two cores, reading in pieces (one worker, and the writer's thread reading pieces while it
 * would wait) measured no faster than one reader: 5% faster on an idle machine at 100,000 rows,
 * slower beside other work, for 15-20% more CPU. From three cores up, two readers or more run beside the writer.
 */
const MIN_CORES = 3;

/** How a file is read in pieces: by how many readers, in pieces of how many bytes. */
export interface PiecePlan {
  size: number;
  bytes: number;
  /** Worker threads that read pieces. */
  readers: number;
  /** Whether this thread, the writer's, reads pieces too when it would wait (two cores, when forced: one worker and this thread). */
  readsHere: boolean;
  delimiter: string | undefined;
}

/**
 * Whether a file is read in pieces by several threads at once: a plain local CSV or TSV file in
 * UTF-8, large enough, on a machine with three cores or more. `ASSAY_PIECE_BYTES` sets the piece
 * size (and so the smallest file cut, two pieces) and cuts on any machine, for tests; anything
 * else is read by one thread.
 */
export function planPieces(file: string, options: ReadOptions, env: NodeJS.ProcessEnv = process.env): PiecePlan | undefined {
  const forced = Number(env.ASSAY_PIECE_BYTES);
  const isForced = Number.isInteger(forced) && forced > 0;
  const bytes = isForced ? forced : PIECE_BYTES;
  const cores = availableParallelism();
  if (cores < MIN_CORES && !isForced) return undefined;
  if (options.encoding !== undefined && options.encoding !== 'utf-8') return undefined;
  if (/\.gz$/i.test(file) || /^https?:\/\//i.test(file)) return undefined;
  let format;
  try {
    format = formatOf(file, options.format);
  } catch {
    return undefined;
  }
  if (format !== 'csv' && format !== 'tsv') return undefined;
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return undefined;
    size = stat.size;
  } catch {
    return undefined;
  }
  if (size < 2 * bytes) return undefined;
  const head = readHead(file);
  const bom = sniffEncoding(head);
  if (isGzip(head) || (bom && (bom.encoding !== 'utf-8' || bom.afterUtf8Bom)) || sniffUtf16(head) || binaryKind(head)) return undefined;
  const shown = formatOfContent(head)?.name;
  if (shown === 'xml' || shown === 'xlsx') return undefined;
  return {
    size,
    bytes,
    readers: Math.max(1, Math.min(MAX_READERS, cores - 1)),
    readsHere: cores <= 2,
    delimiter: options.delimiter ?? (format === 'tsv' ? '\t' : undefined),
  };
}

function readHead(file: string): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(8192);
    return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
  } finally {
    closeSync(fd);
  }
}
