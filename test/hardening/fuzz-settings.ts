/**
 * How much the property tests run: 10,000 cases per transport at a fixed seed in CI; FUZZ_RUNS
 * raises the count for a longer, nightly-style run and FUZZ_SEED replays another seed.
 */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261128);
