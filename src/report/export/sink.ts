import { once } from 'node:events';
import { constants, createReadStream, statSync, type Stats, type WriteStream } from 'node:fs';
import { mkdtemp, open, rename, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { UserError } from '../../errors.js';
import { reasonFor, writeFailure } from '../../files/write-errors.js';
import { isStdoutPath, resolveTarget } from '../../files/same-file.js';
import { spoolPrefix, sweepStaleSpools, sweepStaleTemps, tempPathFor } from '../../files/stale-temp.js';

/** A text destination written in buffered chunks that waits when the stream asks it to. */
export interface Sink {
  write(text: string): Promise<void>;
  close(): Promise<void>;
  /** Gives up: a file being written is removed, so no half-written export is left behind. */
  abort(): Promise<void>;
}

const CHUNK = 1 << 16;
const REPLACE_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC;
const NEW_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

function isBrokenPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
}

function bufferedSink(stream: NodeJS.WritableStream, shown: string, finish: () => Promise<void>, discard: () => Promise<void>): Sink {
  let buffer = '';
  let failure: Error | undefined;
  stream.on('error', (error: Error) => {
    failure ??= error;
  });
  const flush = async () => {
    // A reader that went away (`| head`) has all it wanted: stop writing, not an error.
    if (isBrokenPipe(failure)) {
      buffer = '';
      return;
    }
    if (failure) throw writeFailure(failure, shown);
    const text = buffer;
    buffer = '';
    if (text.length === 0 || stream.write(text)) return;
    try {
      await once(stream, 'drain');
    } catch (error) {
      if (!isBrokenPipe(error)) throw writeFailure(error, shown);
    }
  };
  return {
    async write(text) {
      buffer += text;
      if (buffer.length >= CHUNK) await flush();
    },
    async close() {
      await flush();
      if (failure && !isBrokenPipe(failure)) throw writeFailure(failure, shown);
      try {
        await finish();
      } catch (error) {
        if (!isBrokenPipe(error)) throw writeFailure(error, shown);
      }
    },
    abort: discard,
  };
}

/**
 * Where an export goes. `-` is stdout (left open), and so is a path that is stdout (`/dev/stdout`,
 * a link to `/proc/self/fd/1`). Devices and FIFOs are written directly: renaming over them would
 * replace them with a file. A regular file, or a new one, is written to a temporary file beside
 * it and renamed over it at the end, so no half-written export is ever seen; a symlink to a
 * file stays a link, its target gets the export.
 */
export async function openSink(out: string): Promise<Sink> {
  if (isStdoutPath(out))
    return bufferedSink(
      process.stdout,
      'stdout',
      async () => {},
      async () => {},
    );
  const target = statOf(() => statSync(out));
  if (target?.isDirectory()) throw new UserError('export_unwritable', `cannot write ${out}: it is a directory; name a file with --out`);
  if (target && !target.isFile()) {
    const stream = await openFile(out, out);
    return bufferedSink(
      stream,
      out,
      () => closeStream(stream),
      async () => void stream.destroy(),
    );
  }
  const final = resolveTarget(out);
  sweepStaleTemps(dirname(final));
  const temp = tempPathFor(final);
  // Only a dead process with this pid could have left one; a fresh, exclusive open never writes through a planted link.
  await unlink(temp).catch(() => {});
  const stream = await openFile(temp, out, NEW_FILE);
  return bufferedSink(
    stream,
    out,
    async () => {
      try {
        await closeStream(stream);
        await rename(temp, final);
      } catch (error) {
        await unlink(temp).catch(() => {});
        throw error;
      }
    },
    async () => {
      stream.destroy();
      await unlink(temp).catch(() => {});
    },
  );
}

async function closeStream(stream: WriteStream): Promise<void> {
  let failure: Error | undefined;
  stream.on('error', (error) => (failure ??= error));
  stream.end();
  if (!stream.closed) await once(stream, 'close');
  if (failure) throw failure;
}

function statOf(read: () => Stats): Stats | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

async function openFile(path: string, shown: string, flags: number = REPLACE_FILE): Promise<WriteStream> {
  try {
    return (await open(path, flags, 0o666)).createWriteStream();
  } catch (error) {
    throw new UserError('export_unwritable', `cannot write ${shown}: ${reasonFor(error)} (${(error as NodeJS.ErrnoException).code})`);
  }
}

/**
 * A temporary file for a part of the output whose header needs counts known only at the end
 * (JUnit's testsuite attributes), so the part never sits in memory.
 */
export async function openSpool(): Promise<Sink & { copyTo(sink: Sink): Promise<void> }> {
  sweepStaleSpools(tmpdir());
  const dir = await mkdtemp(spoolPrefix(tmpdir()));
  const path = join(dir, 'part');
  const stream = await openFile(path, path);
  const remove = () => rm(dir, { recursive: true, force: true });
  const sink = bufferedSink(
    stream,
    path,
    () => closeStream(stream),
    async () => {
      stream.destroy();
      await remove();
    },
  );
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
