import { once } from 'node:events';
import { createReadStream, createWriteStream, statSync, type WriteStream } from 'node:fs';
import { mkdtemp, rename, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../../errors.js';

/** A text destination written in buffered chunks that waits when the stream asks it to. */
export interface Sink {
  write(text: string): Promise<void>;
  close(): Promise<void>;
  /** Gives up: a file being written is removed, so no half-written export is left behind. */
  abort(): Promise<void>;
}

const CHUNK = 1 << 16;

const REASONS: Record<string, string> = {
  ENOENT: 'its folder does not exist',
  EACCES: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of the path is not a folder',
};

function bufferedSink(stream: NodeJS.WritableStream, finish: () => Promise<void>, discard: () => Promise<void>): Sink {
  let buffer = '';
  let failure: Error | undefined;
  stream.on('error', (error: Error) => {
    failure ??= error;
  });
  const flush = async () => {
    // A reader that went away (`| head`) has all it wanted: stop writing, not an error.
    if ((failure as NodeJS.ErrnoException | undefined)?.code === 'EPIPE') return void (buffer = '');
    if (failure) throw failure;
    const text = buffer;
    buffer = '';
    if (text.length > 0 && !stream.write(text)) await once(stream, 'drain');
  };
  return {
    async write(text) {
      buffer += text;
      if (buffer.length >= CHUNK) await flush();
    },
    async close() {
      await flush();
      await finish();
    },
    abort: discard,
  };
}

/** `-` is stdout (left open); a path is written to a temporary file beside it and renamed at the end. */
export async function openSink(out: string): Promise<Sink> {
  if (out === '-') return bufferedSink(process.stdout, async () => {}, async () => {});
  if (statSync(out, { throwIfNoEntry: false })?.isDirectory()) throw new UserError('export_unwritable', `cannot write ${out}: it is a directory; name a file with --out`);
  const temp = join(dirname(out), `.${basename(out)}.${process.pid}.tmp`);
  const stream = await openFile(temp, out);
  return bufferedSink(
    stream,
    async () => {
      stream.end();
      await once(stream, 'close');
      await rename(temp, out);
    },
    async () => {
      stream.destroy();
      await unlink(temp).catch(() => {});
    },
  );
}

async function openFile(path: string, shown: string): Promise<WriteStream> {
  const stream = createWriteStream(path);
  try {
    await once(stream, 'open');
  } catch (error) {
    throw new UserError('export_unwritable', `cannot write ${shown}: ${REASONS[(error as NodeJS.ErrnoException).code ?? ''] ?? (error as Error).message}`);
  }
  return stream;
}

/**
 * A temporary file for a part of the output whose header needs counts known only at the end
 * (JUnit's testsuite attributes), so the part never sits in memory.
 */
export async function openSpool(): Promise<Sink & { copyTo(sink: Sink): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'assay-export-'));
  const path = join(dir, 'part');
  const stream = await openFile(path, path);
  const remove = () => rm(dir, { recursive: true, force: true });
  const sink = bufferedSink(stream, async () => {
    stream.end();
    await once(stream, 'close');
  }, async () => {
    stream.destroy();
    await remove();
  });
  return {
    ...sink,
    async copyTo(target) {
      try {
        for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: CHUNK })) await target.write(chunk as string);
      } finally {
        await remove();
      }
    },
  };
}
