/**
 * Seeds of the tests that draw from a PRNG. Each test has fixed defaults, so every run, CI's
 * included, checks the same cases; the environment variable replaces them with one seed, to
 * replay a failure or to explore. The seeds used are printed either way.
 */
export function testSeeds(what: string, defaults: readonly number[], variable = 'FUZZ_SEED'): number[] {
  const given = process.env[variable]?.trim();
  const seeds = given ? [parseSeed(variable, given)] : [...defaults];
  const source = given ? `from ${variable}` : `${variable}=<n> runs another`;
  console.log(`${what}: seed${seeds.length === 1 ? '' : 's'} ${seeds.join(', ')} (${source})`);
  return seeds;
}

/** One seed: `fallback` unless the variable gives another. */
export function testSeed(what: string, fallback: number, variable = 'FUZZ_SEED'): number {
  return testSeeds(what, [fallback], variable)[0];
}

function parseSeed(variable: string, text: string): number {
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) throw new Error(`${variable} must be a whole number, not ${JSON.stringify(text)}`);
  return seed;
}
