// The load case: `assay load FILE --json` on a fresh catalog, beside the sqlite3 shell's
// `.import` of the same CSV, the floor a loader in SQLite can hope for; then the same file
// loaded again into the catalog it made (the unchanged nightly reload).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { catalog, count, formatCpu, formatMb, freshDb, measure, measureAssay, median, OUT, round, summarize } from './lib.mjs';

export function loadCase(rows, runs, sqlite3) {
  return {
    name: `load ${count(rows)} rows`,
    kind: 'load',
    rows,
    run: async () => {
      const file = await catalog(rows);
      const mb = statSync(file).size / 1e6;
      const results = [];
      let summary;
      for (let i = 0; i < runs; i++) {
        const result = await measureAssay(['load', file, '--db', freshDb('bench-load.db'), '--json']);
        summary = JSON.parse(result.stdout);
        results.push(result);
      }
      const reloads = [];
      let reloaded;
      for (let i = 0; i < runs; i++) {
        const result = await measureAssay(['load', file, '--db', join(OUT, 'bench-load.db'), '--json']);
        reloaded = JSON.parse(result.stdout);
        reloads.push(result);
      }
      freshDb('bench-load.db');
      const measurements = summarize(results, rows);
      Object.assign(measurements, {
        fileMb: round(mb, 1),
        mbPerSecond: round(mb / measurements.seconds, 1),
        products: summary.total,
        rowErrors: summary.errors.length,
        reload: {
          ...summarize(reloads, rows),
          unchanged: reloaded.unchanged,
          isReused: reloaded.notReadSince !== undefined,
        },
      });
      if (!sqlite3) return { ...measurements, sqlite3: 'skipped: the sqlite3 command-line program is not installed' };
      const baseline = [];
      for (let i = 0; i < runs; i++) {
        const result = await measure('sqlite3', [freshDb('bench-sqlite3.db'), '-cmd', '.mode csv', `.import ${file} t`]);
        if (result.code !== 0) throw new Error(`sqlite3 .import exited ${result.code}: ${result.stderr.trim().slice(0, 500)}`);
        baseline.push(result);
      }
      freshDb('bench-sqlite3.db');
      const floor = median(baseline.map((r) => r.seconds));
      return {
        ...measurements,
        sqlite3: { version: sqlite3, seconds: round(floor, 2), rowsPerSecond: round(rows / floor) },
        /** How many times the sqlite3 .import time assay's load takes (1 = as fast as the floor). */
        ratioToSqlite3: round(measurements.seconds / floor, 2),
      };
    },
    describe: (m) =>
      [
        `${m.seconds} s${formatCpu(m.cpuSeconds)}, ${count(m.rowsPerSecond)} rows/s (${m.mbPerSecond} MB/s), peak RSS ${formatMb(m.peakRssMb)}`,
        typeof m.sqlite3 === 'object'
          ? `sqlite3 .import ${m.sqlite3.seconds} s (${count(m.sqlite3.rowsPerSecond)} rows/s), assay takes ${m.ratioToSqlite3}x its time`
          : `sqlite3 comparison ${m.sqlite3}`,
        `unchanged reload ${m.reload.seconds} s (${count(m.reload.unchanged)} unchanged, ${m.reload.isReused ? 'not read again' : 'read again'}), peak RSS ${formatMb(m.reload.peakRssMb)}`,
      ].join(', '),
  };
}
