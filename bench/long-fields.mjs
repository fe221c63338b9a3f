// The long-fields case: `assay load FILE --json` on a CSV whose one quoted field holds
// many megabytes (line breaks and doubled quotes inside it, as a long description has),
// and on a JSON Lines file whose one line is as long, each at two sizes eight times apart.
// Reading a long field must take time in proportion to its length: linear work grows
// about 8 times, work that rescans what it has buffered about 64 times.
//
// Every run is a separate process, so each time holds the process start-up and opening
// the catalog. The same file without its long field is loaded too, and its time is taken
// off both before the ratio is made; the raw ratio is printed beside it. With --quick the
// 1 MB field reads in a few hundredths of a second, lost in how much start-up varies on a
// loaded machine, so no ratio is made: the quick run shows that long fields load, in what
// time and memory. Without it, a shorter field read in under NOISE_SECONDS gives no ratio
// either.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { count, formatMb, freshDb, measureAssay, median, OUT, ROOT, round } from './lib.mjs';

const MB = 1024 * 1024;
/** Bump when the generated files change, so cached ones are remade. */
const VERSION = 1;
/** A shorter field read in less time than this gives no ratio: the start-up of a process varies by about as much. */
const NOISE_SECONDS = 0.25;

const FORMATS = {
  csv: (bytes) => {
    const inner = 'PHANTOM0,Phantom 0,said ""hi"" lorem ipsum\n';
    return `id,title,desc\n1,a,"${inner.repeat(Math.round(bytes / inner.length))}"\n2,b,x\n`;
  },
  jsonl: (bytes) => {
    const inner = 'lorem \\"ipsum\\" {[, ';
    return `{"id":"1","title":"a","desc":"${inner.repeat(Math.round(bytes / inner.length))}"}\n{"id":"2","title":"b"}\n`;
  },
};

/**
 * `quick`: 1 and 8 MB (CI; a few seconds, no ratio); otherwise 8 and 64 MB. A 64 MB field peaks
 * at several hundred MB of RSS, which is why this case carries no `rows` and stays out
 * of the 100,000-product RSS guard: its peak follows the field, not the catalog, and is
 * printed instead.
 */
export function longFieldsCase({ quick, runs }) {
  const smallMb = quick ? 1 : 8;
  const sizes = [0, smallMb, 8 * smallMb];
  return {
    name: 'long fields',
    kind: 'long',
    run: async () => {
      const measurements = { smallMb, largeMb: 8 * smallMb };
      for (const format of Object.keys(FORMATS)) {
        const at = {};
        for (const mb of sizes) at[mb] = await timeLoads(await longFile(format, mb), runs);
        const net = (mb) => at[mb].seconds - at[0].seconds;
        const why = quick
          ? '--quick: a 1 MB field is too short to time apart from start-up'
          : net(smallMb) < NOISE_SECONDS
            ? `the ${smallMb} MB one reads in under ${NOISE_SECONDS} s beyond start-up, within its noise`
            : undefined;
        measurements[format] = {
          baseSeconds: round(at[0].seconds, 2),
          smallSeconds: round(at[smallMb].seconds, 2),
          largeSeconds: round(at[8 * smallMb].seconds, 2),
          /** time(large) / time(small), start-up included. */
          rawGrowth: round(at[8 * smallMb].seconds / at[smallMb].seconds, 2),
          /** The same with the time of the file without its long field taken off both; null when the shorter field is lost in start-up noise. */
          growth: why ? null : round(net(8 * smallMb) / net(smallMb), 2),
          growthWhy: why,
          largePeakRssMb: at[8 * smallMb].maxPeakRssMb,
        };
      }
      const peaks = Object.keys(FORMATS).map((f) => measurements[f].largePeakRssMb);
      measurements.maxPeakRssMb = peaks.includes(null) ? null : Math.max(...peaks);
      return measurements;
    },
    describe: (m) =>
      `${m.smallMb} and ${m.largeMb} MB: ` +
      Object.keys(FORMATS)
        .map((f) => {
          const r = m[f];
          return (
            `${f} ${r.smallSeconds} s and ${r.largeSeconds} s (${r.baseSeconds} s without the long field), ` +
            `growth ${r.growth ?? `not measured (${r.growthWhy})`} (${r.rawGrowth} with start-up), peak RSS ${formatMb(r.largePeakRssMb)}`
          );
        })
        .join('; '),
  };
}

/** Loads `file` into a fresh catalog `runs` times; the median seconds and the worst peak RSS. */
async function timeLoads(file, runs) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    const result = await measureAssay(['load', file, '--db', freshDb('bench-long.db'), '--json']);
    const summary = JSON.parse(result.stdout);
    // Timing a rejected field would time the error path, not the read.
    if (summary.total !== 2 || summary.errors.length !== 0)
      throw new Error(`${relative(ROOT, file)}: loaded ${summary.total} products with ${summary.errors.length} error(s), not 2 and none`);
    results.push(result);
  }
  freshDb('bench-long.db');
  const rss = results.map((r) => r.peakRssMb);
  return { seconds: median(results.map((r) => r.seconds)), maxPeakRssMb: rss.includes(null) ? null : round(Math.max(...rss), 1) };
}

/** A file of two products, the first with a field (CSV) or line (JSON Lines) of `mb` MB; cached under bench/out. */
async function longFile(format, mb) {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `long-${mb}mb-v${VERSION}.${format}`);
  if (!existsSync(file)) {
    process.stderr.write(`writing a ${count(mb)} MB ${format} field into ${relative(ROOT, file)} ...\n`);
    const partial = `${file}.partial-${process.pid}`;
    writeFileSync(partial, FORMATS[format](mb * MB));
    renameSync(partial, file);
  }
  return file;
}
