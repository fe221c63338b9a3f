/** The fastest of a few runs, in milliseconds: the least disturbed by other work on the machine. */
export async function fastestMs(run: () => Promise<unknown>, runs = 3): Promise<number> {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    await run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/**
 * How much longer an input 8 times as large takes. Linear work gives about 8; work that
 * rereads what it holds gives about 64. Tests allow 24, far from both.
 */
export async function growthOfEightfold(run: (mb: number) => Promise<unknown>, smallMb = 2): Promise<number> {
  const small = await fastestMs(() => run(smallMb));
  const large = await fastestMs(() => run(8 * smallMb));
  return large / small;
}
